"""Pages for clerks and approvers: their department's queue and the invoice page."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from einvoice.domain.holds import ANSWERED_BY_MASTER_DATA, blocked_reason_de
from einvoice.services.accounts import Role
from einvoice.services.labels import workflow_state_de
from einvoice.services.notifications import OPEN_STATUSES
from einvoice.web.deps import check_invoice_access, page_user, render
from einvoice.web.original_view import original_view
from einvoice.web.pages_arrival import count_for as arrival_count
from einvoice.web.security import STAFF, RecordId, check_csrf, require_role

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
MAX_SELECTION = 500
SORTS_DE = {
    "deadline": "nächste Frist",
    "number": "Rechnungsnummer",
    "supplier": "Lieferant",
    "amount": "Betrag",
    "issued": "Rechnungsdatum",
    "received": "Eingang",
    "due": "Fälligkeit",
    "skonto": "Skonto-Frist",
    "status": "Status",
    "held": "Zahlungssperre",
}
STATUS_FILTERS_DE = {"": "offene", "alle": "alle"} | {
    s: workflow_state_de(s)
    for s in (
        "routed",
        "sachlich_richtig",
        "rechnerisch_richtig",
        "angeordnet",
        "exported",
        "rejected",
        "returned_to_supplier",
        "replaced",
    )
}
#: the views of "Wartet auf mich": everything, or one step
MINE_FILTERS_DE = {
    "": "Alle im Amt",
    "1": "Wartet auf mich",
    "sachlich": "Sachlich richtig zeichnen",
    "rechnerisch": "Rechnerisch richtig zeichnen",
    "kontierung": "Kontierung fehlt",
    "anordnung": "Bereit zur Anordnung",
}
HELD_FILTERS_DE = {"": "alle", "1": "mit Sperre", "0": "ohne Sperre"}
DEADLINE_FILTERS_DE = {
    "": "alle",
    "soon": "bald fällig",
    "overdue": "überschritten",
    "ok": "in Ordnung",
}


@dataclass(frozen=True, slots=True)
class Listing:
    status: str
    sort: str
    supplier: str
    deadline: str
    q: str = ""
    mine: str = ""  # "1": everything waiting for me, else one step (worklist.STEPS)
    min_amount: str = ""
    max_amount: str = ""
    held: str = ""  # "1": only with an open payment hold ("mit Sperre"), "0": only without

    def query(self, **changes: object) -> str:
        """The listing's query string, with ``changes`` (for headers and pager links)."""
        values: dict[str, object] = {
            "q": self.q,
            "status": self.status,
            "deadline": self.deadline,
            "supplier": self.supplier,
            "min_amount": self.min_amount,
            "max_amount": self.max_amount,
            "mine": self.mine,
            "held": self.held,
            "sort": self.sort,
        }
        values.update(changes)
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})

    def header_sort(self, key: str) -> str:
        """The sort a click on the column header asks for (toggles the direction)."""
        return f"-{key}" if self.sort == key else key

    def aria_sort(self, key: str) -> str | None:
        if self.sort == key:
            return "ascending"
        if self.sort == f"-{key}":
            return "descending"
        return None


