"""Pages for everyone (no log-in): the accessibility statement (BITV 2.0, ThürGIG).

The statement follows the pattern the regulations prescribe: scope, status of
compliance (one of *vollständig*, *teilweise* or *nicht vereinbar*), the parts that
are not accessible and why, how the statement was made with its dates of creation and
last review, the feedback contact, and the enforcement procedure of the Land
(Thüringen: the Durchsetzungsverfahren nach dem ThürGIG). The city configures its
contact, the date of its last review and, should it change, the enforcement body.
"""

from __future__ import annotations

import os
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from einvoice.web.deps import optional_user, render

router = APIRouter(include_in_schema=False)

#: where users report barriers (EINVOICE_ACCESSIBILITY_CONTACT); the city sets its own
DEFAULT_CONTACT = "barrierefreiheit@stadt.example"
#: when this statement was written (self-assessment of this release)
CREATED = date(2026, 12, 6)
#: the enforcement body of Thüringen (EINVOICE_ACCESSIBILITY_ENFORCEMENT overrides it,
#: lines separated by "|")
DEFAULT_ENFORCEMENT = (
    "Der Beauftragte für Menschen mit Behinderungen des Freistaats Thüringen",
    "– Durchsetzungsverfahren nach dem ThürGIG –",
    "Werner-Seelenbinder-Straße 6",
    "99096 Erfurt",
)


def reviewed_on() -> date:
    """The date of the last review (EINVOICE_ACCESSIBILITY_REVIEWED, ISO date), never before
    the statement was written."""
    raw = os.environ.get("EINVOICE_ACCESSIBILITY_REVIEWED", "").strip()
    try:
        given = date.fromisoformat(raw) if raw else CREATED
    except ValueError:
        given = CREATED
    return max(given, CREATED)


def enforcement_body() -> tuple[str, ...]:
    raw = os.environ.get("EINVOICE_ACCESSIBILITY_ENFORCEMENT", "").strip()
    lines = tuple(line.strip() for line in raw.split("|") if line.strip())
    return lines or DEFAULT_ENFORCEMENT


@router.get("/barrierefreiheit")
def accessibility_statement(request: Request) -> Response:
    contact = os.environ.get("EINVOICE_ACCESSIBILITY_CONTACT") or DEFAULT_CONTACT
    return render(
        request,
        "barrierefreiheit.html",
        user=optional_user(request),
        contact=contact,
        created=CREATED,
        reviewed=reviewed_on(),
        enforcement=enforcement_body(),
    )
