"""Weberfassung without a draft (issue 26, for the API): form values in, XRechnung out.

The same path as a draft of the portal's form (``invoice_entry``, ``invoice_entry_submit``)
for a program that sends the whole invoice at once: the values are read by the form's
rules (:func:`~einvoice.domain.invoice_entry_form.read_form`, one truth), the buyer is the
city's (routing configuration), the seller's fields left out are those a new draft is
prefilled with (the account's bound creditor); the generated XRechnung 3.0 UBL runs
through the same validation as any upload, and only an invoice that would be accepted is
submitted - as a submission of the account, channel ``weberfassung``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from einvoice.domain.channels import WEBERFASSUNG
from einvoice.domain.entry_values import EINGABE
from einvoice.domain.findings import Report
from einvoice.domain.invoice_entry import EntryAttachment, FieldError
from einvoice.domain.invoice_entry_form import FormResult, read_form
from einvoice.formats.xrechnung_writer import write_ubl
from einvoice.services import upload
from einvoice.services.invoice_entry import (
    buyer,
    buyer_coarse,
    today,
)
from einvoice.services.invoice_entry_submit import megabytes, total_limit
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import BadRequest, ports_of

NOT_SET_UP_DE = (
    "Die Weberfassung ist nicht eingerichtet: in der Konfiguration der Stadt fehlen die "
    "Angaben zur Rechnungsempfängerin. Bitte reichen Sie Ihre Rechnung als Datei ein."
)


@dataclass(frozen=True, slots=True)
class Generated:
    """The values read as an invoice: field errors, else its XML and the validation's verdict."""

    form: FormResult
    xml: bytes | None
    report: Report | None
    filename: str

    @property
    def acceptable(self) -> bool:
        """It would be accepted: no field error and no error of the validation."""
        return self.xml is not None and self.report is not None and self.report.valid


def file_name(number: str) -> str:
    """The XML's file name: the invoice number (``R-2026-17.xml``)."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in number)
    return (safe.strip("._") or "rechnung")[:120] + ".xml"


def generate(
    pipeline: Pipeline,
    values: Mapping[str, str],
    attachments: Sequence[EntryAttachment],
    max_upload_bytes: int,
    *,
    validate: bool = True,
) -> Generated:
    """Read the values by the form's rules; without field errors, the XRechnung and (with
    ``validate``) the verdict of the same validation an upload gets. BadRequest when the
    city has not set the buyer up."""
    party = buyer(pipeline)
    if party is None:
        raise BadRequest(NOT_SET_UP_DE)
    coarse = buyer_coarse(ports_of(pipeline).routing())
    form = read_form(values, party, attachments, today(pipeline), buyer_coarse=coarse)
    limit = total_limit(pipeline, max_upload_bytes)
    if sum(len(a.content) for a in attachments) > limit:
        too_big = FieldError(
            "anlagen",
            EINGABE,
            f"Die Anlagen sind zusammen zu groß: höchstens {megabytes(limit)} MB.",
        )
        form = FormResult(None, (*form.errors, too_big))
    name = file_name(values.get("nummer", ""))
    if form.invoice is None:
        return Generated(form, None, None, name)
    xml = write_ubl(form.invoice)
    report = pipeline.validate(xml, name) if validate else None
    return Generated(form, xml, report, name)


def submit(
    pipeline: Pipeline,
    account_id: int,
    generated: Generated,
    on_invoice: Callable[[int], None],
) -> upload.Submission:
    """Submit a generated invoice the validation accepted, as the account's submission
    (channel ``weberfassung``, source ``upload:<account>:<number>.xml``)."""
    if not generated.acceptable or generated.xml is None:
        raise BadRequest("Nur eine Rechnung, die die Prüfung annimmt, kann eingereicht werden.")
    return upload.submit(
        pipeline, generated.xml, generated.filename, account_id, on_invoice, channel=WEBERFASSUNG
    )
