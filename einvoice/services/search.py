"""The clerks' search: what an invoice can be found by, and the query as SQL.

Each invoice keeps one lower-case ``search_text`` (written when it is recorded):
its number (BT-1), the seller's name (BT-27) and identifiers (BT-29, BT-30,
BT-31, BT-32; also without spaces, dots and hyphens), the IBANs (BT-84, without
spaces), the Leitweg-ID (BT-10), the order and contract references (BT-13,
BT-12) and the item names and descriptions of the lines (BT-153, BT-154). A
query's words must all occur in it (``LIKE '%wort%'``: a trigram GIN index on
PostgreSQL, a scan on SQLite). A query that reads as an amount ("1.234,56",
"1234.56", "463,39 €") also finds invoices with that amount due (BT-115) or
total (BT-112).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_

from einvoice.domain.creditors import normal_id
from einvoice.storage.tables import Invoice, Workflow

MAX_TEXT = 8000  # characters kept per invoice
MAX_QUERY = 200  # characters of a query
MAX_WORDS = 8

_AMOUNT = re.compile(r"^-?\d{1,3}(?:\.\d{3})*(?:,\d{1,2})?$|^-?\d+(?:[.,]\d{1,2})?$")
_IBAN_LIKE = re.compile(r"^[A-Za-z]{2}\d{2}(?:\s?[A-Za-z0-9]{1,4}){2,8}$")


def _texts(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, dict):
        return [str(value.get("value") or value.get("id") or "")]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return [str(value)]


def search_text(semantic: dict[str, Any]) -> str:
    """The words an invoice can be found by (lower case, IBANs without spaces)."""
    seller = semantic.get("BG-4") or {}
    words: list[str] = []
    words += _texts(semantic.get("BT-1"))
    words += _texts(seller.get("BT-27"))
    words += _texts(seller.get("BT-28"))
    for term in ("BT-29", "BT-30", "BT-31", "BT-32"):
        for identifier in _texts(seller.get(term)):
            # as written, and compact when written with separators ("DE 123 456 789")
            words += dict.fromkeys((identifier, normal_id(identifier)))
    payment = semantic.get("BG-16") or {}
    transfers = payment.get("BG-17") if isinstance(payment, dict) else None
    for transfer in transfers or []:
        if isinstance(transfer, dict):
            words += [t.replace(" ", "") for t in _texts(transfer.get("BT-84"))]
    for term in ("BT-10", "BT-12", "BT-13"):
        words += _texts(semantic.get(term))
    for line in semantic.get("BG-25") or []:
        item = line.get("BG-31") if isinstance(line, dict) else None
        if isinstance(item, dict):
            words += _texts(item.get("BT-153")) + _texts(item.get("BT-154"))
    text = " ".join(w.strip() for w in words if w and w.strip())
    return " ".join(text.split()).lower()[:MAX_TEXT]


@dataclass(frozen=True, slots=True)
class SearchQuery:
    words: tuple[str, ...]
    amount: Decimal | None  # the query read as an amount

    @property
    def empty(self) -> bool:
        return not self.words


def parse_query(text: str | None) -> SearchQuery:
    """A user's query: its words (lower case), and the amount it may stand for."""
    raw = " ".join((text or "").split())[:MAX_QUERY]
    if not raw:
        return SearchQuery((), None)
    amount = _amount(raw.replace("€", "").replace("EUR", "").strip())
    if _IBAN_LIKE.match(raw):  # "DE02 1203 0000 0000 2020 51" is one word
        return SearchQuery((raw.replace(" ", "").lower(),), None)
    words = tuple(dict.fromkeys(w.lower() for w in raw.split(" ") if w))[:MAX_WORDS]
    return SearchQuery(words, amount)


def _amount(text: str) -> Decimal | None:
    if not _AMOUNT.match(text):
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def condition(query: SearchQuery) -> ColumnElement[bool]:
    """The query as a WHERE clause over ``invoices`` joined with ``workflows``."""
    if query.empty:
        return false()
    texts = and_(*(Invoice.search_text.contains(w, autoescape=True) for w in query.words))
    if query.amount is None:
        return texts
    amount = query.amount
    return or_(
        texts,
        Workflow.amount == amount,
        Workflow.amount == -amount,
        Invoice.total_with_vat == amount,
    )


__all__ = ["SearchQuery", "condition", "parse_query", "search_text"]
