"""Kontierung suggestions: where did invoices like this one go before?

Three sources, each suggestion saying which one it came from:

1. **this creditor's earlier invoices** - their Kontierungen (patterns), weighed
   by how alike they are: same Amt, same buyer reference (BT-10), similar line
   texts (BT-153/154), and how recent;
2. **similar line texts** of any creditor - the Buchungsstelle booked most often
   for the words of this invoice's lines;
3. **the same buyer reference** (BT-10, the Leitweg-ID) on other creditors' invoices.

A :class:`Pattern` is a Kontierung without amounts: Buchungsstellen and their
whole-percent shares (one Buchungsstelle: 100). Pure: the history is handed in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from einvoice.domain.invoice import Invoice

_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
MAX_TERMS = 40
#: Most earlier invoices of one creditor (or one BT-10) a suggestion looks at.
HISTORY_DEPTH = 120
_STOP = frozenset(
    {"und", "der", "die", "das", "für", "mit", "von", "vom", "zur", "zum", "pro", "inkl", "gem"}
)

Pattern = tuple[tuple[str, int], ...]  # ((Buchungsstelle key, whole percent), ...), sorted


def terms_of_texts(texts: Iterable[str]) -> frozenset[str]:
    """Words of line texts, lower case, without numbers and the commonest small words."""
    words: list[str] = []
    for text in texts:
        words.extend(w.lower() for w in _WORD.findall(text))
    return frozenset(w for w in dict.fromkeys(words) if w not in _STOP and len(w) <= 64)


def terms_of(inv: Invoice) -> frozenset[str]:
    """Words of the line texts (BT-153 item name, BT-154 description), lower case."""
    texts: list[str] = []
    for line in inv.all_lines():
        if line.item is not None:
            texts.extend(t for t in (line.item.name, line.item.description) if t)
    return terms_of_texts(texts)


def limit_terms(terms: Iterable[str]) -> frozenset[str]:
    return frozenset(sorted(terms)[:MAX_TERMS])


def pattern_of(amounts: Sequence[tuple[str, Decimal]]) -> Pattern:
    """The pattern of a Kontierung: each Buchungsstelle's share in whole percent (sum 100)."""
    totals: dict[str, Decimal] = {}
    for key, amount in amounts:
        totals[key] = totals.get(key, Decimal(0)) + abs(amount)
    whole = sum(totals.values(), Decimal(0))
    if not totals:
        return ()
    if whole == 0:
        return tuple(sorted((k, 100 // len(totals)) for k in totals))
    shares = {k: int((v * 100 / whole).to_integral_value()) for k, v in totals.items()}
    largest = max(shares, key=lambda k: (shares[k], k))
    shares[largest] += 100 - sum(shares.values())
    return tuple(sorted(shares.items()))


def pattern_text(pattern: Pattern) -> str:
    return ";".join(f"{key}={share}" for key, share in pattern)


def parse_pattern(text: str) -> Pattern:
    out: list[tuple[str, int]] = []
    for part in text.split(";"):
        key, _, share = part.rpartition("=")
        if key and share.isdigit():
            out.append((key, int(share)))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Facts:
    """What a suggestion knows of the invoice to be kontiert."""

    creditor: str  # creditor_key
    buyer_reference: str  # BT-10
    department: str
    terms: frozenset[str]


@dataclass(frozen=True, slots=True)
class Earlier:
    """One earlier ordered invoice's Kontierung."""

    invoice_id: int
    creditor: str
    buyer_reference: str
    department: str
    pattern: Pattern
    terms: frozenset[str]


@dataclass(frozen=True, slots=True)
class Suggestion:
    pattern: Pattern
    source: str  # creditor, text, buyer_reference
    source_de: str  # where it came from, for the clerk
    score: float


SOURCE_LABELS_DE = {
    "creditor": "frühere Rechnungen dieses Kreditors",
    "text": "ähnliche Positionstexte (BT-153/154)",
    "buyer_reference": "gleiche Käuferreferenz / Leitweg-ID (BT-10)",
}


def creditor_key(number: str | None, seller_id: str, name: str) -> str:
    """Kreditorennummer when known, else the seller's stable id, else the normalised name."""
    if number:
        return f"nr:{number}"
    if seller_id:
        return f"id:{seller_id.upper()}"
    return "name:" + " ".join(name.lower().split())[:240]


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _weigh(facts: Facts, earlier: Earlier, age: int) -> float:
    weight = 1.0 / (1.0 + age / 25.0)  # recent invoices count more
    if earlier.department == facts.department:
        weight *= 3.0
    if facts.buyer_reference and earlier.buyer_reference == facts.buyer_reference:
        weight *= 1.5
    return weight * (0.2 + 4.0 * _similarity(facts.terms, earlier.terms))


def _ranked(facts: Facts, earlier: Sequence[Earlier]) -> list[tuple[Pattern, float, int]]:
    scores: dict[Pattern, float] = {}
    counts: dict[Pattern, int] = {}
    for age, entry in enumerate(earlier[:HISTORY_DEPTH]):
        if entry.pattern:
            scores[entry.pattern] = scores.get(entry.pattern, 0.0) + _weigh(facts, entry, age)
            counts[entry.pattern] = counts.get(entry.pattern, 0) + 1
    return sorted(
        ((p, s, counts[p]) for p, s in scores.items()), key=lambda t: (-t[1], -t[2], t[0])
    )


def suggest(
    facts: Facts,
    by_creditor: Sequence[Earlier],
    by_buyer_reference: Sequence[Earlier],
    term_hits: Mapping[str, Mapping[str, int]],
    allowed: Mapping[str, bool] | None = None,
    limit: int = 5,
) -> tuple[Suggestion, ...]:
    """Suggestions, best first (see the module docstring); earlier lists newest first.

    ``allowed``: Buchungsstelle key -> usable now (valid, allowed for the Amt); a
    pattern with an unusable Buchungsstelle is left out. None: all are usable.
    """

    def usable(pattern: Pattern) -> bool:
        return allowed is None or all(allowed.get(key, False) for key, _ in pattern)

    out: list[Suggestion] = []
    seen: set[Pattern] = set()

    def add(pattern: Pattern, source: str, detail: str, score: float) -> None:
        if pattern and pattern not in seen and usable(pattern):
            seen.add(pattern)
            out.append(Suggestion(pattern, source, f"{SOURCE_LABELS_DE[source]}{detail}", score))

    ranked = _ranked(facts, by_creditor)
    for pattern, score, count in ranked[:2]:
        add(pattern, "creditor", f" ({count}-mal)", score)
    text = _by_text(facts.terms, term_hits, allowed)
    if text is not None:
        key, words = text
        add(((key, 100),), "text", f" („{', '.join(words)}“)", 0.0)
    others = [e for e in by_buyer_reference if e.creditor != facts.creditor]
    for pattern, score, count in _ranked(facts, others)[:1]:
        add(pattern, "buyer_reference", f" ({count}-mal)", score)
    for pattern, score, count in ranked[2:]:
        add(pattern, "creditor", f" ({count}-mal)", score)
    return tuple(out[:limit])


def _by_text(
    terms: frozenset[str],
    term_hits: Mapping[str, Mapping[str, int]],
    allowed: Mapping[str, bool] | None,
) -> tuple[str, list[str]] | None:
    scores: dict[str, float] = {}
    reasons: dict[str, list[str]] = {}
    for term in sorted(terms):
        hits = term_hits.get(term)
        if not hits:
            continue
        total = sum(hits.values())
        for key, count in hits.items():
            if allowed is not None and not allowed.get(key, False):
                continue
            # a word that always lands on one Buchungsstelle says more than a common word
            scores[key] = scores.get(key, 0.0) + count / total
            reasons.setdefault(key, []).append(term)
    if not scores:
        return None
    best = max(scores, key=lambda k: (scores[k], k))
    return best, reasons[best][:3]


__all__ = [
    "HISTORY_DEPTH",
    "SOURCE_LABELS_DE",
    "Earlier",
    "Facts",
    "Pattern",
    "Suggestion",
    "creditor_key",
    "limit_terms",
    "parse_pattern",
    "pattern_of",
    "pattern_text",
    "suggest",
    "terms_of",
    "terms_of_texts",
]
