"""Supplier pages of the Weberfassung (issue 26): type an invoice, credit note or corrected
invoice into the portal, save it as a draft, preview it as the clerks will see it, submit it.

Suppliers only; a draft of another account is a 404. Every POST checks the CSRF token. The
form works without JavaScript: each button posts the whole form (``aktion`` says which).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from einvoice.domain.invoice_entry import UNITS, VAT_CHOICES, FieldError
from einvoice.domain.invoice_entry_form import label_de
from einvoice.domain.retention import OPEN_CORRECTION, SUBMITTED, DraftPeriods
from einvoice.presentation.plurals import count_de
from einvoice.services import draft_retention
from einvoice.services import invoice_entry as entry
from einvoice.services import invoice_entry_submit as entry_submit
from einvoice.services.accounts import Role, User
from einvoice.services.workflow_base import BadRequest, NotFound, ports_of
from einvoice.web.deps import page_user, read_limited, render
from einvoice.web.downloads import generated_file, spend_pdf_budget
from einvoice.web.security import RecordId, check_csrf, require_role

router = APIRouter(include_in_schema=False)
T = TypeVar("T")
BASE = "/rechnung-erfassen"


def _supplier(request: Request) -> User:
    user = page_user(request)
    require_role(user, [Role.SUPPLIER])
    return user


@contextmanager
def _answers() -> Iterator[None]:
    """The services' German refusals as HTTP answers (not found / not possible)."""
    try:
        yield
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except BadRequest as exc:
        raise HTTPException(400, str(exc)) from exc


def _call(fn: Callable[[], T]) -> T:
    with _answers():
        return fn()


@router.get(BASE)
def overview(request: Request) -> Response:
    user = _supplier(request)
    pipeline = request.app.state.container.pipeline
    config = ports_of(pipeline).routing()
    settings = request.app.state.container.settings
    periods = DraftPeriods(settings.draft_days, settings.submitted_draft_days)
    return render(
        request,
        "entry_list.html",
        drafts=entry.drafts(pipeline, user.id),
        kept=_kept(pipeline, user.id, periods),
        untouched_days=count_de(periods.untouched_days, "Tag"),
        submitted_days=count_de(periods.submitted_days, "Tag"),
        returned=entry.returned_invoices(pipeline, user.id),
        creditors=entry.bound_creditors(pipeline, user.id),
        ready=config.buyer is not None,
    )


def _kept(pipeline: Any, account_id: int, periods: DraftPeriods) -> dict[int, str]:
    """Draft id -> how long it is kept (German), for the drafts list."""
    zone = ports_of(pipeline).zone
    shown: dict[int, str] = {}
    decisions = draft_retention.account_decisions(pipeline, account_id, pipeline.clock(), periods)
    for draft_id, decision in decisions.items():
        if decision.until is None:
            shown[draft_id] = (
                "solange die Rechnung offen ist" if decision.kind == OPEN_CORRECTION else "bleibt"
            )
            continue
        day = f"{decision.until.astimezone(zone):%d.%m.%Y}"
        shown[draft_id] = (
            f"bis {day}" if decision.kind == SUBMITTED else f"bis {day}, wenn unverändert"
        )
    return shown


async def _form(request: Request) -> Any:
    form = await request.form()  # parsed (at most MAX_FORM_FIELDS) by web.text_input
    check_csrf(request, str(form.get("csrf_token") or "") or None)
    return form


@router.post(BASE + "/neu")
async def new_draft(request: Request) -> Response:
    user = _supplier(request)
    form = await _form(request)
    kind = str(form.get("art") or "")
    chosen = str(form.get("kreditor") or "")
    creditor_id = int(chosen) if chosen.isdigit() and len(chosen) < 10 else None
    pipeline = request.app.state.container.pipeline
    draft_id = _call(lambda: entry.create(pipeline, user.id, kind, creditor_id))
    return RedirectResponse(f"{BASE}/{draft_id}", status_code=303)


