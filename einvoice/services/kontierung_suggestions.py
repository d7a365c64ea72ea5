"""Kontierung suggestions from the database: the history of ordered invoices and word hits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import literal, select, union_all
from sqlalchemy.orm import Session

from einvoice.domain import kontierung_suggest as s
from einvoice.domain.booking import creditor_id as seller_id
from einvoice.domain.invoice import Invoice as InvoiceModel
from einvoice.services.kontierung_store import chart_of, stored_splits
from einvoice.storage.creditor_tables import CreditorRow, InvoiceSupplierRow
from einvoice.storage.kontierung_tables import KontierungHistoryRow, KontierungTermRow


@dataclass(frozen=True, slots=True)
class SuggestionView:
    index: int
    source: str
    source_de: str
    parts: tuple[tuple[str, str, int], ...]  # (key, name, percent)


def facts_of(session: Session, model: InvoiceModel, invoice_id: int, department: str) -> s.Facts:
    number = session.scalar(
        select(CreditorRow.number)
        .join(InvoiceSupplierRow, InvoiceSupplierRow.creditor_id == CreditorRow.id)
        .where(InvoiceSupplierRow.invoice_id == invoice_id)
    )
    return s.Facts(
        creditor=s.creditor_key(number, seller_id(model), model.seller.name or ""),
        buyer_reference=(model.buyer_reference or "").strip()[:255],
        department=department,
        terms=s.limit_terms(s.terms_of(model)),
    )


def _earlier(rows: Iterable[Any]) -> list[s.Earlier]:
    return [
        s.Earlier(
            r.invoice_id,
            r.creditor,
            r.buyer_reference,
            r.department,
            s.parse_pattern(r.pattern),
            frozenset(r.terms.split()),
        )
        for r in rows
    ]


def _newest_first(row: Any) -> int:
    return -int(row.invoice_id)


def history_for(
    session: Session, facts: s.Facts, before: int | None = None
) -> tuple[list[s.Earlier], list[s.Earlier], dict[str, dict[str, int]]]:
    """The suggestion inputs: this creditor's and this BT-10's earlier Kontierungen, word hits."""
    h = KontierungHistoryRow

    def newest(source: str, condition: Any, limit: int) -> Any:
        query = select(
            literal(source).label("source"),
            h.invoice_id,
            h.creditor,
            h.buyer_reference,
            h.department,
            h.pattern,
            h.terms,
        ).where(condition)
        if before is not None:
            query = query.where(h.invoice_id < before)
        return select(query.order_by(h.invoice_id.desc()).limit(limit).subquery())

    statement: Any = newest("creditor", h.creditor == facts.creditor, s.HISTORY_DEPTH)
    if facts.buyer_reference:  # one round trip for both histories
        other = newest("reference", h.buyer_reference == facts.buyer_reference, 60)
        statement = union_all(statement, other)
    found: list[Any] = list(session.execute(statement))
    rows = sorted(found, key=_newest_first)
    by_creditor = _earlier(r for r in rows if r.source == "creditor")
    by_reference = _earlier(r for r in rows if r.source == "reference")
    hits: dict[str, dict[str, int]] = {}
    if facts.terms:
        for term, key, count in session.execute(
            select(KontierungTermRow.term, KontierungTermRow.key, KontierungTermRow.hits).where(
                KontierungTermRow.term.in_(sorted(facts.terms))
            )
        ):
            hits.setdefault(term, {})[key] = count
    return by_creditor, by_reference, hits


def suggestions(
    session: Session, model: InvoiceModel, department: str, year: int, invoice_id: int
) -> tuple[SuggestionView, ...]:
    facts = facts_of(session, model, invoice_id, department)
    by_creditor, by_reference, hits = history_for(session, facts)
    keys = {key for e in by_creditor + by_reference for key, _ in e.pattern}
    keys |= {key for found in hits.values() for key in found}
    chart = chart_of(session, keys)
    allowed = {
        key: (stelle.allowed_for(department) and stelle.valid_in(year))
        for key, stelle in chart.items()
    }
    found = s.suggest(facts, by_creditor, by_reference, hits, allowed)
    return tuple(
        SuggestionView(
            i,
            sg.source,
            sg.source_de,
            tuple(
                (key, chart[key].name if key in chart else "", share) for key, share in sg.pattern
            ),
        )
        for i, sg in enumerate(found, start=1)
    )


def remember(session: Session, model: InvoiceModel, invoice_id: int, department: str) -> None:
    """The ordered invoice's Kontierung goes into the suggestions' history."""
    splits = stored_splits(session, invoice_id)
    if not splits:
        return
    facts = facts_of(session, model, invoice_id, department)
    pattern = s.pattern_of([(sp.key, sp.amount) for sp in splits])
    existing = session.get(KontierungHistoryRow, invoice_id)
    if existing is not None:
        return
    session.add(
        KontierungHistoryRow(
            invoice_id=invoice_id,
            creditor=facts.creditor,
            buyer_reference=facts.buyer_reference,
            department=department,
            pattern=s.pattern_text(pattern),
            terms=" ".join(sorted(facts.terms)),
        )
    )
    if len(pattern) == 1:  # words count for a Buchungsstelle only when the invoice went whole
        key = pattern[0][0]
        for term in sorted(facts.terms):
            hit = session.get(KontierungTermRow, (term, key))
            if hit is None:
                session.add(KontierungTermRow(term=term, key=key, hits=1))
            else:
                hit.hits += 1


__all__ = ["SuggestionView", "facts_of", "history_for", "remember", "suggestions"]
