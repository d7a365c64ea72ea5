"""What the invoice templates show, prepared from the canonical model (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from einvoice.domain.invoice import Invoice, InvoiceLine, SupportingDocument
from einvoice.domain.skonto import SkontoOffer, skonto_terms
from einvoice.domain.values import InvalidValueError
from einvoice.presentation.render.codes import document_kind

#: CII line status (ram:LineStatusReasonCode) of sub-lines, in German.
LINE_STATUS = {"DETAIL": "Detail", "GROUP": "Gruppe", "INFORMATION": "nur zur Information"}


@dataclass(frozen=True, slots=True)
class LineRow:
    """One invoice line as a table row; ``depth`` 0 for a line, 1.. for its sub-lines."""

    line: InvoiceLine
    depth: int
    parent_id: str | None


@dataclass(frozen=True, slots=True)
class AttachmentRow:
    """BG-24 with the size of its embedded file (``None``: none or not decodable)."""

    document: SupportingDocument
    size: int | None
    broken: bool


def line_rows(invoice: Invoice) -> list[LineRow]:
    """Every line and sub-line in document order, with its nesting depth."""
    return list(_walk(invoice.lines, 0, None))


def _walk(lines: tuple[InvoiceLine, ...], depth: int, parent: str | None) -> Iterator[LineRow]:
    for line in lines:
        yield LineRow(line, depth, parent)
        yield from _walk(line.sub_lines, depth + 1, line.line_id)


def payment_terms_text(payment_terms: str | None) -> str | None:
    """BT-20 for people: the text without the ``#SKONTO#`` entries that the Skonto table shows.

    An entry that cannot be read stays in the text, so nothing written is lost.
    """
    if payment_terms is None:
        return None
    kept = [
        line
        for line in payment_terms.splitlines()
        if not (line.strip().startswith("#SKONTO#") and skonto_terms(line))
    ]
    text = "\n".join(kept).strip()
    return text or None


def attachment_rows(invoice: Invoice) -> list[AttachmentRow]:
    rows = []
    for document in invoice.supporting_documents:
        size: int | None = None
        broken = False
        if document.attachment is not None:
            try:
                size = document.attachment.size
            except InvalidValueError:
                broken = True
        rows.append(AttachmentRow(document, size, broken))
    return rows


def default_title(invoice: Invoice) -> str:
    """``Rechnung BH-2025-01001 – Bürobedarf Hansen GmbH``."""
    kind = document_kind(invoice.type_code, invoice.is_credit_note)
    seller = invoice.seller.name or invoice.seller.trading_name
    title = f"{kind} {invoice.number}"
    return f"{title} – {seller}" if seller else title


#: Where a deadline really ends and why (§ 193 BGB): ``nominal -> (ends_on, reason or None)``.
DeadlineShift = Callable[[date], tuple[date, "str | None"]]


def unshifted(day: date) -> tuple[date, str | None]:
    """No calendar known (a printed or archived rendering): the deadline as the invoice says."""
    return day, None


@dataclass(frozen=True, slots=True)
class SkontoState:
    """What the header says of the Skonto: ``open`` (the next deadline still ahead, or no
    day given), ``expired`` (every deadline passed on ``today``)."""

    kind: str  # "none", "offered", "open", "expired"
    offer: SkontoOffer | None  # the next open offer, or the last one that expired
    expired: frozenset[date]  # nominal deadlines already passed (rows marked in the table)


def skonto_state(
    offers: Sequence[SkontoOffer], today: date | None, shift: DeadlineShift = unshifted
) -> SkontoState:
    """Is the Skonto still possible on ``today``? (``None``: the day is unknown: offered.)

    A deadline counts by the day it really ends (``shift``: moved past a weekend or
    holiday), the same day the invoice page's summary and the queue show."""
    if not offers:
        return SkontoState("none", None, frozenset())
    ordered = sorted(offers, key=lambda o: o.deadline)
    if today is None:
        return SkontoState("offered", ordered[0], frozenset())
    passed = frozenset(o.deadline for o in ordered if shift(o.deadline)[0] < today)
    still = [o for o in ordered if shift(o.deadline)[0] >= today]
    if still:
        return SkontoState("open", still[0], passed)
    return SkontoState("expired", ordered[-1], passed)