@router.post(BASE + "/korrektur/{invoice_id}")
async def new_correction(request: Request, invoice_id: RecordId) -> Response:
    user = _supplier(request)
    await _form(request)
    pipeline = request.app.state.container.pipeline
    draft_id = _call(lambda: entry.create_correction(pipeline, user.id, invoice_id))
    return RedirectResponse(f"{BASE}/{draft_id}", status_code=303)


def _show_form(
    request: Request,
    user: User,
    draft: entry.Draft,
    errors: tuple[FieldError, ...] = (),
    attachment_error: str | None = None,
    status_code: int = 200,
    checked: entry_submit.Checked | None = None,
) -> Response:
    pipeline = request.app.state.container.pipeline
    config = ports_of(pipeline).routing()
    creditor = entry.creditor_of(pipeline, user.id, draft)
    by_field: dict[str, list[str]] = {}
    for error in errors:
        by_field.setdefault(error.field, []).append(error_text(error))
    settings = request.app.state.settings
    return render(
        request,
        "entry_form.html",
        status_code=status_code,
        draft=draft,
        v=draft.values,
        errors=errors,
        by_field=by_field,
        error_text=error_text,
        summary_text=summary_text,
        label_de=label_de,
        attachment_error=attachment_error,
        saved=request.query_params.get("gespeichert") == "1",
        buyer=config.buyer,
        offices_choices=office_choices(config, draft.values.get("leitweg_id", "")),
        anchor=lambda field: anchor(field, draft),
        units=UNITS,
        vat_choices=VAT_CHOICES,
        accounts=entry.verified_accounts(creditor),
        new_iban=entry.new_iban(creditor, draft.values.get("iban", "")),
        return_comment=entry.return_comment(pipeline, draft.corrects_invoice_id),
        totals=checked.totals if checked is not None else None,
        limit_mb=entry_submit.megabytes(
            entry_submit.total_limit(pipeline, settings.max_upload_bytes)
        ),
        file_mb=entry_submit.megabytes(
            entry_submit.file_limit(pipeline, settings.max_upload_bytes)
        ),
        attachment_types=entry_submit.ATTACHMENT_TYPES_DE,
    )


def office_choices(config: Any, typed: str) -> list[tuple[str, str]]:
    """The offices by name; a Leitweg-ID in the draft that is none of theirs (a corrected
    invoice, a hand-made post) is offered too, so saving never drops it unseen."""
    choices = [(o.leitweg_id, o.name) for o in entry.offices(config)]
    if typed and all(value != typed for value, _ in choices):
        choices.append((typed, f"{typed} (bisher eingetragen)"))
    return choices


def anchor(field: str, draft: entry.Draft) -> str:
    """The id of the form's input an error names (the nearest one the form has)."""
    prefix, _, rest = field.partition("-")
    if prefix in draft.rows and rest:
        number = rest.split("-", 1)[0]
        if number.isdigit() and int(number) <= draft.rows[prefix]:
            return f"f-{field}" if "-" in rest else f"{prefix}-{number}"
        return "f-zeilen" if prefix == "zeile" else f"{prefix}-1"
    if field in entry.HEADER_FIELDS:
        return f"f-{field}"
    return "f-zeilen" if field.startswith("zeile") else "fehler"


def error_text(error: FieldError) -> str:
    """The German message, with the rule named where it is one of the standard's."""
    if error.rule and error.rule != "EINGABE":
        return f"{error.message_de} (Prüfregel {error.rule})"
    return error.message_de


def summary_text(error: FieldError) -> str:
    """The error as the summary lists it: the field's label once, then the message."""
    label, text = label_de(error.field), error_text(error)
    return text if text.startswith(label + ":") else f"{label}: {text}"


@router.get(BASE + "/{draft_id}")
def form_page(request: Request, draft_id: RecordId) -> Response:
    user = _supplier(request)
    pipeline = request.app.state.container.pipeline
    draft = _call(lambda: entry.draft(pipeline, user.id, draft_id))
    checked = None
    if not draft.submitted and request.query_params.get("pruefen") == "1":
        checked = _call(lambda: entry_submit.check(pipeline, user.id, draft_id, validate=False))
        return _show_form(request, user, draft, checked.field_errors, checked=checked)
    return _show_form(request, user, draft)


