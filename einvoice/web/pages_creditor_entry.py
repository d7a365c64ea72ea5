"""Creditor accounting enters and edits creditors in the web app (issue 25, finding 1).

``/kreditoren/neu`` (``?rechnung=ID``: prefilled from a held invoice's seller) enters a creditor
whose bank account stays unverified until a second person verifies it; from a held invoice it
also proposes the creditor for that invoice, which a second person confirms on the invoice
page (four eyes, ``services.creditor_entry``). ``/kreditoren/{id}/bearbeiten`` edits the master
data. Registered before ``pages_creditors`` so that ``/kreditoren/neu`` is not read as an id.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from einvoice.services.accounts import Role
from einvoice.web.deps import check_invoice_access, page_user, render
from einvoice.web.security import RecordId, check_csrf, require_role

router = APIRouter(include_in_schema=False)
MAX_LIST = 10  # identifiers / e-mails per field


def _keepers() -> tuple[Role, ...]:
    """Who keeps creditor data (``Role.keeps_creditors``: creditor accounting)."""
    return tuple(r for r in Role if r.keeps_creditors)


def _split(text: str) -> tuple[str, ...]:
    """Comma or line separated values, as written, without repeats."""
    parts = (p.strip() for p in text.replace("\n", ",").split(","))
    return tuple(dict.fromkeys(p for p in parts if p))[:MAX_LIST]


def _typed(data: Any) -> dict[str, str]:
    """The form's values of a ``CreditorInput``."""
    account = data.accounts[0] if data.accounts else None
    return {
        "number": data.number,
        "name": data.name,
        "street": data.street or "",
        "post_code": data.post_code or "",
        "city": data.city or "",
        "country": data.country or "",
        "vat_ids": ", ".join(data.vat_ids),
        "tax_number": data.tax_number or "",
        "registration": data.registration or "",
        "seller_ids": ", ".join(data.seller_ids),
        "emails": ", ".join(data.emails),
        "iban": account.iban if account else "",
        "bic": (account.bic or "") if account else "",
        "holder": (account.holder or "") if account else "",
    }


def _invoice_facts(request: Request, invoice_id: int) -> dict[str, Any]:
    from einvoice.services import holds
    from einvoice.storage.tables import Invoice

    pipeline = request.app.state.container.pipeline
    with pipeline.sessions() as session:
        invoice = session.get(Invoice, invoice_id)
        if invoice is None:
            raise HTTPException(404, f"Die Rechnung {invoice_id} gibt es nicht.")
        number = invoice.number
    waiting = any(
        h.code == "unknown-supplier" and h.open for h in holds.holds_of(pipeline, invoice_id)
    )
    return {"id": invoice_id, "number": number, "waiting": waiting}


def _form(
    request: Request,
    typed: dict[str, str],
    *,
    invoice: dict[str, Any] | None = None,
    creditor: Any = None,
    reason: str = "",
    status: int = 200,
    error: str | None = None,
) -> Response:
    return render(
        request,
        "creditor_form.html",
        status_code=status,
        typed=typed,
        invoice=invoice,
        creditor=creditor,
        reason=reason,
        error=error,
    )


@router.get("/kreditoren/neu")
def new_creditor_page(request: Request, rechnung: RecordId | None = None) -> Response:
    """The form „Kreditor anlegen“; with ``rechnung`` prefilled from that invoice's seller."""
    from einvoice.services import creditor_entry
    from einvoice.services.creditor_records import CreditorInput

    user = page_user(request)
    require_role(user, _keepers())
    if rechnung is None:
        return _form(request, _typed(CreditorInput("", "", country="DE")))
    check_invoice_access(request, user, rechnung)
    invoice = _invoice_facts(request, rechnung)
    draft = creditor_entry.draft_from_invoice(request.app.state.container.pipeline, rechnung)
    return _form(request, _typed(draft), invoice=invoice)


