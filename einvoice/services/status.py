"""Counts for `einvoice status` and the operations page."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update

from einvoice.services import outbox, states
from einvoice.services.ports import Pipeline
from einvoice.storage.tables import (
    Document,
    DuplicateRecord,
    Invoice,
    Message,
    SourcePoll,
    Workflow,
)

log = logging.getLogger(__name__)

#: Work without a processing attempt for this long is "stuck" (status, fsck, metrics):
#: after a fault the recovery re-drives everything within seconds, so anything older
#: has been lost by the broker or waits behind a backlog nobody works off.
STUCK_AFTER = timedelta(seconds=60)


def status(pipeline: Pipeline) -> dict[str, Any]:
    with pipeline.sessions() as session:

        def count(stmt: Any) -> int:
            return int(session.scalar(stmt) or 0)

        invoices = count(select(func.count(Invoice.id)))
        accepted = count(select(func.count(Invoice.id)).where(Invoice.recommendation == "accept"))
        message_states = dict(
            session.execute(select(Message.state, func.count()).group_by(Message.state)).all()
        )
        document_states = dict(
            session.execute(select(Document.state, func.count()).group_by(Document.state)).all()
        )
        duplicates = count(select(func.count(DuplicateRecord.id)))
        unrouted = count(
            select(func.count(Invoice.id))
            .outerjoin(Workflow, Workflow.invoice_id == Invoice.id)
            .where(Workflow.invoice_id.is_(None))
        )
        polls = [
            {
                "source": p.source,
                "polled_at": p.polled_at.isoformat(),
                "fetched": p.fetched,
                "error": p.error,
                "cause": p.cause,
                "failures": p.failures or 0,
                "failing_since": p.failing_since.isoformat() if p.failing_since else None,
            }
            for p in session.scalars(select(SourcePoll))
        ]
    mail = outbox.counts(pipeline)
    # everything not yet in a department's queue (or finally rejected): not split, not
    # processed, not routed
    pending = (
        sum(message_states.get(s, 0) for s in states.PENDING_MESSAGE_STATES)
        + sum(document_states.get(s, 0) for s in states.PENDING_DOCUMENT_STATES)
        + unrouted
    )
    stuck_messages, stuck_documents = stuck(pipeline, STUCK_AFTER)
    stuck_invoices = unrouted_before(pipeline, STUCK_AFTER)
    return {
        "invoices": invoices,
        "accepted": accepted,
        "rejected": invoices - accepted,
        "duplicates": duplicates,
        "no_invoice": message_states.get(states.NO_INVOICE, 0),
        "refused": message_states.get(states.REFUSED, 0) + document_states.get(states.TOO_LARGE, 0),
        "failed": document_states.get(states.FAILED, 0),
        "unreadable": document_states.get(states.UNREADABLE, 0),
        "mail": mail,
        "pending": pending,
        "unrouted": unrouted,
        "stuck": len(stuck_messages) + len(stuck_documents) + len(stuck_invoices),
        "stuck_after_seconds": int(STUCK_AFTER.total_seconds()),
        "broker": broker_counts(pipeline),
        "messages": sum(message_states.values()),
        "documents": sum(document_states.values()),
        "message_states": message_states,
        "document_states": document_states,
        "last_polls": polls,
    }


def stuck(pipeline: Pipeline, older_than: timedelta) -> tuple[list[int], list[int]]:
    """Messages and documents left in an intermediate state (for the sweeper)."""
    cutoff = pipeline.clock() - older_than
    with pipeline.sessions() as session:
        messages = list(
            session.scalars(
                select(Message.id).where(
                    Message.state.in_(states.PENDING_MESSAGE_STATES), Message.updated_at < cutoff
                )
            )
        )
        documents = list(
            session.scalars(
                select(Document.id).where(
                    Document.state.in_(states.PENDING_DOCUMENT_STATES),
                    Document.updated_at < cutoff,
                )
            )
        )
    return messages, documents


def unrouted_before(pipeline: Pipeline, older_than: timedelta) -> list[int]:
    """Invoices stored longer than ``older_than`` ago that never entered the workflow."""
    cutoff = pipeline.clock() - older_than
    with pipeline.sessions() as session:
        return list(
            session.scalars(
                select(Invoice.id)
                .outerjoin(Workflow, Workflow.invoice_id == Invoice.id)
                .where(Workflow.invoice_id.is_(None), Invoice.created_at < cutoff)
                .order_by(Invoice.id)
            )
        )


def broker_counts(pipeline: Pipeline) -> dict[str, Any]:
    """The broker's queue: ``waiting`` and ``dead_letters``, or why it could not be read.

    ``{"kind": "stub"}`` without a separate broker (in-process: nothing can wait there)."""
    if pipeline.broker is None:
        return {"kind": "stub", "waiting": 0, "dead_letters": 0, "error": None}
    try:
        counts = pipeline.broker.counts()
    except Exception as exc:  # the broker is down: say so, never "0"
        log.warning("broker queue not readable: %s", exc)
        return {
            "kind": "redis",
            "waiting": None,
            "dead_letters": None,
            "error": f"Broker nicht erreichbar: {type(exc).__name__}: {exc}"[:300],
        }
    return {"kind": "redis", **counts, "error": None}


def touch(pipeline: Pipeline, messages: list[int], documents: list[int]) -> None:
    """Mark re-enqueued work as handled now: the next sweep leaves it alone for a while."""
    now = pipeline.clock()
    with pipeline.sessions() as session:
        if messages:
            session.execute(
                update(Message)
                .where(Message.id.in_(messages), Message.state.in_(states.PENDING_MESSAGE_STATES))
                .values(updated_at=now)
            )
        if documents:
            session.execute(
                update(Document)
                .where(
                    Document.id.in_(documents),
                    Document.state.in_(states.PENDING_DOCUMENT_STATES),
                )
                .values(updated_at=now)
            )
        session.commit()


def unreadable(pipeline: Pipeline, limit: int = 200) -> list[dict[str, Any]]:
    """Documents no invoice could be read from, newest first, with their reason."""
    with pipeline.sessions() as session:
        rows = session.execute(
            select(Document, Message.sender)
            .join(Message, Message.id == Document.message_id)
            .where(Document.state.in_((states.UNREADABLE, states.TOO_LARGE)))
            .order_by(Document.id.desc())
            .limit(limit)
        ).all()
        return [failure_dict(d) | {"state": d.state, "sender": sender} for d, sender in rows]


def failures(pipeline: Pipeline) -> list[dict[str, Any]]:
    with pipeline.sessions() as session:
        rows = session.scalars(
            select(Document).where(Document.state == states.FAILED).order_by(Document.id)
        )
        return [failure_dict(d) for d in rows]


def failure_dict(document: Document) -> dict[str, Any]:
    return {
        "document": document.id,
        "message": document.message_id,
        "filename": document.filename,
        "attempts": document.attempts,
        "error": document.last_error,
        "updated_at": document.updated_at.isoformat(),
        "sha256": document.sha256,
    }