#: The buttons of the form (``aktion``) that only change the draft and show it again.
_ROW_BUTTONS = {"zeile": "zeile", "abzug": "abzug", "zuschlag": "zuschlag"}


@router.post(BASE + "/{draft_id}")
async def form_post(request: Request, draft_id: RecordId) -> Response:
    user = _supplier(request)
    form = await _form(request)
    pipeline = request.app.state.container.pipeline
    action = str(form.get("aktion") or "speichern")
    if action == "einreichen" and (done := _submitted(request, user, draft_id)) is not None:
        return done  # the second request of a double click
    values = {k: str(v) for k, v in form.multi_items() if not isinstance(v, UploadFile)}
    draft = _call(lambda: entry.save(pipeline, user.id, draft_id, values, _ROW_BUTTONS.get(action)))
    if action == "anlage" or _chosen(form):  # a chosen file is attached, whatever button
        refused = await _attach(request, user, draft, form)
        if refused is not None or action == "anlage":
            return refused or RedirectResponse(f"{BASE}/{draft_id}#anlagen", status_code=303)
        draft = _call(lambda: entry.draft(pipeline, user.id, draft_id))  # with the file
    if action in _ROW_BUTTONS:
        anchor = f"{action}-{draft.rows[action]}"
        return RedirectResponse(f"{BASE}/{draft_id}#{anchor}", status_code=303)
    if action.startswith("anlage-weg-") and action[11:].isdigit():
        _call(lambda: entry_submit.remove_attachment(pipeline, user.id, draft_id, int(action[11:])))
        return RedirectResponse(f"{BASE}/{draft_id}#anlagen", status_code=303)
    if action in ("vorschau", "einreichen"):
        checked = _call(lambda: entry_submit.check(pipeline, user.id, draft_id, validate=False))
        if checked.field_errors:
            return _show_form(request, user, draft, checked.field_errors, None, 422, checked)
        if action == "einreichen":
            return _submit(request, user, draft_id)
        return RedirectResponse(f"{BASE}/{draft_id}/vorschau", status_code=303)
    return RedirectResponse(f"{BASE}/{draft_id}?gespeichert=1", status_code=303)


def _chosen(form: Any) -> bool:
    file = form.get("anlage")
    return isinstance(file, UploadFile) and bool(file.filename or file.size)


async def _attach(request: Request, user: User, draft: entry.Draft, form: Any) -> Response | None:
    """Attach the chosen file: None when attached, else the form saying why not."""
    pipeline = request.app.state.container.pipeline
    file = form.get("anlage")
    if not isinstance(file, UploadFile) or not _chosen(form):
        return _show_form(
            request,
            user,
            draft,
            attachment_error="Bitte eine Datei zum Anhängen wählen.",
            status_code=400,
        )
    limit = request.app.state.settings.max_upload_bytes
    try:
        data = await read_limited(cast(Any, file), limit)  # starlette's UploadFile of the form
        entry_submit.add_attachment(
            pipeline,
            user.id,
            draft.id,
            file.filename or "anlage",
            data,
            str(form.get("anlage_beschreibung") or ""),
            limit,
        )
    except HTTPException as exc:
        return _show_form(
            request, user, draft, attachment_error=str(exc.detail), status_code=exc.status_code
        )
    except BadRequest as exc:
        return _show_form(request, user, draft, attachment_error=str(exc), status_code=400)
    return None


def _submitted(request: Request, user: User, draft_id: int) -> Response | None:
    """The report of the draft's submission when it is submitted already (a double click,
    a second tab): the one submission, not an error."""
    pipeline = request.app.state.container.pipeline
    shown = _call(lambda: entry.draft(pipeline, user.id, draft_id))
    if shown.message_id is None:
        return None
    return RedirectResponse(f"/einreichungen/{shown.message_id}?erneut=1", status_code=303)