def _amount(text: str | None, what: str) -> tuple[Decimal | None, str | None]:
    """An amount filter as a clerk types it (``1.234,56``), or the German reason it is none.

    A wrong amount does not cost the clerk the other filters: the queue is shown without
    this one, and the field says what is wrong."""
    if not text or not text.strip():
        return None, None
    try:
        value = Decimal(text.strip().replace(".", "").replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        return None, f"„{what}“: „{text.strip()[:20]}“ ist kein Betrag (Beispiel: 1.234,56)."
    return value, None


def _listing(
    status: str,
    sort: str,
    supplier: str,
    deadline: str,
    q: str,
    mine: str,
    lo: str,
    hi: str,
    held: str = "",
) -> Listing:
    if sort.lstrip("-") not in SORTS_DE:
        raise HTTPException(422, f"Unbekannte Sortierung „{sort}“.")
    if status not in STATUS_FILTERS_DE:
        raise HTTPException(422, f"Unbekannter Status „{status}“.")
    if deadline not in DEADLINE_FILTERS_DE:
        raise HTTPException(422, f"Unbekannter Fristfilter „{deadline}“.")
    if held not in HELD_FILTERS_DE:
        raise HTTPException(422, f"Unbekannter Sperrfilter „{held}“.")
    if mine not in MINE_FILTERS_DE:
        raise HTTPException(422, f"Unbekannte Ansicht „{mine}“.")
    return Listing(
        status, sort, supplier.strip()[:200], deadline, q.strip()[:200], mine, lo, hi, held
    )


def _statuses(status: str) -> tuple[str, ...]:
    """The queue's status filter: "" the open ones, "alle" every state, else that one."""
    from einvoice.services import queues

    if status == "alle":
        return tuple(dict.fromkeys((*OPEN_STATUSES, *queues.ALL_STATUSES)))
    return (status,) if status else OPEN_STATUSES


@router.get("/eingang")
def queue_page(
    request: Request,
    status: str = "",
    sort: str = "deadline",
    supplier: str = "",
    deadline: str = "",
    q: str = "",
    mine: str = "",
    min_amount: str = "",
    max_amount: str = "",
    held: str = "",
    seite: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    from einvoice.services import queue_steps, queues

    user = page_user(request)
    require_role(user, STAFF)
    listing = _listing(status, sort, supplier, deadline, q, mine, min_amount, max_amount, held)
    lowest, min_error = _amount(min_amount, "Betrag ab")
    highest, max_error = _amount(max_amount, "Betrag bis")
    filters = queues.QueueFilters(
        statuses=_statuses(status),
        deadline=deadline or None,
        supplier=listing.supplier or None,
        min_amount=lowest,
        max_amount=highest,
        search=listing.q or None,
        waiting_for=user.username if listing.mine else None,
        step=listing.mine if listing.mine not in ("", "1") else None,
        held={"1": True, "0": False}.get(listing.held),  # the CLI's --held / --not-held
    )
    view = queues.queue(
        request.app.state.container.pipeline,
        user.department,
        filters,
        sort,
        page=seite,
        page_size=PAGE_SIZE,
    )
    return render(
        request,
        "queue.html",
        view=view,
        closed_matches=_closed_matches(request, user.department, filters, view, listing),
        steps=queue_steps.step_counts(
            request.app.state.container.pipeline, user.department, user.username
        ),
        views=MINE_FILTERS_DE,
        min_error=min_error,
        max_error=max_error,
        shown=view.items,
        page=view.page,
        pages=view.pages,
        listing=listing,
        sorts=SORTS_DE,
        statuses=STATUS_FILTERS_DE,
        deadlines=DEADLINE_FILTERS_DE,
        held_filters=HELD_FILTERS_DE,
        departments=_departments(request),
        message=BULK_NOTICES.get(request.query_params.get("hinweis") or ""),
        arrival_rejected=arrival_count(request, user),
        min_amount=min_amount,
        max_amount=max_amount,
    )


def _closed_matches(
    request: Request, department: str | None, filters: Any, view: Any, listing: Listing
) -> int:
    """How many closed invoices the clerk's search or filters would find under "alle" when the
    default view (the open ones) finds nothing: the page then says so instead of a bare
    "Keine Rechnungen" (a clerk searching a paid invoice's amount found nothing)."""
    from dataclasses import replace

    from einvoice.services import queues

    searching = listing.q or listing.supplier or filters.min_amount or filters.max_amount
    if view.items or listing.status or not searching:
        return 0
    every = replace(filters, statuses=_statuses("alle"))
    found = queues.queue(
        request.app.state.container.pipeline, department, every, "deadline", page=1, page_size=1
    )
    return int(found.matched)


BULK_NOTICES = {
    "weitergeleitet": "Die Rechnung wurde an das andere Amt weitergeleitet.",
    "auswahl-leer": "Bitte wählen Sie mindestens eine Rechnung aus.",
}


@router.post("/eingang/auswahl")
def queue_selection(
    request: Request,
    action: Annotated[str, Form()],
    invoice: Annotated[list[int] | None, Form()] = None,
    department: Annotated[str | None, Form()] = None,
    comment: Annotated[str | None, Form()] = None,
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    """Bulk actions on the selected invoices: CSV export, or forward to another office."""
    from einvoice.web import bulk

    user = page_user(request)
    require_role(user, STAFF)
    check_csrf(request, csrf_token_field)
    chosen = sorted(set(invoice or []))[:MAX_SELECTION]
    if not chosen:
        return RedirectResponse("/eingang?hinweis=auswahl-leer", status_code=303)
    for invoice_id in chosen:
        check_invoice_access(request, user, invoice_id)
    if action == "csv":
        return bulk.csv_response(request, user, chosen)
    if action == "reassign":
        return bulk.reassign(request, user, chosen, department, comment)
    raise HTTPException(422, f"Unbekannte Aktion „{action}“ für die Auswahl.")


@router.get("/rechnungen/{invoice_id}")
def invoice_page(request: Request, invoice_id: RecordId) -> Response:
    user = page_user(request)
    check_invoice_access(request, user, invoice_id)
    return _invoice_response(request, user, invoice_id)


def _invoice_response(
    request: Request,
    user: Any,
    invoice_id: int,
    *,
    error: str | None = None,
    status_code: int = 200,
    confirm: tuple[str, str] | None = None,
    comment: str = "",
) -> Response:
    from einvoice.services import action_hints, queues, workflow
    from einvoice.web import invoice_files

    pipeline = request.app.state.container.pipeline
    detail = queues.invoice_detail(pipeline, invoice_id)
    actions: tuple[str, ...] = ()
    hints: tuple[action_hints.ActionHint, ...] = ()
    if user.role in STAFF and detail.status is not None:
        actions = workflow.allowed_actions_for(pipeline, invoice_id, user.username)
        hints = action_hints.hints(pipeline, invoice_id, user.username)
    signers = {detail.sachlich_by, detail.rechnerisch_by, detail.ordered_by}
    may_clear = {  # payment holds this person may clear here (issue 21; the service decides)
        h.code
        for h in detail.open_holds
        if user.username not in signers
        and h.code not in ANSWERED_BY_MASTER_DATA  # only the master data ends these (two people)
        and (user.role.keeps_creditors or user.role in STAFF)
    }
    sha = detail.original_sha256
    shown = original_view(
        sha,
        lambda: pipeline.blobs.get(sha),
        lambda: pipeline.blobs.exists(sha),
        detail.original_filename,
        _today(pipeline),
    )
    model = shown.model
    files = invoice_files.attachments(model) if model is not None else []
    # the supplier's PDF as pictures drawn on the server, never in the browser's viewer
    pdf = invoice_files.shown_pdf(request, invoice_id, sha, shown.is_pdf, model, files)
    from einvoice.services.payments import payments_of_invoice

    paid, invoice_payments = payments_of_invoice(pipeline, invoice_id)
    kont, order = _kontierung(pipeline, invoice_id, detail.status)
    from einvoice.services.versions import MAX_CHANGES, changes_from_previous

    return render(
        request,
        "invoice.html",
        detail=detail,
        changes=changes_from_previous(pipeline, invoice_id, detail.replaces_id),
        max_changes=MAX_CHANGES,
        paid=paid,
        invoice_payments=invoice_payments,
        kont=kont,
        order=order,
        may_kontieren=user.role in (Role.CLERK, Role.APPROVER),
        actions=actions,
        hints=hints,
        may_clear=may_clear,
        i_signed=user.username in signers,
        keeps_creditors=user.role.keeps_creditors,
        blocked=blocked_reason_de(h.code for h in detail.open_holds) if detail.open_holds else None,
        rendering=shown.rendering,
        pdf=pdf,
        attachments=files,
        facts=_facts(request, detail),
        departments=_departments(request),
        message=NOTICES.get(request.query_params.get("hinweis") or ""),
        error=error,
        confirm=confirm,
        comment=comment,
        status_code=status_code,
    )


NOTICES = {
    "sachlich-gezeichnet": "Ihre Zeichnung „sachlich richtig“ wurde gespeichert.",
    "rechnerisch-gezeichnet": "Ihre Zeichnung „rechnerisch richtig“ wurde gespeichert.",
    "angeordnet": "Ihre Anordnung der Zahlung wurde gespeichert.",
    "kommentiert": "Ihr Kommentar wurde gespeichert.",
    "zurueckgegeben": "Die Rechnung wurde an den Lieferanten zurückgegeben; "
    "er wurde benachrichtigt.",
    "abgelehnt": "Die Rechnung wurde abgelehnt; der Lieferant wurde benachrichtigt.",
    "kreditor-vorgeschlagen": "Ihr Vorschlag für den Kreditor ist gespeichert. Er gilt erst, "
    "wenn eine zweite Person der Kreditorenbuchhaltung denselben Kreditor bestätigt "
    "(Vier-Augen-Prinzip).",
    "kreditor-angelegt": "Der Kreditor ist angelegt und als Kreditor dieser Rechnung "
    "vorgeschlagen. Eine zweite Person der Kreditorenbuchhaltung prüft seine Bankverbindung "
    "und bestätigt den Kreditor hier (Vier-Augen-Prinzip); erst dann endet die Sperre.",
    "kreditor-zugeordnet": "Der Kreditor ist zugeordnet; die Sperre „Lieferant unbekannt“ "
    "ist aufgehoben.",
    "kontiert": "Die Kontierung wurde gespeichert.",
    "vorschlag-uebernommen": "Der Vorschlag wurde als Kontierung übernommen.",
}
_DONE = {
    "confirm_sachlich": "sachlich-gezeichnet",
    "confirm_rechnerisch": "rechnerisch-gezeichnet",
    "order": "angeordnet",
    "comment": "kommentiert",
    "return_to_supplier": "zurueckgegeben",
    "reject": "abgelehnt",
}


@dataclass(frozen=True, slots=True)
class DeadlineFact:
    label: str
    text: str
    note: str | None  # the § 193 BGB shift, or "abgelaufen"
    expired: bool


@dataclass(frozen=True, slots=True)
class Facts:
    deadlines: list[DeadlineFact]
    names: dict[str, str]  # person id -> name
    warnings: list[Any]  # findings (warnings and errors) shown above the actions


def _kontierung(pipeline: Any, invoice_id: int, status: str | None) -> tuple[Any, Any]:
    """The invoice's Kontierung and payment order (issue 24), when it is in the workflow."""
    from einvoice.services import kontierung
    from einvoice.services.auszahlungsanordnung import payment_order
    from einvoice.services.kontierung_store import chart_required

    if status is None or status in ("rejected", "returned_to_supplier", "replaced"):
        return None, None
    order = payment_order(pipeline, invoice_id)
    if order is not None:
        return None, order
    with pipeline.sessions() as session:
        if not chart_required(session):  # no chart of accounts: nothing to kontieren
            return None, None
    return kontierung.view(pipeline, invoice_id), None


def _facts(request: Request, detail: Any) -> Facts:

    from einvoice.domain.holidays_de import shift_reason_de
    from einvoice.services.workflow_base import ports_of
    from einvoice.web.templating import format_money, format_percent

    ports = ports_of(request.app.state.container.pipeline)
    config = ports.routing()
    today = _today(request.app.state.container.pipeline)  # the city's day
    deadlines = []
    for d in detail.deadlines:
        shift = shift_reason_de(d.nominal, d.due_on, ports.land) if d.nominal else None
        if d.kind == "due":
            deadlines.append(DeadlineFact("Fällig", "", shift, False))
        else:
            expired = d.due_on < today and detail.status not in ("exported", "angeordnet")
            text = (
                f"{format_percent(d.percent)} %, {format_money(d.discount, detail.currency)} "
                f"Abzug, zu zahlen {format_money(d.amount_to_pay, detail.currency)}"
            )
            note = "Skonto-Frist abgelaufen – kein Abzug mehr möglich." if expired else shift
            deadlines.append(DeadlineFact("Skonto bis", text, note, expired))
    names = {p.id: p.name for p in config.people} | {"system": "System"}
    warnings = [f for f in detail.findings if f.severity in ("warning", "error")]
    return Facts(deadlines, names, warnings)


def _today(pipeline: Any) -> date:
    """The day in the city (Europe/Berlin) by the pipeline's clock."""
    from zoneinfo import ZoneInfo

    now: datetime = pipeline.clock()
    return now.astimezone(ZoneInfo("Europe/Berlin")).date()


def _departments(request: Request) -> list[tuple[str, str]]:
    from einvoice.services.workflow_base import ports_of

    config = ports_of(request.app.state.container.pipeline).routing()
    return [(d.key, d.name) for d in config.departments]


#: The invoice page with an ``error`` (for the routers of holds and creditor assignment).
render_invoice = _invoice_response


@router.post("/rechnungen/{invoice_id}/aktion")
def invoice_action(
    request: Request,
    invoice_id: RecordId,
    action: Annotated[str, Form()],
    comment: Annotated[str | None, Form()] = None,
    department: Annotated[str | None, Form()] = None,
    confirmed: Annotated[str | None, Form()] = None,
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    from einvoice.services import workflow
    from einvoice.services.labels import action_de
    from einvoice.services.workflow_base import Refused, WorkflowError

    user = page_user(request)
    require_role(user, STAFF)
    check_csrf(request, csrf_token_field)
    check_invoice_access(request, user, invoice_id)
    text = (comment or "").strip()
    if action in ("reject", "return_to_supplier", "reassign") and not text:
        return _invoice_response(
            request,
            user,
            invoice_id,
            error=f"Für „{action_de(action)}“ ist eine Begründung erforderlich "
            "(sie wird dem Lieferanten mitgeteilt).",
            status_code=422,
        )
    if action == "reject" and confirmed != "1":  # a rejection is final: ask once more
        return _invoice_response(request, user, invoice_id, confirm=(action, text), comment=text)
    try:
        workflow.act(
            request.app.state.container.pipeline,
            invoice_id,
            action,
            user.username,
            comment=text or None,
            department=department or None,
        )
    except Refused as exc:
        code = {"conflict": 409, "role": 403, "department": 403}.get(exc.code, 422)
        return _invoice_response(
            request, user, invoice_id, error=exc.reason_de, status_code=code, comment=text
        )
    except WorkflowError as exc:
        raise HTTPException(422, str(exc)) from exc
    if action == "reassign":  # no longer this department's invoice
        return RedirectResponse("/eingang?hinweis=weitergeleitet", status_code=303)
    done = _DONE.get(action)
    notice = f"?hinweis={done}" if done else ""
    return RedirectResponse(f"/rechnungen/{invoice_id}{notice}", status_code=303)


@router.get("/rechnungen/{invoice_id}/original")
def original(request: Request, invoice_id: RecordId) -> Response:
    from einvoice.services import queues

    user = page_user(request)
    check_invoice_access(request, user, invoice_id)
    pipeline = request.app.state.container.pipeline
    detail = queues.invoice_detail(pipeline, invoice_id)
    from einvoice.web.downloads import attachment

    return attachment(pipeline.blobs.get(detail.original_sha256), detail.original_filename)


@router.get("/darstellung/rechnung.css", include_in_schema=False)
def invoice_css() -> Response:
    from einvoice.presentation.render import invoice_css as css

    return Response(css(), media_type="text/css")
