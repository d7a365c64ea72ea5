"""Retention of the Weberfassung's drafts: the supplier's own copies go when no longer needed.

A draft holds personal data (names, addresses, bank accounts, attachments) and is no
Buchungsbeleg: the invoice the city received stays as its original XML in the blob store
under the statutory retention (``services.retention``). So ``einvoice retention apply``
deletes, with its attachments,

- a draft never submitted and not changed for ``EINVOICE_DRAFT_RETENTION_DAYS`` (180), and
- a submitted draft (its values and attachment bytes) ``EINVOICE_SUBMITTED_DRAFT_DAYS`` (30)
  after submitting, once the submission is recorded (its message is there);

never the correction of a returned invoice that is still open (the supplier may still
finish it) and never a draft changed within its period (``domain.retention.decide_draft``).
Each account's deletions are one transaction with one entry in the security log
(administration, "Entwürfe gelöscht") and one log line; the decision is taken again inside
that transaction, so a draft changed after the plan stays.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from einvoice.domain.correction import replaceable
from einvoice.domain.retention import (
    SUBMITTED,
    UNTOUCHED,
    DraftDecision,
    DraftFacts,
    DraftPeriods,
    days_de,
    decide_draft,
)
from einvoice.presentation.plurals import count_de
from einvoice.services.ports import Pipeline
from einvoice.services.security_log import Kind, add_event
from einvoice.services.workflow_base import aware
from einvoice.storage.accounts import Account
from einvoice.storage.entry_tables import InvoiceDraftAttachmentRow, InvoiceDraftRow
from einvoice.storage.ops_tables import RetentionTombstone
from einvoice.storage.tables import Document, Invoice, Message, Workflow

log = logging.getLogger("einvoice.retention")


@dataclass(frozen=True, slots=True)
class DraftItem:
    """One draft retention looked at (due, or past its period but still needed)."""

    draft_id: int
    account_id: int
    decision: DraftDecision
    attachments: int
    attachment_bytes: int


@dataclass(frozen=True, slots=True)
class DraftPlan:
    due: tuple[DraftItem, ...]  # deleted by apply
    needed: tuple[DraftItem, ...]  # unchanged beyond the period, kept because still needed

    def count(self, kind: str) -> int:
        return sum(item.decision.kind == kind for item in self.due)

    @property
    def attachments(self) -> int:
        return sum(item.attachments for item in self.due)

    @property
    def attachment_bytes(self) -> int:
        return sum(item.attachment_bytes for item in self.due)

    def summary_de(self, periods: DraftPeriods) -> str:
        """``Entwürfe der Weberfassung: 3 fällig zur Löschung (...)`` - one German line."""
        line = (
            f"Entwürfe der Weberfassung: {count_de(len(self.due), 'Entwurf')} fällig zur "
            f"Löschung ({self.count(UNTOUCHED)} seit mehr als {days_de(periods.untouched_days)} "
            f"nicht geändert, {self.count(SUBMITTED)} eingereicht vor mehr als "
            f"{days_de(periods.submitted_days)}) mit {count_de(self.attachments, 'Anlage')} "
            f"({megabytes_de(self.attachment_bytes)})"
        )
        if self.needed:
            line += (
                f"; {count_de(len(self.needed), 'Entwurf')} länger behalten, weil noch gebraucht"
            )
        return line + "."


@dataclass(frozen=True, slots=True)
class DraftResult:
    deleted: int
    untouched: int
    submitted: int
    attachments: int
    attachment_bytes: int
    kept: int  # due in the plan, changed (or needed again) before the deletion

    def summary_de(self) -> str:
        return (
            f"Entwürfe der Weberfassung gelöscht: {count_de(self.deleted, 'Entwurf')} "
            f"({self.untouched} unverändert, {self.submitted} eingereicht) mit "
            f"{count_de(self.attachments, 'Anlage')} ({megabytes_de(self.attachment_bytes)})"
            + (
                f"; {count_de(self.kept, 'Entwurf')} inzwischen geändert und behalten"
                if self.kept
                else ""
            )
            + "."
        )


def megabytes_de(size: int) -> str:
    """``1572864`` -> ``1,5 MB``; below 0,1 MB in kB (``12 kB``)."""
    if size < 102400:
        return f"{(size + 1023) // 1024} kB"
    return f"{size / 1048576:.1f}".replace(".", ",") + " MB"


# --- facts ----------------------------------------------------------------------------------


def _open_corrections(session: Session, invoice_ids: set[int]) -> set[int]:
    """Of the returned invoices named, those a correction may still replace (their
    originals not deleted by retention)."""
    if not invoice_ids:
        return set()
    erased = set(
        session.scalars(
            select(Invoice.id)
            .join(Document, Document.id == Invoice.document_id)
            .where(
                Invoice.id.in_(invoice_ids),
                Document.message_id.in_(select(RetentionTombstone.message_id)),
            )
        )
    )
    return {
        invoice_id
        for invoice_id, status in session.execute(
            select(Workflow.invoice_id, Workflow.status).where(Workflow.invoice_id.in_(invoice_ids))
        )
        if replaceable(status) and invoice_id not in erased
    }


def _facts(
    session: Session, rows: list[InvoiceDraftRow]
) -> Iterator[tuple[InvoiceDraftRow, DraftFacts]]:
    messages = {r.message_id for r in rows if r.message_id is not None}
    recorded = (
        set(session.scalars(select(Message.id).where(Message.id.in_(messages))))
        if messages
        else set()
    )
    corrected = {r.corrects_invoice_id for r in rows if r.corrects_invoice_id is not None}
    still_open = _open_corrections(session, corrected)
    for row in rows:
        yield (
            row,
            DraftFacts(
                changed_at=aware(row.updated_at),
                submitted=row.message_id is not None,
                submitted_at=aware(row.submitted_at) if row.submitted_at is not None else None,
                submission_recorded=row.message_id in recorded,
                corrects_open_invoice=row.corrects_invoice_id in still_open,
            ),
        )


def _attachment_sizes(session: Session, draft_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    ids = list(draft_ids)
    if not ids:
        return {}
    return {
        draft_id: (count, int(size or 0))
        for draft_id, count, size in session.execute(
            select(
                InvoiceDraftAttachmentRow.draft_id,
                func.count(),
                func.sum(InvoiceDraftAttachmentRow.size),
            )
            .where(InvoiceDraftAttachmentRow.draft_id.in_(ids))
            .group_by(InvoiceDraftAttachmentRow.draft_id)
        )
    }


def _expired(periods: DraftPeriods, now: datetime, facts: DraftFacts) -> bool:
    """Unchanged beyond the longer period: past its period however it is decided."""
    longest = max(periods.untouched_days, periods.submitted_days)
    return now - facts.changed_at > timedelta(days=longest)


# --- plan and apply ----------------------------------------------------------------------------


def plan(pipeline: Pipeline, now: datetime, periods: DraftPeriods) -> DraftPlan:
    """The drafts ``apply`` would delete now, and those past their period kept as needed."""
    shortest = timedelta(days=min(periods.untouched_days, periods.submitted_days))
    due: list[DraftItem] = []
    needed: list[DraftItem] = []
    with pipeline.sessions() as session:
        rows = list(
            session.scalars(
                select(InvoiceDraftRow)
                .where(InvoiceDraftRow.updated_at < now - shortest)  # changed later: never due
                .order_by(InvoiceDraftRow.account_id, InvoiceDraftRow.id)
            )
        )
        decided = [
            (row, facts, decide_draft(facts, now, periods)) for row, facts in _facts(session, rows)
        ]
        sizes = _attachment_sizes(
            session, (row.id for row, facts, d in decided if d.delete or d.needed)
        )
        for row, facts, decision in decided:
            count, size = sizes.get(row.id, (0, 0))
            item = DraftItem(row.id, row.account_id, decision, count, size)
            if decision.delete:
                due.append(item)
            elif decision.needed and _expired(periods, now, facts):
                needed.append(item)
    return DraftPlan(tuple(due), tuple(needed))


def apply(pipeline: Pipeline, now: datetime, periods: DraftPeriods, actor: str) -> DraftResult:
    """Delete the drafts due (``actor``: an administrator's account, checked by the caller
    with ``retention.check_actor``); one transaction and one security log entry per account."""
    planned = plan(pipeline, now, periods)
    by_account: dict[int, list[int]] = {}
    for item in planned.due:
        by_account.setdefault(item.account_id, []).append(item.draft_id)
    deleted = untouched = submitted = attachments = size = kept = 0
    for account_id, draft_ids in by_account.items():
        with pipeline.sessions() as session, session.begin():
            rows = list(
                session.scalars(
                    select(InvoiceDraftRow)
                    .where(InvoiceDraftRow.id.in_(draft_ids))
                    .order_by(InvoiceDraftRow.id)
                    .with_for_update()
                )
            )
            gone: list[tuple[int, str]] = []
            for row, facts in _facts(session, rows):
                decision = decide_draft(facts, now, periods)
                if not decision.delete:  # changed meanwhile, or needed again
                    kept += 1
                    continue
                files = list(
                    session.scalars(
                        select(InvoiceDraftAttachmentRow).where(
                            InvoiceDraftAttachmentRow.draft_id == row.id
                        )
                    )
                )
                attachments += len(files)
                size += sum(f.size for f in files)
                for found in files:
                    session.delete(found)
                session.flush()
                session.delete(row)
                gone.append((row.id, decision.kind))
            if not gone:
                continue
            first = sum(kind == UNTOUCHED for _, kind in gone)
            second = len(gone) - first
            detail = (
                f"{count_de(len(gone), 'Entwurf')} der Weberfassung gelöscht "
                f"(Aufbewahrung: {first} seit mehr als {days_de(periods.untouched_days)} nicht "
                f"geändert, {second} eingereicht vor mehr als {days_de(periods.submitted_days)}); "
                f"Entwürfe {', '.join(str(i) for i, _ in gone)}"
            )
            owner = session.get(Account, account_id)
            add_event(
                session,
                Kind.DRAFTS_DELETED,
                account_id=account_id,
                username=owner.username if owner is not None else "",
                actor=actor,
                detail=detail,
            )
        deleted += len(gone)
        untouched += first
        submitted += second
    log.info(
        "retention drafts deleted=%d untouched=%d submitted=%d attachments=%d bytes=%d by=%s",
        deleted,
        untouched,
        submitted,
        attachments,
        size,
        actor,
        extra={"event": {"kind": "drafts_deleted", "deleted": deleted, "actor": actor}},
    )
    return DraftResult(deleted, untouched, submitted, attachments, size, kept)


def account_decisions(
    pipeline: Pipeline, account_id: int, now: datetime, periods: DraftPeriods
) -> dict[int, DraftDecision]:
    """Draft id -> how long it is kept, for the account's drafts page."""
    with pipeline.sessions() as session:
        rows = list(
            session.scalars(
                select(InvoiceDraftRow).where(InvoiceDraftRow.account_id == account_id).limit(500)
            )
        )
        return {row.id: decide_draft(facts, now, periods) for row, facts in _facts(session, rows)}
