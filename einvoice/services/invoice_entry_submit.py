"""Weberfassung (issue 26): attachments, checking, preview and submitting a draft.

The server is the truth: :func:`check` reads the draft's values field by field (German
errors per field), the generated XRechnung then runs through the same validation as any
upload. Only an invoice that would be accepted is submitted; it enters the pipeline as a
submission of the account (channel ``weberfassung``, source ``upload:<account>:<number>.xml``)
so ownership, holds and notifications treat it like an upload.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update

from einvoice.domain.channels import WEBERFASSUNG
from einvoice.domain.entry_fields import (
    MAX_ATTACHMENT_BYTES,
    MAX_ATTACHMENT_DESCRIPTION,
    MAX_ATTACHMENTS,
    MAX_ATTACHMENTS_BYTES,
)
from einvoice.domain.findings import Finding, Report
from einvoice.domain.invoice_entry import EntryAttachment, EntryTotals, FieldError, compute_totals
from einvoice.domain.invoice_entry_form import FormResult, read_form
from einvoice.formats.xrechnung_writer import write_ubl
from einvoice.services import upload
from einvoice.services.invoice_entry import (
    Draft,
    buyer,
    buyer_coarse,
    draft,
    own_row,
    today,
)
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import BadRequest, NotFound, ports_of
from einvoice.storage.entry_tables import InvoiceDraftAttachmentRow, InvoiceDraftRow
from einvoice.storage.tables import Message

#: The files an invoice may carry (XRechnung's BT-125 mime codes): extension -> mime code.
ATTACHMENT_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
}
ATTACHMENT_TYPES_DE = "PDF, PNG, JPEG, CSV, XLSX oder ODS"
_RESERVE = 256 * 1024  # room in the XML for the invoice itself


@dataclass(frozen=True, slots=True)
class Checked:
    """A draft read as an invoice: field errors, else the XML and (after validation) the
    report of the same validation an upload gets."""

    draft: Draft
    form: FormResult
    totals: EntryTotals | None
    xml: bytes | None
    report: Report | None

    @property
    def field_errors(self) -> tuple[FieldError, ...]:
        return self.form.errors

    @property
    def validation_errors(self) -> list[Finding]:
        return self.report.errors if self.report is not None else []

    @property
    def acceptable(self) -> bool:
        """It would be accepted: no field error and no error of the validation."""
        return self.xml is not None and self.report is not None and self.report.valid


@dataclass(frozen=True, slots=True)
class Submitted:
    message_id: int
    new: bool  # False: the very same invoice was submitted before


# --- attachments --------------------------------------------------------------------------


def total_limit(pipeline: Pipeline, max_bytes: int) -> int:
    """The most bytes all attachments of one draft may have: the form's own limit, and the
    generated XML (base64, a third larger) within the upload's and the pipeline's limits."""
    room = min(max_bytes, pipeline.limits.max_attachment_bytes) * 3 // 4 - _RESERVE
    return max(0, min(room, MAX_ATTACHMENTS_BYTES))


def file_limit(pipeline: Pipeline, max_bytes: int) -> int:
    """The most bytes one attachment may have."""
    return min(MAX_ATTACHMENT_BYTES, total_limit(pipeline, max_bytes))


def megabytes(size: int) -> str:
    """``5242880`` -> ``5``, ``1572864`` -> ``1,5`` (MB, German)."""
    text = f"{size / 1048576:.1f}".removesuffix(".0")
    return text.replace(".", ",")


def attachment_type(filename: str, data: bytes) -> str:
    """The mime code of an attachment, by its name and checked against its content;
    BadRequest (German) for any other file."""
    name = filename.lower()
    extension = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    mime = ATTACHMENT_TYPES.get(extension)
    refused = (
        f"„{filename}“ kann nicht angehängt werden: erlaubt sind {ATTACHMENT_TYPES_DE}-Dateien."
    )
    if mime is None:
        raise BadRequest(refused)
    fits = {
        "application/pdf": data.startswith(b"%PDF-"),
        "image/png": data.startswith(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg": data.startswith(b"\xff\xd8\xff"),
        "text/csv": _is_text(data),
        ATTACHMENT_TYPES[".xlsx"]: data.startswith(b"PK\x03\x04"),
        ATTACHMENT_TYPES[".ods"]: data.startswith(b"PK\x03\x04")
        and b"application/vnd.oasis.opendocument.spreadsheet" in data[:200],
    }[mime]
    if not fits:
        raise BadRequest(
            f"„{filename}“ ist keine {extension[1:].upper()}-Datei (der Inhalt passt nicht zur "
            "Endung). Bitte die Datei prüfen."
        )
    return mime


def _short(name: str) -> str:
    """A file name of at most 100 characters (XRechnung's), keeping its extension."""
    if len(name) <= 100:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10:
        return name[:100]
    return stem[: 99 - len(extension)] + "." + extension


def _is_text(data: bytes) -> bool:
    if b"\x00" in data[:65536]:
        return False
    for encoding in ("utf-8", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def add_attachment(
    pipeline: Pipeline,
    account_id: int,
    draft_id: int,
    filename: str,
    data: bytes,
    description: str,
    max_bytes: int,
) -> None:
    """Attach a file to the draft (BG-24) within the limits; BadRequest saying why not."""
    name = _short(filename.replace("\\", "/").rsplit("/", 1)[-1].strip()) or "anlage"
    if not data:
        raise BadRequest(f"„{name}“ ist leer.")
    mime = attachment_type(name, data)
    description = " ".join(description.split())  # one line, as the form's field has it
    if len(description) > MAX_ATTACHMENT_DESCRIPTION:
        raise BadRequest(
            f"Die Beschreibung der Datei „{name}“ ist zu lang: höchstens "
            f"{MAX_ATTACHMENT_DESCRIPTION} Zeichen (jetzt {len(description)})."
        )
    if len(data) > file_limit(pipeline, max_bytes):
        raise BadRequest(
            f"„{name}“ ist zu groß: eine Anlage darf höchstens "
            f"{megabytes(file_limit(pipeline, max_bytes))} MB haben."
        )
    limit = total_limit(pipeline, max_bytes)
    with pipeline.sessions() as session:
        row = own_row(session, account_id, draft_id)
        if row.message_id is not None:
            raise BadRequest("Dieser Entwurf ist bereits eingereicht.")
        present = session.execute(
            select(InvoiceDraftAttachmentRow.filename, InvoiceDraftAttachmentRow.size).where(
                InvoiceDraftAttachmentRow.draft_id == row.id
            )
        ).all()
        if len(present) >= MAX_ATTACHMENTS:
            raise BadRequest(f"Eine Rechnung hat höchstens {MAX_ATTACHMENTS} Anlagen.")
        if any(p.filename.casefold() == name.casefold() for p in present):
            raise BadRequest(f"Eine Anlage „{name}“ gibt es schon: bitte die Datei umbenennen.")
        if sum(p.size for p in present) + len(data) > limit:
            raise BadRequest(
                f"„{name}“ ist zu groß: alle Anlagen zusammen dürfen höchstens "
                f"{megabytes(limit)} MB haben."
            )
        session.add(
            InvoiceDraftAttachmentRow(
                draft_id=row.id,
                filename=name,
                mime_code=mime,
                size=len(data),
                description=description,
                data=data,
                added_at=pipeline.clock(),
            )
        )
        row.updated_at = pipeline.clock()
        session.commit()


def remove_attachment(pipeline: Pipeline, account_id: int, draft_id: int, file_id: int) -> None:
    with pipeline.sessions() as session:
        row = own_row(session, account_id, draft_id)
        if row.message_id is not None:
            raise BadRequest("Dieser Entwurf ist bereits eingereicht.")
        found = session.get(InvoiceDraftAttachmentRow, file_id)
        if found is None or found.draft_id != row.id:
            raise NotFound("Diese Anlage gibt es nicht.")
        session.delete(found)
        row.updated_at = pipeline.clock()
        session.commit()


def attachment_file(
    pipeline: Pipeline, account_id: int, draft_id: int, file_id: int
) -> tuple[str, str, bytes]:
    """(file name, mime code, bytes) of an attachment of the own draft."""
    with pipeline.sessions() as session:
        row = own_row(session, account_id, draft_id)
        found = session.get(InvoiceDraftAttachmentRow, file_id)
        if found is None or found.draft_id != row.id:
            raise NotFound("Diese Anlage gibt es nicht.")
        return found.filename, found.mime_code, found.data


def _attachments(pipeline: Pipeline, draft_id: int) -> list[EntryAttachment]:
    with pipeline.sessions() as session:
        rows = session.scalars(
            select(InvoiceDraftAttachmentRow)
            .where(InvoiceDraftAttachmentRow.draft_id == draft_id)
            .order_by(InvoiceDraftAttachmentRow.id)
        )
        return [
            EntryAttachment(
                filename=r.filename,
                mime_code=r.mime_code,
                content=r.data,
                description=r.description,
            )
            for r in rows
        ]


# --- checking, preview, submitting ---------------------------------------------------------


def check(pipeline: Pipeline, account_id: int, draft_id: int, *, validate: bool = True) -> Checked:
    """The draft read field by field; without field errors its XRechnung, and (``validate``)
    the verdict of the same validation an upload gets."""
    shown = draft(pipeline, account_id, draft_id)
    party = buyer(pipeline)
    if party is None:
        raise BadRequest(
            "Die Weberfassung ist nicht eingerichtet: in der Konfiguration der Stadt fehlen "
            "die Angaben zur Rechnungsempfängerin. Bitte reichen Sie Ihre Rechnung als Datei ein."
        )
    form = read_form(
        shown.values,
        party,
        _attachments(pipeline, draft_id),
        today(pipeline),
        buyer_coarse=buyer_coarse(ports_of(pipeline).routing()),
    )
    if form.invoice is None:
        return Checked(shown, form, None, None, None)
    totals = compute_totals(form.invoice)
    xml = write_ubl(form.invoice)
    report = pipeline.validate(xml, file_name(shown)) if validate else None
    return Checked(shown, form, totals, xml, report)


def file_name(shown: Draft) -> str:
    """The XML's file name: the invoice number (``R-2026-17.xml``)."""
    number = "".join(c if c.isalnum() or c in "-_." else "_" for c in shown.number)
    return (number.strip("._") or f"entwurf-{shown.id}")[:120] + ".xml"


def submit(
    pipeline: Pipeline,
    account_id: int,
    draft_id: int,
    on_invoice: Callable[[int], None],
) -> Checked | Submitted:
    """Submit the draft when it would be accepted: :class:`Submitted`; else the
    :class:`Checked` saying why not (field errors or the validation's errors)."""
    checked = check(pipeline, account_id, draft_id)
    if checked.draft.submitted:
        raise BadRequest("Dieser Entwurf ist bereits eingereicht.")
    if not checked.acceptable or checked.xml is None:
        return checked
    result = upload.submit(
        pipeline,
        checked.xml,
        file_name(checked.draft),
        account_id,
        on_invoice,
        channel=WEBERFASSUNG,
    )
    now = pipeline.clock()
    with pipeline.sessions() as session:
        session.execute(
            update(InvoiceDraftRow)
            .where(InvoiceDraftRow.id == draft_id, InvoiceDraftRow.message_id.is_(None))
            .values(message_id=result.message_id, submitted_at=now, updated_at=now)
        )
        session.commit()
    return Submitted(result.message_id, result.new)


def xml_of(pipeline: Pipeline, account_id: int, draft_id: int) -> tuple[str, bytes]:
    """(file name, XML) of the draft: once submitted, the very bytes the city received;
    before, the XRechnung it would submit (NotFound while the form has errors)."""
    shown = draft(pipeline, account_id, draft_id)
    if shown.message_id is not None:
        with pipeline.sessions() as session:
            message = session.get(Message, shown.message_id)
            sha = message.raw_sha256 if message is not None else None
        if sha is not None:
            return file_name(shown), pipeline.blobs.get(sha)
    checked = check(pipeline, account_id, draft_id, validate=False)
    if checked.xml is None:
        raise NotFound(
            "Aus diesem Entwurf lässt sich noch keine Rechnung erzeugen: bitte zuerst die "
            "markierten Angaben berichtigen."
        )
    return file_name(shown), checked.xml


def parsed(pipeline: Pipeline, name: str, xml: bytes) -> Any:
    """The invoice model the project's parser reads from ``xml`` (what clerks see)."""
    return ports_of(pipeline).read_invoice(xml, name)
