"""Suggestion quality on a generated year of a city's invoices (issue 24, Must show).

For every invoice of a creditor seen before, the first suggestion - computed from the
invoices before it only, the way the service computes it (this creditor's history,
the same BT-10's, word hits of single-Buchungsstelle invoices; only Buchungsstellen
the invoice's Amt may use) - must equal the
invoice's own Kontierung (Buchungsstellen and shares) in at least 80 % of cases. The
figure and every miss, grouped by why, go to tests/artifacts/kontierung-vorschlaege.txt.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from einvoice.domain import kontierung_suggest as s
from tests.helpers import ROOT
from tests.integration.cityyear import OFFICES
from tests.integration.kontierung_year import Booked, chart, earlier, facts, generate, produkt_of

REPORT = ROOT / "tests" / "artifacts" / "kontierung-vorschlaege.txt"


def _replay(year: list[Booked]) -> tuple[int, int, list[tuple[Booked, s.Pattern | None]]]:
    # each Amt may book only on its own Buchungsstellen (the chart's "aemter" column)
    allowed: dict[str, dict[str, bool]] = defaultdict(dict)
    for key, produkt, *_ in chart():
        for office in OFFICES:
            allowed[office][key] = produkt == produkt_of(office)
    by_creditor: dict[str, list[s.Earlier]] = defaultdict(list)
    by_reference: dict[str, list[s.Earlier]] = defaultdict(list)
    hits: dict[str, dict[str, int]] = defaultdict(dict)
    seen = hits_first = 0
    misses: list[tuple[Booked, s.Pattern | None]] = []
    for invoice in year:
        history = by_creditor[invoice.creditor]
        if history:
            seen += 1
            found = s.suggest(
                facts(invoice),
                history[::-1][: s.HISTORY_DEPTH],
                by_reference[invoice.buyer_reference][::-1][:60],
                {t: hits[t] for t in invoice.terms if t in hits},
                allowed[invoice.office],
            )
            first = found[0].pattern if found else None
            if first == invoice.pattern:
                hits_first += 1
            else:
                misses.append((invoice, first))
        entry = earlier(invoice)  # ordered: into the history, as the service remembers it
        history.append(entry)
        by_reference[invoice.buyer_reference].append(entry)
        if len(invoice.pattern) == 1:
            key = invoice.pattern[0][0]
            for term in invoice.terms:
                hits[term][key] = hits[term].get(key, 0) + 1
    return seen, hits_first, misses


def test_first_suggestion_is_right_for_at_least_80_percent_of_known_creditors() -> None:
    year = generate(seed=2026, invoices=8_000, creditors=300)
    seen, right, misses = _replay(year)
    share = right / seen
    why = Counter(b.kind for b, _ in misses)
    lines = [
        "Vorschlagsqualität der Kontierung (erzeugtes Jahr, tests/integration/kontierung_year.py)",
        f"Rechnungen: {len(year)}, davon von bereits bekannten Kreditoren: {seen}",
        f"Erster Vorschlag = eigene Kontierung: {right} von {seen} = {share:.1%}",
        "Fehlgriffe nach Art der Rechnung: "
        + ", ".join(f"{kind} {count}" for kind, count in why.most_common()),
        "",
        "Fehlgriffe (Rechnung, Kreditor, Amt, Art, eigene Kontierung <- erster Vorschlag):",
    ]
    for invoice, first in misses:
        own = s.pattern_text(invoice.pattern)
        lines.append(
            f"  {invoice.invoice_id:>5} {invoice.creditor} {invoice.office} {invoice.kind}: "
            f"{own} <- {s.pattern_text(first) if first else 'kein Vorschlag'}"
        )
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[:4]))
    assert seen > 7_000
    assert share >= 0.80, f"{share:.1%} (see {REPORT})"
