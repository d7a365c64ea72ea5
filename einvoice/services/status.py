"""Counts for `einvoice status` and the operations page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from einvoice.services import states
from einvoice.services.ports import Pipeline
from einvoice.storage.tables import Document, DuplicateRecord, Invoice, Message, SourcePoll


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
        polls = [
            {
                "source": p.source,
                "polled_at": p.polled_at.isoformat(),
                "fetched": p.fetched,
                "error": p.error,
            }
            for p in session.scalars(select(SourcePoll))
        ]
    pending = sum(message_states.get(s, 0) for s in states.PENDING_MESSAGE_STATES) + sum(
        document_states.get(s, 0) for s in states.PENDING_DOCUMENT_STATES
    )
    return {
        "invoices": invoices,
        "accepted": accepted,
        "rejected": invoices - accepted,
        "duplicates": duplicates,
        "no_invoice": message_states.get(states.NO_INVOICE, 0),
        "refused": message_states.get(states.REFUSED, 0) + document_states.get(states.TOO_LARGE, 0),
        "failed": document_states.get(states.FAILED, 0),
        "pending": pending,
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
