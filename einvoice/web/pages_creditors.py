"""Pages of creditor accounting (Kreditorenbuchhaltung): held invoices, creditors, bank
accounts (record, verify), portal bindings (confirm, refuse); and clearing a payment hold
from the invoice page (issue 12). Every change is an event of the master data's chain."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from einvoice.presentation.plurals import count_de
from einvoice.services.accounts import Role
from einvoice.web.deps import check_invoice_access, page_user, render
from einvoice.web.security import STAFF, RecordId, check_csrf

router = APIRouter(include_in_schema=False)
KEEPERS = (Role.CREDITOR_ACCOUNTING,)
#: Separation of duties: who keeps creditor data, and who instead (German, for the 403 page).
NOT_KEEPER_DE = (
    "Kreditorenstammdaten, Bankverbindungen und Bindungen von Portalkonten pflegt nur die "
    "Kreditorenbuchhaltung (Trennung der Aufgaben: die Systemverwaltung verwaltet Zugänge und "
    "Einstellungen, nicht Kreditoren oder Zahlungen). Bitte eine Person der "
    "Kreditorenbuchhaltung darum bitten."
)


def require_keeper(user: Any) -> None:
    """Only creditor accounting (403 with who may act instead)."""
    if user.role not in KEEPERS:
        raise HTTPException(403, NOT_KEEPER_DE)


BINDING_STATES_DE = {"pending": "offen", "confirmed": "bestätigt", "refused": "abgelehnt"}
NOTICES_DE = {
    "konto-neu": "Die Bankverbindung ist erfasst (ungeprüft). Prüfen und festhalten, wie, "
    "muss eine zweite Person der Kreditorenbuchhaltung (Vier-Augen-Prinzip).",
    "geprueft": "Die Bankverbindung ist als geprüft festgehalten.",
    "bindung-neu": "Die Bindung des Portalkontos ist erfasst. Sie gilt erst, wenn eine "
    "zweite Person der Kreditorenbuchhaltung sie unter „Bindungen von Portalkonten“ bestätigt "
    "(Vier-Augen-Prinzip).",
    "angelegt": "Der Kreditor ist angelegt. Eine erfasste Bankverbindung ist ungeprüft, bis eine "
    "zweite Person der Kreditorenbuchhaltung sie prüft und festhält (Vier-Augen-Prinzip).",
    "angelegt-ohne-vorschlag": "Der Kreditor ist angelegt, aber nicht als Kreditor der "
    "Rechnung vorgeschlagen: die Rechnung wartet nicht mehr darauf, oder Sie haben sie "
    "gezeichnet (Vier-Augen-Prinzip). Bitte die Rechnung ansehen.",
    "geaendert": "Die Stammdaten sind geändert.",
    "unveraendert": "Nichts geändert: die Stammdaten waren schon so.",
}


@router.get("/kreditoren")
def creditors_page(request: Request, suche: str = "") -> Response:
    from einvoice.services import creditors, queues

    user = page_user(request)
    require_keeper(user)
    pipeline = request.app.state.container.pipeline
    held = queues.queue(pipeline, None, queues.QueueFilters(held=True), "received")
    listing = creditors.list_creditors(pipeline, suche.strip()[:100] or None, limit=50)
    pending = creditors.bindings(pipeline, "pending")
    return render(
        request, "creditors.html", held=held, listing=listing, search=suche, pending=pending
    )


@router.get("/kreditoren/bindungen")
def bindings_page(request: Request) -> Response:
    """Portal accounts asking to submit for a creditor: confirm or refuse (with a reason)."""
    user = page_user(request)
    require_keeper(user)
    return _bindings(request)


def _bindings(request: Request, status: int = 200, error: str | None = None) -> Response:
    from einvoice.services import creditors

    found = creditors.bindings(request.app.state.container.pipeline)
    notice = request.query_params.get("entschieden")
    entered = request.query_params.get("erfasst", "")
    return render(
        request,
        "creditor_bindings.html",
        status_code=status,
        pending=[b for b in found if b.state == "pending"],
        decided=[b for b in reversed(found) if b.state != "pending"][:50],
        states=BINDING_STATES_DE,
        error=error,
        notice=(
            f"Bindung {notice} entschieden. {_released_de_query(request)}"
            if notice and notice.isdigit()
            else f"Bindung {entered} erfasst (mit ihrem Kreditor). Bestätigen muss eine zweite "
            "Person der Kreditorenbuchhaltung (Vier-Augen-Prinzip)."
            if entered.isdigit()
            else None
        ),
    )


def _released_de_query(request: Request) -> str:
    done, kept = request.query_params.get("frei", ""), request.query_params.get("bleibt", "")
    if not done.isdigit():
        return ""
    if not int(done) and not (kept.isdigit() and int(kept)):  # not "bei 0 Rechnungen"
        return "Keine wartende Rechnung war deswegen gesperrt."
    text = f"Sperre aufgehoben bei {count_de(int(done), 'Rechnung')}"
    if kept.isdigit() and int(kept):
        text += f"; {int(kept)} bleiben gesperrt (Vier-Augen-Prinzip: wer zeichnete, hebt "
        text += "nicht auf)"
    return text + "."


@router.post("/kreditoren/bindungen/{binding_id}")
def decide_binding(
    request: Request,
    binding_id: RecordId,
    decision: Annotated[str, Form(max_length=20)],
    how: Annotated[str, Form(max_length=2000)] = "",
    creditor: Annotated[str, Form(max_length=64)] = "",
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    from einvoice.services import creditors
    from einvoice.services.workflow_base import NotFound, WorkflowError

    user = page_user(request)
    require_keeper(user)
    check_csrf(request, csrf_token_field)
    if decision not in ("confirm", "refuse"):
        raise HTTPException(422, f"Unbekannte Entscheidung „{decision}“.")
    pipeline = request.app.state.container.pipeline
    try:
        if creditors.binding(pipeline, binding_id).state != "pending":
            return _bindings(request, 400, f"Die Bindung {binding_id} ist bereits entschieden.")
        creditor_id = creditors.find(pipeline, creditor.strip()).id if creditor.strip() else None
        decided, released = creditors.decide_binding(
            pipeline,
            binding_id,
            user.username,
            confirm=decision == "confirm",
            how=how,
            creditor_id=creditor_id,
        )
    except NotFound as exc:
        return _bindings(request, 404, str(exc))
    except WorkflowError as exc:
        return _bindings(request, 400, str(exc))
    if decided.state == "pending":  # the creditor was named: a second person confirms
        return RedirectResponse(f"/kreditoren/bindungen?erfasst={binding_id}", status_code=303)
    query = urlencode(
        {"entschieden": binding_id, "frei": len(released.released), "bleibt": len(released.kept)}
    )
    return RedirectResponse(f"/kreditoren/bindungen?{query}", status_code=303)


@router.get("/kreditoren/{creditor_id}")
def creditor_page(request: Request, creditor_id: RecordId) -> Response:
    user = page_user(request)
    require_keeper(user)
    return _creditor(request, creditor_id)


def _creditor(
    request: Request,
    creditor_id: int,
    status: int = 200,
    error: str | None = None,
    typed: dict[str, str] | None = None,
) -> Response:
    """The creditor's page; ``error`` and what was ``typed`` when a form was refused."""
    from einvoice.services import creditors
    from einvoice.services.workflow_base import NotFound

    pipeline = request.app.state.container.pipeline
    try:
        creditor = creditors.find(pipeline, str(creditor_id))
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    return render(
        request,
        "creditor.html",
        status_code=status,
        creditor=creditor,
        history=creditors.history(pipeline, creditor.id),
        portal=creditors.bindings(pipeline, creditor_id=creditor.id),
        states=BINDING_STATES_DE,
        message=NOTICES_DE.get(request.query_params.get("hinweis") or ""),
        released=_released_de_query(request),
        error=error,
        typed=typed or {},
    )


