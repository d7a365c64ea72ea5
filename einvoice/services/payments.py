"""The payment comes back: import the cash office's or the bank's file, decide what is open.

* :func:`import_file` reads one file (the cash system's CSV, camt.053 or
  camt.054) in **one transaction**: either every payment of it is recorded
  (invoices marked paid, the rest left open for a person) or nothing, with a
  German answer naming file, line and column
  (:class:`~einvoice.formats.payment_files.PaymentFileError`). The same file
  again (same SHA-256) changes nothing; a payment read before from another file
  (same bank / cash reference) is not counted twice, nor one read before from the other
  source, the cash office's CSV or the bank's camt (:mod:`einvoice.services.payment_twins`).
* Matching is the domain's (:mod:`einvoice.domain.payment_matching`): only the
  amount due, or the amount less a Skonto within the offer, marks an invoice
  paid by itself.
* :func:`decide`: a person of creditor accounting decides an open payment -
  it pays an invoice (a difference needs a reason), it is a partial payment,
  or it has nothing to do with an invoice. Every decision is an event of the
  master data chain (``payment:<id>``) and, for an invoice, of its own audit
  chain; each invoice paid is an event of its audit chain too.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import cast

from sqlalchemy import Table, and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from einvoice.domain.audit import AuditEntry, AuditEvent
from einvoice.domain.payment_matching import (
    Match,
    Outcome,
    PaymentEntry,
    Settlement,
    euro,
    match,
    proposal,
)
from einvoice.domain.payment_order_number import order_number
from einvoice.formats.camt import is_camt, read_camt
from einvoice.formats.payment_csv import read_csv
from einvoice.formats.payment_files import FileProblem, PaymentFileError, PaymentSettings
from einvoice.presentation.plurals import count_de
from einvoice.services import master_data
from einvoice.services.accounts import Role
from einvoice.services.payment_booking import (
    PAID_ACTION,
    ConcurrentChange,
    PaidBook,
    bulk_insert,
)
from einvoice.services.payment_orders import candidates, ordered_invoices
from einvoice.services.payment_twins import payment_values, same_payments
from einvoice.services.payment_views import DECISION_LABELS_DE as DECISION_LABELS_DE
from einvoice.services.payment_views import Decision as Decision
from einvoice.services.payment_views import PaymentView as PaymentView
from einvoice.services.payment_views import open_payments as open_payments
from einvoice.services.payment_views import payment_view, view_of
from einvoice.services.payment_views import payments_of_invoice as payments_of_invoice
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import (
    BadRequest,
    NotFound,
    Refused,
    append_event,
    aware,
    event_of,
    last_event,
)
from einvoice.storage.accounts import Account
from einvoice.storage.payment_tables import (
    InvoicePaymentRow,
    PaidInvoiceRow,
    PaymentFileRow,
    PaymentRow,
)
from einvoice.storage.tables import AuditEventRow, Blob, Workflow

log = logging.getLogger(__name__)

SYSTEM = "system"
PAYMENT_ACTION = "payment"  # an invoice's audit event: a partial payment assigned
_CHUNK = 5000  # ids in one IN list


@dataclass(frozen=True, slots=True)
class ImportResult:
    filename: str
    kind: str  # csv, camt.053, camt.054
    already_imported: bool  # the same file was read before: nothing changed
    imported_by: str
    imported_at: datetime
    entries: int  # payments in the file
    known: int  # of them recorded before (from another file)
    paid: int  # invoices marked paid now
    open: int  # payments left for creditor accounting
    left_aside: int = 0  # camt: credits and pending entries (no payments of the city)
    same: int = 0  # of the known: read before from the other source (CSV / camt)

    @property
    def summary_de(self) -> str:
        if self.already_imported:
            return (
                f"{self.filename}: schon am {self.imported_at:%d.%m.%Y %H:%M} von "
                f"{self.imported_by} eingelesen – nichts geändert."
            )
        parts = [
            count_de(self.entries, "Zahlung"),
            f"{count_de(self.paid, 'Rechnung')} als bezahlt erfasst",
            f"{self.open} zur Entscheidung offen",
        ]
        if self.known:
            parts.append(f"{self.known} schon aus einer anderen Datei bekannt")
        if self.same:
            source = "der Bank" if self.kind == "csv" else "der Kasse"
            parts.append(
                f"davon {self.same} als dieselbe Zahlung wie in einer Datei {source} erkannt"
            )
        if self.left_aside:
            parts.append(
                f"{self.left_aside} Gutschriften/vorgemerkte Buchungen nicht berücksichtigt"
            )
        return f"{self.filename} ({self.kind}): " + ", ".join(parts) + "."


# --- who -----------------------------------------------------------------------------------------


def creditor_accountant(session: Session, name: str) -> str:
    """The user name if it is an active account of creditor accounting, else Refused."""
    account = session.scalars(
        select(Account).where(Account.username == name.strip().lower())
    ).first()
    if account is None or not account.active or account.role != Role.CREDITOR_ACCOUNTING.value:
        raise Refused(
            "role",
            f"„{name}“ ist kein aktives Konto der Kreditorenbuchhaltung: nur sie liest "
            "Zahlungsdateien ein und entscheidet offene Zahlungen.",
        )
    return str(account.username)


# --- import --------------------------------------------------------------------------------------


def read_entries(
    data: bytes, filename: str, settings: PaymentSettings
) -> tuple[str, tuple[str, ...], list[PaymentEntry], int]:
    """(kind, accounts, entries, left aside) of the file, or PaymentFileError."""
    if is_camt(data):
        camt = read_camt(data, filename, settings.accounts)
        return camt.kind, camt.accounts, list(camt.entries), camt.left_aside
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise PaymentFileError(
            filename,
            [FileProblem(1, "", "XML, aber keine camt.053- oder camt.054-Nachricht der Bank.")],
        )
    return "csv", (), read_csv(data, filename, settings.csv), 0


def import_file(
    pipeline: Pipeline,
    data: bytes,
    filename: str,
    actor: str,
    settings: PaymentSettings,
) -> ImportResult:
    """Read one payment file (see the module docstring); all or nothing."""
    sha = hashlib.sha256(data).hexdigest()
    with pipeline.sessions() as session:
        actor = creditor_accountant(session, actor)
        before = _earlier(session, sha)
        if before is not None:
            return before
    kind, accounts, entries, left_aside = read_entries(data, filename, settings)
    _refuse_repeated_keys(filename, entries)
    at = pipeline.clock()
    try:
        return _import(
            pipeline, data, sha, filename, kind, accounts, entries, left_aside, actor, at
        )
    except (IntegrityError, ConcurrentChange):
        # the same file or payment recorded at the same moment by another import, or an
        # invoice changed meanwhile: everything was rolled back; read the state again
        with pipeline.sessions() as session:
            before = _earlier(session, sha)
        if before is not None:
            return before
        return _import(
            pipeline, data, sha, filename, kind, accounts, entries, left_aside, actor, at
        )


def _earlier(session: Session, sha: str) -> ImportResult | None:
    row = session.scalars(select(PaymentFileRow).where(PaymentFileRow.sha256 == sha)).first()
    if row is None:
        return None
    return ImportResult(
        row.filename,
        row.kind,
        True,
        row.imported_by,
        aware(row.imported_at),
        row.entries,
        row.known,
        0,
        0,
    )


def _refuse_repeated_keys(filename: str, entries: Sequence[PaymentEntry]) -> None:
    first: dict[str, int] = {}
    problems = []
    for entry in entries:
        if entry.key in first:
            problems.append(
                FileProblem(
                    entry.line,
                    "",
                    f"dieselbe Buchung ({entry.key.split(':', 2)[-1]}) steht schon in Zeile "
                    f"{first[entry.key]}",
                )
            )
        else:
            first[entry.key] = entry.line
    if problems:
        raise PaymentFileError(filename, problems)


def _known_keys(session: Session, keys: Sequence[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        known.update(
            session.scalars(select(PaymentRow.entry_key).where(PaymentRow.entry_key.in_(chunk)))
        )
    return known


def _import(
    pipeline: Pipeline,
    data: bytes,
    sha: str,
    filename: str,
    kind: str,
    accounts: tuple[str, ...],
    entries: list[PaymentEntry],
    left_aside: int,
    actor: str,
    at: datetime,
) -> ImportResult:
    with pipeline.sessions() as session:
        known = _known_keys(session, [e.key for e in entries])
        fresh = [e for e in entries if e.key not in known]
        twins = same_payments(session, fresh)  # read before from the other source
        fresh = [e for e in fresh if e.key not in twins]
        orders = ordered_invoices(session, {i for e in fresh for i in e.orders})
        recorded: list[tuple[PaymentEntry, Match]] = []
        paid_now: dict[int, date] = {}
        for entry in fresh:  # in file order: an earlier line may have paid the invoice
            for invoice_id in paid_now.keys() & set(entry.orders):
                orders[invoice_id] = replace(orders[invoice_id], paid_on=paid_now[invoice_id])
            found = match(entry, orders)
            recorded.append((entry, found))
            for settlement in found.settles:
                paid_now[settlement.invoice_id] = entry.booked_on
        unknown = [
            FileProblem(e.line, e.order_column, m.reason_de)
            for e, m in recorded
            if m.outcome is Outcome.UNKNOWN_ORDER
        ]
        if unknown:
            raise PaymentFileError(filename, unknown)
        recorded = [
            (e, _with_proposal(session, e, m) if m.outcome is Outcome.NO_ORDER else m)
            for e, m in recorded
        ]
        if session.get(Blob, sha) is None:
            session.add(Blob(sha256=sha, size=len(data), stored_at=at.astimezone(UTC)))
            session.flush()  # the blob row before the file row that refers to it
        pipeline.blobs.put(data)
        file_row = PaymentFileRow(
            sha256=sha,
            filename=filename[:512],
            kind=kind,
            accounts=",".join(accounts),
            imported_by=actor,
            imported_at=at.astimezone(UTC),
            entries=len(entries),
            known=len(known) + len(twins),
            paid=0,
            open=0,
        )
        session.add(file_row)
        session.flush()
        values = [payment_values(file_row.id, e, m) for e, m in recorded]
        values += [
            payment_values(file_row.id, e, twins[e.key].match, twins[e.key].payment_id)
            for e in entries
            if e.key in twins
        ]
        if values:  # executemany: nothing read back row by row
            connection = session.connection()
            connection.execute(bulk_insert(connection, cast(Table, PaymentRow.__table__)), values)
        ids = {
            key: payment_id
            for key, payment_id in session.execute(
                select(PaymentRow.entry_key, PaymentRow.id).where(PaymentRow.file_id == file_row.id)
            )
        }
        book = PaidBook(session, {s.invoice_id for _, m in recorded for s in m.settles})
        paid = opened = 0
        for entry, found in recorded:
            if not found.paid:
                opened += 1
                continue
            for settlement in found.settles:
                book.pay(
                    ids[entry.key[:255]],
                    settlement,
                    entry.booked_on,
                    SYSTEM,
                    at,
                    before=orders[settlement.invoice_id].paid_so_far,
                    details={"imported_by": actor, "file": filename[:200]},
                )
                paid += 1
        book.write(at)
        file_row.paid, file_row.open = paid, opened
        session.commit()
    log.info(
        "payment file %s (%s): %d entries, %d paid, %d open",
        filename,
        kind,
        len(entries),
        paid,
        opened,
    )
    return ImportResult(
        filename,
        kind,
        False,
        actor,
        at,
        len(entries),
        len(known) + len(twins),
        paid,
        opened,
        left_aside,
        len(twins),
    )


def _with_proposal(session: Session, entry: PaymentEntry, found: Match) -> Match:
    proposed = proposal(entry, candidates(session, entry.amount).values())
    if proposed is None:
        return found
    return replace(
        found,
        proposal=proposed.invoice_id,
        reason_de=f"{found.reason_de} Vorschlag: {proposed.number} (Kreditor, Betrag und "
        "Datum passen) – bitte bestätigen.",
    )


class _Chains:
    """The workflow rows and last audit events of the invoices to be paid (loaded at once)."""

    def __init__(self, session: Session, invoice_ids: Iterable[int]) -> None:
        ids = sorted(set(invoice_ids))
        self.rows: dict[int, Workflow] = {}
        self.last: dict[int, AuditEvent] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            self.rows.update(
                (w.invoice_id, w)
                for w in session.scalars(select(Workflow).where(Workflow.invoice_id.in_(chunk)))
            )
            heads = session.scalars(
                select(AuditEventRow)
                .join(
                    Workflow,
                    and_(
                        Workflow.invoice_id == AuditEventRow.invoice_id,
                        AuditEventRow.sequence == Workflow.audit_count - 1,
                    ),
                )
                .where(AuditEventRow.invoice_id.in_(chunk))
            )
            self.last.update((e.invoice_id, event_of(e)) for e in heads)

    def row(self, session: Session, invoice_id: int) -> Workflow:
        row = self.rows.get(invoice_id)
        if row is None:
            row = session.get(Workflow, invoice_id)
            if row is None:
                raise NotFound(f"Rechnung {invoice_id} ist nicht im Freigabeverfahren.")
            self.rows[invoice_id] = row
        return row

    def append(self, session: Session, invoice_id: int, entry: AuditEntry) -> None:
        row = self.row(session, invoice_id)
        previous = self.last.get(invoice_id)
        if previous is None and row.audit_count:
            previous = last_event(session, row)
        self.last[invoice_id] = append_event(session, row, entry, previous)


def _pay(
    session: Session,
    chains: _Chains,
    payment: PaymentRow,
    settlement: Settlement,
    booked_on: date,
    actor: str,
    at: datetime,
    *,
    before: Decimal,
    details: dict[str, str],
    difference: Decimal = Decimal(0),
    reason: str | None = None,
) -> None:
    """Record ``settlement`` of ``payment``: the invoice is paid (audit event, paid date)."""
    session.add(
        InvoicePaymentRow(
            invoice_id=settlement.invoice_id,
            payment_id=payment.id,
            amount=settlement.amount,
            booked_on=booked_on,
        )
    )
    total = settlement.amount + before  # partial payments assigned before
    session.add(
        PaidInvoiceRow(
            invoice_id=settlement.invoice_id,
            paid_on=booked_on,
            amount=total,
            skonto=settlement.skonto,
            difference=difference,
            recorded_by=actor,
            recorded_at=at.astimezone(UTC),
        )
    )
    row = chains.row(session, settlement.invoice_id)
    facts = {
        **details,
        "amount": format(total, "f"),
        "skonto": format(settlement.skonto, "f"),
        "paid_on": booked_on.isoformat(),
        "payment": str(payment.id),
        "order": order_number(settlement.invoice_id),
    }
    if difference:
        facts["difference"] = format(difference, "f")
    chains.append(
        session,
        settlement.invoice_id,
        AuditEntry(
            invoice_id=str(settlement.invoice_id),
            action=PAID_ACTION,
            actor=actor,
            at=at,
            from_state=row.status,
            to_state=row.status,
            reason=reason,
            department=row.department,
            details=tuple(sorted(facts.items())),
        ),
    )


def payment(pipeline: Pipeline, payment_id: int) -> PaymentView:
    """One payment as a person sees it (NotFound when there is none)."""
    return payment_view(pipeline, payment_id)


# --- the person's decision ---------------------------------------------------------------------


def decide(
    pipeline: Pipeline,
    payment_id: int,
    decision: str,
    actor: str,
    *,
    invoice_id: int | None = None,
    note: str = "",
) -> PaymentView:
    """A person of creditor accounting decides an open payment (Refused with the reason)."""
    try:
        chosen = Decision(decision)
    except ValueError:
        raise BadRequest(
            f"Unbekannte Entscheidung „{decision}“; möglich: "
            f"{', '.join(d.value for d in Decision)}."
        ) from None
    note = note.strip()
    at = pipeline.clock()
    with pipeline.sessions() as session:
        actor = creditor_accountant(session, actor)
        row = session.get(PaymentRow, payment_id, with_for_update=True)
        if row is None:
            raise NotFound(f"Die Zahlung {payment_id} gibt es nicht.")
        if row.state != "open":
            by = f" von {row.decided_by}" if row.decided_by else " beim Einlesen"
            raise Refused("state", f"Die Zahlung {payment_id} ist schon entschieden{by}.")
        if chosen is Decision.DISMISSED:
            if not note:
                raise Refused(
                    "comment", "Bitte begründen, warum die Zahlung keine Rechnung betrifft."
                )
        else:
            _decide_for_invoice(session, row, chosen, actor, at, invoice_id, note)
        row.state, row.decision, row.decided_by = "decided", chosen.value, actor
        row.decided_at, row.note = at.astimezone(UTC), note or None
        row.decided_invoice_id = invoice_id if chosen is not Decision.DISMISSED else None
        if chosen is not Decision.DISMISSED and invoice_id is None:
            row.decided_invoice_id = _target(row, None)
        master_data.record(
            session,
            f"payment:{row.id}",
            "payment_decide",
            actor,
            at,
            note or None,
            {
                "decision": chosen.value,
                "invoice": str(row.decided_invoice_id or ""),
                "amount": format(Decimal(row.amount), "f"),
                "booked_on": row.booked_on.isoformat(),
            },
        )
        session.commit()
        filename = session.get(PaymentFileRow, row.file_id)
        return view_of(row, filename.filename if filename else "")


def _target(row: PaymentRow, invoice_id: int | None) -> int:
    if invoice_id is not None:
        return invoice_id
    named = [int(i) for i in row.orders.split(",") if i]
    if len(named) == 1:
        return named[0]
    if row.proposal_invoice_id is not None:
        return row.proposal_invoice_id
    raise BadRequest(
        "Bitte die Rechnung angeben, die diese Zahlung betrifft (Rechnungsnummer im System)."
    )


def _decide_for_invoice(
    session: Session,
    row: PaymentRow,
    chosen: Decision,
    actor: str,
    at: datetime,
    invoice_id: int | None,
    note: str,
) -> None:
    target = _target(row, invoice_id)
    order = ordered_invoices(session, [target]).get(target)
    if order is None:
        raise Refused(
            "state",
            f"Rechnung {target} ({order_number(target)}) ist nicht angeordnet: eine Zahlung "
            "kann nur eine angeordnete Rechnung bezahlen.",
        )
    if order.paid_on is not None:
        raise Refused(
            "state",
            f"Rechnung {target} ist schon seit {order.paid_on:%d.%m.%Y} als bezahlt erfasst.",
        )
    amount = Decimal(row.amount)
    if row.currency != (order.currency or row.currency):
        raise Refused(
            "amount", f"Die Zahlung ist in {row.currency}, die Rechnung in {order.currency}."
        )
    outstanding = order.outstanding
    chains = _Chains(session, [target])
    details = {"decision": chosen.value, "payment_file_line": str(row.line)}
    if chosen is Decision.PARTIAL:
        if amount >= outstanding:
            raise Refused(
                "amount",
                f"{euro(amount)} sind nicht weniger als die offenen {euro(outstanding)}: "
                "das ist keine Teilzahlung (Entscheidung „bezahlt“ wählen).",
            )
        session.add(
            InvoicePaymentRow(
                invoice_id=target, payment_id=row.id, amount=amount, booked_on=row.booked_on
            )
        )
        flow = chains.row(session, target)
        chains.append(
            session,
            target,
            AuditEntry(
                invoice_id=str(target),
                action=PAYMENT_ACTION,
                actor=actor,
                at=at,
                from_state=flow.status,
                to_state=flow.status,
                reason=note or None,
                department=flow.department,
                details=tuple(
                    sorted(
                        {
                            **details,
                            "amount": format(amount, "f"),
                            "outstanding": format(outstanding - amount, "f"),
                            "payment": str(row.id),
                        }.items()
                    )
                ),
            ),
        )
        return
    shortfall = outstanding - amount
    skonto_allowed = order.skonto_allowed(row.booked_on) if order.paid_so_far == 0 else Decimal(0)
    skonto = shortfall if 0 < shortfall <= skonto_allowed else Decimal(0)
    difference = shortfall - skonto
    if difference and not note:
        raise Refused(
            "comment",
            f"Die Zahlung weicht um {euro(abs(difference))} vom offenen Betrag "
            f"{euro(outstanding)} ab: bitte begründen, warum die Rechnung trotzdem bezahlt ist.",
        )
    _pay(
        session,
        chains,
        row,
        Settlement(target, amount, skonto),
        row.booked_on,
        actor,
        at,
        before=order.paid_so_far,
        details=details,
        difference=difference,
        reason=note or None,
    )
