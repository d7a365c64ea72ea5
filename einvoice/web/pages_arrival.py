"""Invoices rejected on arrival, for the office that handles unassigned invoices."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from einvoice.services import arrival_rejections
from einvoice.services.accounts import User
from einvoice.web.deps import page_user, render
from einvoice.web.security import STAFF, require_role

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50


def handles_unassigned(request: Request, user: User) -> bool:
    """Is ``user`` staff of the office that handles unassigned invoices (the fallback)?"""
    pipeline = request.app.state.container.pipeline
    return (
        user.role in STAFF
        and user.department is not None
        and (user.department == arrival_rejections.fallback_department(pipeline))
    )


def count_for(request: Request, user: User) -> int:
    """How many wait in the list (0 for anyone else: only that office sees the link)."""
    if not handles_unassigned(request, user):
        return 0
    return arrival_rejections.count(request.app.state.container.pipeline)


@router.get("/eingang/bei-eingang-abgelehnt")
def rejected_on_arrival(
    request: Request, seite: Annotated[int, Query(ge=1, le=100_000)] = 1
) -> Response:
    user = page_user(request)
    require_role(user, STAFF)
    if not handles_unassigned(request, user):
        raise HTTPException(
            403,
            "Bei Eingang abgelehnte Rechnungen sieht die Stelle, die nicht zugeordnete "
            "Rechnungen bearbeitet (zentraler Rechnungseingang).",
        )
    pipeline = request.app.state.container.pipeline
    total = arrival_rejections.count(pipeline)
    rows = arrival_rejections.rejected_on_arrival(
        pipeline, limit=PAGE_SIZE, offset=(seite - 1) * PAGE_SIZE
    )
    return render(
        request,
        "arrival_rejections.html",
        rows=rows,
        total=total,
        page=seite,
        pages=max(1, -(-total // PAGE_SIZE)),
    )