@router.post("/kreditoren/{creditor_id}/bindung-neu")
def enter_binding(
    request: Request,
    creditor_id: RecordId,
    account: Annotated[str, Form(max_length=320)],
    how: Annotated[str, Form(max_length=2000)] = "",
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    """Enter a binding of an existing portal account to this creditor (four eyes: it waits
    on the bindings page until a second person of creditor accounting confirms it)."""
    from einvoice.services import creditors
    from einvoice.services.workflow_base import NotFound, WorkflowError

    user = page_user(request)
    require_keeper(user)
    check_csrf(request, csrf_token_field)
    pipeline = request.app.state.container.pipeline
    creditor = _creditor_or_404(pipeline, creditor_id)
    typed = {"account": account, "how": how}
    if not account.strip():
        return _creditor(request, creditor_id, 400, "Bitte das Portalkonto angeben.", typed)
    try:
        creditors.bind(
            pipeline, account, creditor.number, user.username, how, confirm_pending=False
        )
    except NotFound as exc:
        return _creditor(request, creditor_id, 404, str(exc), typed)
    except WorkflowError as exc:
        return _creditor(request, creditor_id, 400, str(exc), typed)
    return RedirectResponse(f"/kreditoren/{creditor_id}?hinweis=bindung-neu", status_code=303)


def _creditor_or_404(pipeline: Any, creditor_id: int) -> Any:
    from einvoice.services import creditors
    from einvoice.services.workflow_base import NotFound

    try:
        return creditors.find(pipeline, str(creditor_id))
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc


@router.post("/kreditoren/{creditor_id}/konto-neu")
def add_account(
    request: Request,
    creditor_id: RecordId,
    iban: Annotated[str, Form(max_length=64)],
    bic: Annotated[str, Form(max_length=20)] = "",
    holder: Annotated[str, Form(max_length=200)] = "",
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    """Record a further bank account of the creditor (unverified until someone checks it)."""
    from einvoice.services import creditors
    from einvoice.services.workflow_base import NotFound, WorkflowError

    user = page_user(request)
    require_keeper(user)
    check_csrf(request, csrf_token_field)
    account = creditors.AccountInput(iban, bic.strip() or None, holder.strip() or None)
    try:
        creditors.add_account(
            request.app.state.container.pipeline, creditor_id, account, user.username
        )
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except WorkflowError as exc:
        typed = {"iban": iban, "bic": bic, "holder": holder}
        return _creditor(request, creditor_id, 400, str(exc), typed)
    return RedirectResponse(f"/kreditoren/{creditor_id}?hinweis=konto-neu", status_code=303)


@router.post("/kreditoren/{creditor_id}/konto-pruefen")
def verify_account(
    request: Request,
    creditor_id: RecordId,
    iban: Annotated[str, Form(max_length=64)],
    how: Annotated[str, Form(max_length=2000)],
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    from einvoice.services import creditors
    from einvoice.services.workflow_base import NotFound, WorkflowError

    user = page_user(request)
    require_keeper(user)
    check_csrf(request, csrf_token_field)
    try:
        _, released = creditors.verify_account(
            request.app.state.container.pipeline, creditor_id, iban, user.username, how
        )
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except WorkflowError as exc:  # four eyes, already verified, no "how": said on the page
        return _creditor(request, creditor_id, 403, str(exc))
    query = urlencode(
        {"hinweis": "geprueft", "frei": len(released.released), "bleibt": len(released.kept)}
    )
    return RedirectResponse(f"/kreditoren/{creditor_id}?{query}", status_code=303)


@router.post("/rechnungen/{invoice_id}/sperre")
def clear_hold(
    request: Request,
    invoice_id: RecordId,
    code: Annotated[str, Form(max_length=40)],
    reason: Annotated[str, Form(max_length=2000)],
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    from einvoice.services import holds
    from einvoice.services.workflow_base import NotFound, Refused, WorkflowError
    from einvoice.web.pages_staff import render_invoice as invoice_page

    user = page_user(request)
    if user.role not in (*STAFF, *KEEPERS):
        raise HTTPException(
            403,
            "Zahlungssperren entscheiden die Sachbearbeitung des Amts (mögliche Doppelzahlung) "
            "und die Kreditorenbuchhaltung, nicht die Systemverwaltung (Trennung der Aufgaben).",
        )
    check_csrf(request, csrf_token_field)
    check_invoice_access(request, user, invoice_id)
    try:
        holds.clear(
            request.app.state.container.pipeline,
            invoice_id,
            code,
            user.username,
            reason,
            creditor_accounting=user.role.keeps_creditors,
        )
    except Refused as exc:  # the invoice page says why and who may act instead
        status = 409 if exc.code == "decided" else 403
        return invoice_page(request, user, invoice_id, error=exc.reason_de, status_code=status)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except WorkflowError as exc:
        return invoice_page(request, user, invoice_id, error=str(exc), status_code=400)
    return RedirectResponse(f"/rechnungen/{invoice_id}", status_code=303)


@router.post("/rechnungen/{invoice_id}/kreditor")
def assign_creditor(
    request: Request,
    invoice_id: RecordId,
    creditor: Annotated[str, Form(max_length=40)],
    reason: Annotated[str, Form(max_length=2000)],
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    """Name the creditor of an invoice with an unknown supplier: the first person proposes,
    a second one confirms (four eyes, services.creditor_assignment)."""
    from einvoice.services.creditor_assignment import assign_creditor as assign
    from einvoice.services.workflow_base import NotFound, Refused, WorkflowError
    from einvoice.web.pages_staff import render_invoice as invoice_page

    user = page_user(request)
    require_keeper(user)
    check_csrf(request, csrf_token_field)
    try:
        done = assign(
            request.app.state.container.pipeline,
            invoice_id,
            creditor.strip(),
            user.username,
            reason,
        )
    except Refused as exc:
        status = 409 if exc.code == "decided" else 403
        return invoice_page(request, user, invoice_id, error=exc.reason_de, status_code=status)
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except WorkflowError as exc:
        return invoice_page(request, user, invoice_id, error=str(exc), status_code=400)
    notice = "kreditor-zugeordnet" if done.confirmed else "kreditor-vorgeschlagen"
    return RedirectResponse(f"/rechnungen/{invoice_id}?hinweis={notice}", status_code=303)
