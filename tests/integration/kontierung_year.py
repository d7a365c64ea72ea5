"""A year of a city's invoices with their Kontierung, for the suggestion quality and benchmarks.

Built like :mod:`tests.integration.cityyear` (same 13 offices of Musterstadt, same day
to stop, deterministic from a seed), but each invoice carries what the clerk booked -
the generator's own intention, kept as :class:`Booked`, never read back:

* recurring creditors with one or two trades (a stationer also sells furniture), who
  serve one to three Ämter (each Amt books on its own Produkt and Kostenstelle, and
  the invoice names the Amt's Leitweg-ID in BT-10);
* the Sachkonto follows the line texts (toner -> Bürobedarf, a desk -> Ausstattung,
  "Wartung Heizung" -> Unterhaltung), with the texts varying from invoice to invoice;
* some invoices mix two trades and are split across two Buchungsstellen by line;
* some are booked elsewhere for reasons the data does not show (a project's Auftrag,
  a clerk's own choice): nobody can predict those.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from einvoice.domain import kontierung_suggest as s
from tests.integration.cityyear import OFFICES, TODAY

#: trade -> (Sachkonto, name, line texts)
TRADES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "buero": (
        "5271000",
        "Bürobedarf",
        (
            "Kopierpapier A4 80g",
            "Toner schwarz",
            "Tonerkartusche farbig",
            "Ordner breit",
            "Kugelschreiber blau",
            "Haftnotizen gelb",
            "Briefumschläge DIN lang",
        ),
    ),
    "moebel": (
        "0821000",
        "Betriebs- und Geschäftsausstattung",
        ("Schreibtisch höhenverstellbar", "Bürodrehstuhl", "Rollcontainer", "Aktenschrank"),
    ),
    "bau": (
        "5211000",
        "Unterhaltung der Gebäude",
        (
            "Wartung Heizungsanlage",
            "Reparatur Fenster",
            "Malerarbeiten Flur",
            "Austausch Türschloss",
            "Dachrinne reinigen",
        ),
    ),
    "energie": (
        "5241000",
        "Bewirtschaftung (Energie)",
        ("Strom Abschlag", "Erdgas Abschlag", "Fernwärme Abschlag", "Wasser und Abwasser"),
    ),
    "it": (
        "5281000",
        "IT-Dienstleistungen und Lizenzen",
        ("Softwarelizenz Fachverfahren", "Wartungsvertrag Software", "Hosting Rechenzentrum"),
    ),
    "beratung": (
        "5291000",
        "Sonstige Dienstleistungen",
        ("Beratungsleistung", "Gutachten Statik", "Schulung Mitarbeitende", "Moderation Workshop"),
    ),
    "reinigung": (
        "5251000",
        "Reinigung und Winterdienst",
        ("Unterhaltsreinigung Büroräume", "Glasreinigung", "Winterdienst Gehwege"),
    ),
    "fahrzeug": (
        "5261000",
        "Fahrzeuge",
        ("Fahrzeugwartung Inspektion", "Reifenwechsel", "Kraftstoff Tankkarte"),
    ),
}
#: trades that often come together from one creditor (the second trade)
PAIRS = {"buero": "moebel", "bau": "reinigung", "it": "beratung", "fahrzeug": "bau"}


def produkt_of(office: str) -> str:
    return f"{int(office.split('-')[1]):02d}.1.01.01"


def kostenstelle_of(office: str) -> str:
    return f"{int(office.split('-')[1]) * 100}"


def key_of(office: str, trade: str) -> str:
    return f"{produkt_of(office)}/{TRADES[trade][0]}/{kostenstelle_of(office)}"


def leitweg_of(office: str) -> str:
    return f"16055000-{office.upper()}-00"


@dataclass(frozen=True, slots=True)
class Booked:
    """One invoice and the Kontierung the clerk gave it (the generator's truth)."""

    invoice_id: int
    day: date
    creditor: str
    office: str
    buyer_reference: str
    lines: tuple[tuple[str, Decimal], ...]  # (BT-153 text, gross)
    splits: tuple[tuple[str, Decimal], ...]  # (Buchungsstelle key, gross)
    kind: str  # usual, second-trade, split, elsewhere

    @property
    def pattern(self) -> s.Pattern:
        return s.pattern_of(self.splits)

    @property
    def terms(self) -> frozenset[str]:
        return s.limit_terms(s.terms_of_texts(text for text, _ in self.lines))


@dataclass(frozen=True, slots=True)
class Creditor:
    key: str
    trade: str
    second: str | None
    offices: tuple[str, ...]
    weights: tuple[int, ...]


def chart() -> list[tuple[str, str, str, str, str]]:
    """(key, Produkt, Sachkonto, Kostenstelle, name) of every Buchungsstelle the year uses."""
    out = []
    for office in OFFICES:
        for trade, (konto, name, _) in TRADES.items():
            out.append(
                (key_of(office, trade), produkt_of(office), konto, kostenstelle_of(office), name)
            )
        out.append(
            (
                f"{produkt_of(office)}/5431000/{kostenstelle_of(office)}/P-{office[-2:]}",
                produkt_of(office),
                "5431000",
                kostenstelle_of(office),
                "Projekt",
            )
        )
    return out


def _creditors(rng: random.Random, count: int) -> list[Creditor]:
    offices = list(OFFICES)
    volumes = [OFFICES[o][0] for o in offices]
    out = []
    for n in range(count):
        trade = rng.choice(list(TRADES))
        second = PAIRS.get(trade) if rng.random() < 0.35 else None
        served = rng.choices([1, 2, 3], weights=[55, 30, 15])[0]
        chosen: list[str] = []
        while len(chosen) < served:
            office = rng.choices(offices, weights=volumes)[0]
            if office not in chosen:
                chosen.append(office)
        weights = tuple(sorted((rng.randint(1, 10) for _ in chosen), reverse=True))
        out.append(Creditor(f"nr:K-{70000 + n}", trade, second, tuple(chosen), weights))
    return out


def _lines(rng: random.Random, trade: str) -> list[tuple[str, Decimal]]:
    texts = TRADES[trade][2]
    count = rng.choices([1, 2, 3], weights=[50, 35, 15])[0]
    picked = rng.sample(texts, min(count, len(texts)))
    return [(text, Decimal(rng.randint(2_000, 250_000)) / 100) for text in picked]


def generate(seed: int = 2026, invoices: int = 8_000, creditors: int = 300) -> list[Booked]:
    """The year's invoices in order of receipt (ids 1..n) with their Kontierung."""
    rng = random.Random(seed)
    people = _creditors(rng, creditors)
    # a few creditors send most invoices (Zipf-like), as in every city
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(people))]
    start = TODAY - timedelta(days=364)
    out: list[Booked] = []
    for number in range(1, invoices + 1):
        creditor = rng.choices(people, weights=weights)[0]
        office = rng.choices(creditor.offices, weights=creditor.weights)[0]
        day = start + timedelta(days=(number * 364) // invoices)
        roll = rng.random()
        trade = creditor.trade
        kind = "usual"
        lines = _lines(rng, trade)
        splits: list[tuple[str, Decimal]]
        if creditor.second and roll < 0.25:
            trade = creditor.second
            kind = "second-trade"
            lines = _lines(rng, trade)
            splits = [(key_of(office, trade), sum((g for _, g in lines), Decimal(0)))]
        elif creditor.second and roll < 0.32:
            kind = "split"
            other = _lines(rng, creditor.second)[:1]
            lines = lines[:1] + other
            splits = [
                (key_of(office, creditor.trade), lines[0][1]),
                (key_of(office, creditor.second), other[0][1]),
            ]
        elif roll > 0.975:
            kind = "elsewhere"
            key = f"{produkt_of(office)}/5431000/{kostenstelle_of(office)}/P-{office[-2:]}"
            splits = [(key, sum((g for _, g in lines), Decimal(0)))]
        else:
            splits = [(key_of(office, trade), sum((g for _, g in lines), Decimal(0)))]
        out.append(
            Booked(
                invoice_id=number,
                day=day,
                creditor=creditor.key,
                office=office,
                buyer_reference=leitweg_of(office),
                lines=tuple(lines),
                splits=tuple(splits),
                kind=kind,
            )
        )
    return out


def earlier(b: Booked) -> s.Earlier:
    return s.Earlier(b.invoice_id, b.creditor, b.buyer_reference, b.office, b.pattern, b.terms)


def facts(b: Booked) -> s.Facts:
    return s.Facts(b.creditor, b.buyer_reference, b.office, b.terms)


__all__ = ["TRADES", "Booked", "chart", "earlier", "facts", "generate", "key_of", "produkt_of"]
