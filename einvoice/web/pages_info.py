"""Pages for everyone (no log-in): the accessibility statement (BITV 2.0 § 12b BGG)."""

from __future__ import annotations

import os

from fastapi import APIRouter, Request
from fastapi.responses import Response

from einvoice.web.deps import optional_user, render

router = APIRouter(include_in_schema=False)

#: where users report barriers (EINVOICE_ACCESSIBILITY_CONTACT); the city sets its own
DEFAULT_CONTACT = "barrierefreiheit@stadt.example"


@router.get("/barrierefreiheit")
def accessibility_statement(request: Request) -> Response:
    contact = os.environ.get("EINVOICE_ACCESSIBILITY_CONTACT") or DEFAULT_CONTACT
    return render(request, "barrierefreiheit.html", user=optional_user(request), contact=contact)
