"""Pages of creditor accounting for the payments that came back (issue 24): read a payment
file (the cash system's CSV, the bank's camt.053 / camt.054) and decide what is open."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from einvoice.services.accounts import Role
from einvoice.web.deps import page_user, read_limited, render, uploaded_name
from einvoice.web.security import RecordId, check_csrf, require_role

router = APIRouter(include_in_schema=False)
ACCOUNTING = (Role.CREDITOR_ACCOUNTING,)
MAX_FILE = 50 * 1024 * 1024


def _page(
    request: Request,
    status: int = 200,
    error: str | None = None,
    problems: tuple[str, ...] = (),
    notice: str | None = None,
) -> Response:
    from einvoice.services import payments

    pipeline = request.app.state.container.pipeline
    decided = request.query_params.get("entschieden", "")
    if notice is None and decided.isdigit():
        notice = f"Zahlung {decided} entschieden (im Prüfprotokoll festgehalten)."
    return render(
        request,
        "payments.html",
        status_code=status,
        open_payments=payments.open_payments(pipeline),
        decisions=payments.DECISION_LABELS_DE,
        error=error,
        problems=problems,
        notice=notice,
    )


@router.get("/zahlungen")
def payments_page(request: Request) -> Response:
    user = page_user(request)
    require_role(user, ACCOUNTING)
    return _page(request)


@router.post("/zahlungen/einlesen")
async def import_payments(
    request: Request,
    file: Annotated[UploadFile, File()],
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    from einvoice.errors import ConfigurationError
    from einvoice.formats.payment_files import PaymentFileError, load_settings
    from einvoice.services import payments
    from einvoice.services.workflow_base import WorkflowError

    user = page_user(request)
    require_role(user, ACCOUNTING)
    check_csrf(request, csrf_token_field)
    data = await read_limited(file, MAX_FILE)
    name = uploaded_name(file, "zahlungen")
    container = request.app.state.container
    try:
        settings = load_settings(container.settings.payments_config)
        result = payments.import_file(container.pipeline, data, name, user.username, settings)
    except PaymentFileError as exc:
        lines = tuple(p.text(exc.filename) for p in exc.problems[:50])
        return _page(request, 400, "Die Datei wurde nicht eingelesen (nichts übernommen):", lines)
    except (ConfigurationError, WorkflowError) as exc:
        return _page(request, 400, str(exc))
    return _page(request, notice=result.summary_de)


@router.post("/zahlungen/{payment_id}")
def decide_payment(
    request: Request,
    payment_id: RecordId,
    decision: Annotated[str, Form(max_length=20)],
    invoice: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    csrf_token_field: Annotated[str | None, Form(alias="csrf_token")] = None,
) -> Response:
    from einvoice.services import payments
    from einvoice.services.workflow_base import NotFound, WorkflowError

    user = page_user(request)
    require_role(user, ACCOUNTING)
    check_csrf(request, csrf_token_field)
    target = invoice.strip()
    if target and not target.isdigit():
        return _page(request, 400, f"„{target}“ ist keine Rechnungsnummer des Systems (Zahl).")
    try:
        payments.decide(
            request.app.state.container.pipeline,
            payment_id,
            decision,
            user.username,
            invoice_id=int(target) if target else None,
            note=note,
        )
    except NotFound as exc:
        return _page(request, 404, str(exc))
    except WorkflowError as exc:
        return _page(request, 400, str(exc))
    return RedirectResponse(f"/zahlungen?entschieden={payment_id}", status_code=303)