def _submit(request: Request, user: User, draft_id: int) -> Response:
    pipeline = request.app.state.container.pipeline
    if (done := _submitted(request, user, draft_id)) is not None:
        return done
    result = _call(
        lambda: entry_submit.submit(pipeline, user.id, draft_id, request.app.state.on_invoice)
    )
    if isinstance(result, entry_submit.Submitted):
        again = "" if result.new else "?erneut=1"
        return RedirectResponse(f"/einreichungen/{result.message_id}{again}", status_code=303)
    if result.field_errors:
        return _show_form(request, user, result.draft, result.field_errors, None, 422, result)
    return _preview(request, user, result, status_code=422)


@router.get(BASE + "/{draft_id}/vorschau")
def preview_page(request: Request, draft_id: RecordId) -> Response:
    user = _supplier(request)
    pipeline = request.app.state.container.pipeline
    checked = _call(lambda: entry_submit.check(pipeline, user.id, draft_id))
    if checked.field_errors:
        return _show_form(request, user, checked.draft, checked.field_errors, None, 422, checked)
    return _preview(request, user, checked)


def _preview(
    request: Request, user: User, checked: entry_submit.Checked, status_code: int = 200
) -> Response:
    from einvoice.web.original_view import rendering_of

    pipeline = request.app.state.container.pipeline
    assert checked.xml is not None
    model = entry_submit.parsed(pipeline, entry_submit.file_name(checked.draft), checked.xml)
    creditor = entry.creditor_of(pipeline, user.id, checked.draft)
    return render(
        request,
        "entry_preview.html",
        status_code=status_code,
        draft=checked.draft,
        checked=checked,
        totals=checked.totals,
        rendering=rendering_of(model, entry.today(pipeline)),
        new_iban=entry.new_iban(creditor, checked.draft.values.get("iban", "")),
    )


@router.post(BASE + "/{draft_id}/einreichen")
async def submit_post(request: Request, draft_id: RecordId) -> Response:
    user = _supplier(request)
    await _form(request)
    return _submit(request, user, draft_id)


@router.post(BASE + "/{draft_id}/loeschen")
async def delete_post(request: Request, draft_id: RecordId) -> Response:
    user = _supplier(request)
    await _form(request)
    pipeline = request.app.state.container.pipeline
    _call(lambda: entry.delete(pipeline, user.id, draft_id))
    return RedirectResponse(f"{BASE}?geloescht=1", status_code=303)


@router.get(BASE + "/{draft_id}/rechnung.xml")
def xml_download(request: Request, draft_id: RecordId) -> Response:
    user = _supplier(request)
    pipeline = request.app.state.container.pipeline
    name, xml = _call(lambda: entry_submit.xml_of(pipeline, user.id, draft_id))
    return generated_file(xml, name, "application/xml")


@router.get(BASE + "/{draft_id}/rechnung.pdf")
def pdf_download(request: Request, draft_id: RecordId) -> Response:
    """The invoice as the clerks' rendering prints it (for the supplier's own records)."""
    from einvoice.presentation.render import RenderError, render_pdf

    user = _supplier(request)
    pipeline = request.app.state.container.pipeline
    name, xml = _call(lambda: entry_submit.xml_of(pipeline, user.id, draft_id))
    model = entry_submit.parsed(pipeline, name, xml)
    spend_pdf_budget(request, user)
    try:
        pdf = render_pdf(model, timeout=60.0)
    except RenderError as exc:
        raise HTTPException(
            503, f"Die Rechnung kann gerade nicht als PDF erzeugt werden: {exc}"
        ) from exc
    return generated_file(pdf, name.removesuffix(".xml") + ".pdf", "application/pdf")


@router.get(BASE + "/{draft_id}/anlagen/{file_id}")
def attachment_download(request: Request, draft_id: RecordId, file_id: RecordId) -> Response:
    user = _supplier(request)
    pipeline = request.app.state.container.pipeline
    name, mime, data = _call(
        lambda: entry_submit.attachment_file(pipeline, user.id, draft_id, file_id)
    )
    return generated_file(data, name, mime)