@router.post("/kreditoren/neu")
def create_creditor(
    request: Request,
    number: Annotated[str, Form(max_length=32)],
    name: Annotated[str, Form(max_length=512)],
    street: Annotated[str, Form(max_length=255)] = "",
    post_code: Annotated[str, Form(max_length=32)] = "",
    city: Annotated[str, Form(max_length=255)] = "",
    country: Annotated[str, Form(max_length=2)] = "",
    vat_ids: Annotated[str, Form(max_length=1000)] = "",
    tax_number: Annotated[str, Form(max_length=64)] = "",
    registration: Annotated[str, Form(max_length=255)] = "",
    seller_ids: Annotated[str, Form(max_length=1000)] = "",
    emails: Annotated[str, Form(max_length=2000)] = "",
    iban: Annotated[str, Form(max_length=64)] = "",
    bic: Annotated[str, Form(max_length=20)] = "",
    holder: Annotated[str, Form(max_length=200)] = "",
    rechnung: Annotated[str, Form(max_length=12)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    from einvoice.services import creditor_entry
    from einvoice.services.creditor_records import AccountInput, CreditorInput
    from einvoice.services.workflow_base import NotFound, Refused, WorkflowError

    user = page_user(request)
    require_role(user, _keepers())
    check_csrf(request, csrf_token_field)
    invoice_id = int(rechnung) if rechnung.strip().isdigit() else None
    invoice = None
    if invoice_id is not None:
        check_invoice_access(request, user, invoice_id)
        invoice = _invoice_facts(request, invoice_id)
    data = CreditorInput(
        number=number.strip(),
        name=name.strip(),
        street=street.strip() or None,
        post_code=post_code.strip() or None,
        city=city.strip() or None,
        country=country.strip().upper() or None,
        vat_ids=_split(vat_ids),
        tax_number=tax_number.strip() or None,
        registration=registration.strip() or None,
        seller_ids=_split(seller_ids),
        emails=_split(emails),
        accounts=(AccountInput(iban.strip(), bic.strip() or None, holder.strip() or None),)
        if iban.strip()
        else (),
    )
    try:
        created = creditor_entry.create(
            request.app.state.container.pipeline,
            data,
            user.username,
            # the form asked for a reason while the invoice waited: propose (or say why not)
            invoice_id=invoice_id if invoice and (invoice["waiting"] or reason.strip()) else None,
            reason=reason,
        )
    except (Refused, NotFound, WorkflowError) as exc:
        text = exc.reason_de if isinstance(exc, Refused) else str(exc)
        return _form(request, _typed(data), invoice=invoice, reason=reason, status=400, error=text)
    if created.refused_de is not None:
        return RedirectResponse(
            f"/kreditoren/{created.creditor_id}?hinweis=angelegt-ohne-vorschlag", status_code=303
        )
    if created.proposal is not None and invoice_id is not None:
        return RedirectResponse(
            f"/rechnungen/{invoice_id}?hinweis=kreditor-angelegt", status_code=303
        )
    return RedirectResponse(f"/kreditoren/{created.creditor_id}?hinweis=angelegt", status_code=303)


@router.get("/kreditoren/{creditor_id}/bearbeiten")
def edit_creditor_page(request: Request, creditor_id: RecordId) -> Response:
    user = page_user(request)
    require_role(user, _keepers())
    creditor = _creditor(request, creditor_id)
    return _form(request, _typed(creditor), creditor=creditor)


def _creditor(request: Request, creditor_id: int) -> Any:
    from einvoice.services import creditors
    from einvoice.services.workflow_base import NotFound

    try:
        return creditors.find(request.app.state.container.pipeline, str(creditor_id))
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc


@router.post("/kreditoren/{creditor_id}/bearbeiten")
def edit_creditor(
    request: Request,
    creditor_id: RecordId,
    name: Annotated[str, Form(max_length=512)],
    street: Annotated[str, Form(max_length=255)] = "",
    post_code: Annotated[str, Form(max_length=32)] = "",
    city: Annotated[str, Form(max_length=255)] = "",
    country: Annotated[str, Form(max_length=2)] = "",
    vat_ids: Annotated[str, Form(max_length=1000)] = "",
    tax_number: Annotated[str, Form(max_length=64)] = "",
    registration: Annotated[str, Form(max_length=255)] = "",
    seller_ids: Annotated[str, Form(max_length=1000)] = "",
    emails: Annotated[str, Form(max_length=2000)] = "",
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    from einvoice.services import creditor_entry
    from einvoice.services.creditor_records import CreditorInput
    from einvoice.services.workflow_base import NotFound, WorkflowError

    user = page_user(request)
    require_role(user, _keepers())
    check_csrf(request, csrf_token_field)
    creditor = _creditor(request, creditor_id)
    data = CreditorInput(
        number=creditor.number,
        name=name.strip(),
        street=street.strip() or None,
        post_code=post_code.strip() or None,
        city=city.strip() or None,
        country=country.strip().upper() or None,
        vat_ids=_split(vat_ids),
        tax_number=tax_number.strip() or None,
        registration=registration.strip() or None,
        seller_ids=_split(seller_ids),
        emails=_split(emails),
    )
    try:
        done = creditor_entry.update(
            request.app.state.container.pipeline, creditor_id, data, user.username
        )
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except WorkflowError as exc:
        return _form(request, _typed(data), creditor=creditor, status=400, error=str(exc))
    notice = "geaendert" if done == "changed" else "unveraendert"
    return RedirectResponse(f"/kreditoren/{creditor_id}?hinweis={notice}", status_code=303)
