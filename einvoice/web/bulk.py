"""Bulk actions on a selection of the queue: CSV export, forwarding to another office."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from fastapi import HTTPException, Request
from fastapi.responses import Response

from einvoice.services.accounts import User
from einvoice.web.deps import render

CSV_COLUMNS = (
    "Rechnungsnummer",
    "Lieferant",
    "Rechnungsdatum",
    "Betrag",
    "Währung",
    "Status",
    "Eingang",
    "Fällig",
    "Skonto bis",
    "Leitweg-ID",
    "Version",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) and not _is_number(text) else text


def _is_number(text: str) -> bool:
    return text.lstrip("-").replace(".", "").replace(",", "").isdigit()


def _date(value: object) -> str:
    return value.strftime("%d.%m.%Y") if hasattr(value, "strftime") else ""


def csv_response(request: Request, user: User, invoice_ids: list[int]) -> Response:
    from einvoice.services import queues
    from einvoice.services.notifications import OPEN_STATUSES

    pipeline = request.app.state.container.pipeline
    statuses = tuple(dict.fromkeys((*OPEN_STATUSES, *queues.ALL_STATUSES)))
    chosen = queues.QueueFilters(statuses=statuses, invoice_ids=tuple(invoice_ids))
    view = queues.queue(pipeline, user.department, chosen, "number")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for i in view.items:
        writer.writerow(
            [
                _cell(i.number),
                _cell(i.supplier),
                _date(i.issue_date),
                f"{i.amount:.2f}".replace(".", ","),
                i.currency or "",
                i.status_label_de,
                _date(i.received_on),
                _date(i.due_date),
                _date(i.skonto_deadline),
                _cell(i.leitweg_id),
                i.version,
            ]
        )
    return Response(
        "\ufeff" + out.getvalue(),  # BOM: spreadsheet programs read UTF-8
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="rechnungen-auswahl.csv"'},
    )


@dataclass(frozen=True, slots=True)
class BulkOutcome:
    invoice_id: int
    ok: bool
    message: str


def reassign(
    request: Request,
    user: User,
    invoice_ids: list[int],
    department: str | None,
    comment: str | None,
) -> Response:
    from einvoice.services import workflow
    from einvoice.services.workflow_base import WorkflowError, ports_of

    text = (comment or "").strip()
    if not department or not text:
        raise HTTPException(
            422, "Zum Weiterleiten bitte das Ziel-Amt wählen und eine Begründung eingeben."
        )
    pipeline = request.app.state.container.pipeline
    target = ports_of(pipeline).routing().department(department)
    if target is None:
        raise HTTPException(422, f"Das Amt „{department}“ ist nicht bekannt.")
    outcomes: list[BulkOutcome] = []
    for invoice_id in invoice_ids:
        try:
            workflow.act(pipeline, invoice_id, "reassign", user.username, text, department)
            outcomes.append(BulkOutcome(invoice_id, True, f"an {target.name} weitergeleitet"))
        except WorkflowError as exc:
            outcomes.append(BulkOutcome(invoice_id, False, str(exc)))
    return render(request, "bulk_result.html", outcomes=outcomes, target=target.name)
