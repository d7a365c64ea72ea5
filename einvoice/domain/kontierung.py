"""Kontierung: where an invoice is booked in the city's budget (Buchungsstellen and Haushaltsjahr).

A :class:`Buchungsstelle` (Doppik) is Produkt (Kostenträger) + Sachkonto +
Kostenstelle, sometimes an Investitionsmaßnahme / Auftrag; the chart of
accounts says from when to when it is valid, which Ämter may use it and whether
it belongs to a Betrieb gewerblicher Art with input-tax deduction (BgA: net and
VAT are booked apart; otherwise the city books gross).

The clerk who states *sachlich richtig* splits the amount due (BT-115) across
one or more Buchungsstellen - by amount, by percentage, by invoice line (BG-25)
or by VAT rate (BG-23) - and names the Haushaltsjahr (default: the year of the
delivery period BT-74/BT-73, else of the invoice date BT-2). :func:`resolve`
turns such requests into :class:`Split` amounts (cent-exact, percentages
rounded half up with the remainder on the last split); :func:`order_problems`
lists, in German, everything that still stands in the way of the payment order
(Anordnung): splits that do not add up to the amount due to the cent, unknown
Buchungsstellen, ones not valid for the Amt or the year, a closed year, and
budget (verfügbare Mittel) exceeded when the city refuses that.

Pure: no I/O. Amounts are signed from the buyer's side (a credit note negative).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from einvoice.domain.invoice import Invoice

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
#: Most splits one invoice may have (a form and a file stay readable).
MAX_SPLITS = 50


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def euro(amount: Decimal) -> str:
    """``1.234,50 €`` (German notation)."""
    text = f"{cents(amount):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{text} €"


@dataclass(frozen=True, slots=True)
class Buchungsstelle:
    """One Buchungsstelle of the chart of accounts (Kontenplan / Haushaltsstellen)."""

    produkt: str  # Produkt (Kostenträger), e.g. 11.1.03.01
    sachkonto: str  # Sachkonto, e.g. 5431000
    kostenstelle: str  # Kostenstelle, e.g. 6500
    auftrag: str = ""  # Investitionsmaßnahme / Auftrag (optional)
    name: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    departments: frozenset[str] = frozenset()  # Ämter (Department.key) allowed; empty: all
    bga: bool = False  # Betrieb gewerblicher Art with input-tax deduction: net and VAT apart

    @property
    def key(self) -> str:
        """``11.1.03.01/5431000/6500`` (``/Auftrag`` appended when there is one)."""
        parts = [self.produkt, self.sachkonto, self.kostenstelle]
        if self.auftrag:
            parts.append(self.auftrag)
        return "/".join(parts)

    def valid_in(self, year: int) -> bool:
        """Valid on at least one day of the Haushaltsjahr ``year``."""
        starts_before_end = self.valid_from is None or self.valid_from <= date(year, 12, 31)
        ends_after_start = self.valid_to is None or self.valid_to >= date(year, 1, 1)
        return starts_before_end and ends_after_start

    def allowed_for(self, department: str) -> bool:
        return not self.departments or department in self.departments


def split_key(key: str) -> tuple[str, str, str, str]:
    """(Produkt, Sachkonto, Kostenstelle, Auftrag) of a :attr:`Buchungsstelle.key`."""
    parts = [p.strip() for p in key.strip().split("/")]
    if len(parts) not in (3, 4) or not all(parts):
        raise ValueError(
            f"„{key}“ ist keine Buchungsstelle (Produkt/Sachkonto/Kostenstelle[/Auftrag])."
        )
    return parts[0], parts[1], parts[2], parts[3] if len(parts) == 4 else ""


class Basis(StrEnum):
    """How the clerk split the amount."""

    AMOUNT = "betrag"  # an amount in euro
    PERCENT = "prozent"  # a share of the amount due
    LINES = "zeilen"  # the gross of some invoice lines (BT-126 ids)
    VAT_RATE = "steuersatz"  # the gross of one VAT rate (BG-23)
    REST = "rest"  # what the other splits leave of the amount due


BASIS_LABELS_DE: dict[Basis, str] = {
    Basis.AMOUNT: "Betrag",
    Basis.PERCENT: "Prozent",
    Basis.LINES: "Rechnungszeilen",
    Basis.VAT_RATE: "Steuersatz",
    Basis.REST: "Restbetrag",
}


@dataclass(frozen=True, slots=True)
class SplitRequest:
    """What the clerk asked for: a Buchungsstelle and how its share is measured."""

    key: str  # Buchungsstelle.key
    basis: Basis = Basis.AMOUNT
    value: str = ""  # amount "123.45", percent "40", line ids "1,3", VAT rate "19", rest ""


@dataclass(frozen=True, slots=True)
class Split:
    """One booking of the Kontierung: a Buchungsstelle and its gross share of the amount due."""

    key: str
    amount: Decimal  # gross, signed, two decimals
    basis: Basis = Basis.AMOUNT
    value: str = ""


@dataclass(frozen=True, slots=True)
class BookedSplit:
    """A split as booked: gross, or net and VAT apart for a BgA."""

    key: str
    amount: Decimal  # gross
    net: Decimal
    vat: Decimal
    apart: bool  # True: BgA, net and VAT booked apart; False: booked gross


class KontierungError(ValueError):
    """A split request that cannot be resolved (German message)."""


def default_year(inv: Invoice) -> int:
    """Haushaltsjahr by default: the year of the delivery period (BT-74, else BT-73), else BT-2."""
    period = inv.invoicing_period
    if period is not None and (period.end or period.start):
        day = period.end or period.start
        assert day is not None
        return day.year
    return inv.issue_date.year


@dataclass(frozen=True, slots=True)
class BudgetPolicy:
    """The city's rules for the budget: year closing and verfügbare Mittel."""

    closing_month: int = 1  # the year Y is closed after this day of Y+1 (Auslaufzeitraum)
    closing_day: int = 31
    refuse_over_budget: bool = True  # False: only warn when verfügbare Mittel are exceeded

    def closing_date(self, year: int) -> date:
        return date(year + 1, self.closing_month, self.closing_day)

    def is_closed(self, year: int, today: date) -> bool:
        return today > self.closing_date(year)


def open_default_year(inv: Invoice, today: date, policy: BudgetPolicy) -> int:
    """:func:`default_year`, or - when that year is closed - the current year (booked late)."""
    year = default_year(inv)
    return today.year if policy.is_closed(year, today) else year


def year_problem(year: int, today: date, policy: BudgetPolicy) -> str | None:
    if year < 1990 or year > today.year + 1:
        return f"Das Haushaltsjahr {year} ist nicht möglich."
    if policy.is_closed(year, today):
        return (
            f"Das Haushaltsjahr {year} ist abgeschlossen (seit dem "
            f"{policy.closing_date(year):%d.%m.%Y}); bitte ein offenes Jahr wählen."
        )
    return None


def _decimal(text: str, what: str) -> Decimal:
    cleaned = text.strip().replace(" ", "").replace("€", "")
    if "," in cleaned:  # German notation: 1.234,56
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except ArithmeticError:
        raise KontierungError(f"{what} „{text}“ ist keine Zahl.") from None
    if not value.is_finite():
        raise KontierungError(f"{what} „{text}“ ist keine Zahl.")
    return value


def line_gross(inv: Invoice) -> dict[str, Decimal]:
    """Gross of each invoice line by its id (BT-126): net (BT-131) plus its VAT rate (BT-152)."""
    out: dict[str, Decimal] = {}
    for position, line in enumerate(inv.lines, start=1):
        line_id = (line.line_id or str(position)).strip()
        net = line.net_amount or Decimal(0)
        rate = line.vat.rate if line.vat and line.vat.rate is not None else Decimal(0)
        out[line_id] = cents(net * (1 + rate / HUNDRED))
    return out


def rate_gross(inv: Invoice) -> dict[Decimal, Decimal]:
    """Gross per VAT rate (BG-23: BT-116 + BT-117)."""
    out: dict[Decimal, Decimal] = {}
    for group in inv.vat_breakdown:
        rate = (group.rate or Decimal(0)).normalize()
        gross = (group.taxable_amount or Decimal(0)) + (group.tax_amount or Decimal(0))
        out[rate] = out.get(rate, Decimal(0)) + gross
    return out


def resolve(inv: Invoice, requests: Sequence[SplitRequest]) -> tuple[Split, ...]:
    """The splits' amounts (signed like the amount due); :class:`KontierungError` if impossible."""
    if not requests:
        raise KontierungError("Bitte mindestens eine Buchungsstelle angeben.")
    if len(requests) > MAX_SPLITS:
        raise KontierungError(f"Höchstens {MAX_SPLITS} Aufteilungen je Rechnung.")
    due = inv.amount_due_signed or Decimal(0)
    sign = inv.sign
    rests = [r for r in requests if r.basis is Basis.REST]
    if len(rests) > 1:
        raise KontierungError("Nur eine Aufteilung kann den Restbetrag erhalten.")
    amounts: list[Decimal | None] = []
    percents: list[int] = []
    lines = line_gross(inv)
    rates = rate_gross(inv)
    for index, request in enumerate(requests):
        what = f"Aufteilung {index + 1}"
        if request.basis is Basis.AMOUNT:
            amounts.append(cents(_decimal(request.value, f"{what}: Betrag")))
        elif request.basis is Basis.PERCENT:
            share = _decimal(request.value.rstrip("%"), f"{what}: Prozentsatz")
            if share <= 0 or share > HUNDRED:
                raise KontierungError(f"{what}: Prozentsatz muss über 0 und höchstens 100 sein.")
            amounts.append(cents(due * share / HUNDRED))
            percents.append(index)
        elif request.basis is Basis.LINES:
            ids = [i.strip() for i in request.value.replace(";", ",").split(",") if i.strip()]
            unknown = [i for i in ids if i not in lines]
            if not ids or unknown:
                raise KontierungError(
                    f"{what}: Rechnungszeile {', '.join(unknown) or '–'} gibt es nicht "
                    f"(vorhanden: {', '.join(lines) or 'keine'})."
                )
            amounts.append(sign * sum((lines[i] for i in ids), Decimal(0)))
        elif request.basis is Basis.VAT_RATE:
            rate = _decimal(request.value.rstrip("%"), f"{what}: Steuersatz").normalize()
            if rate not in rates:
                present = ", ".join(f"{r:f} %" for r in rates) or "keiner"
                raise KontierungError(
                    f"{what}: Steuersatz {rate:f} % kommt in der Rechnung nicht vor "
                    f"(vorhanden: {present})."
                )
            amounts.append(sign * cents(rates[rate]))
        else:
            amounts.append(None)
    _percent_remainder(amounts, percents, due, len(requests))
    if rests:
        assigned = sum((a for a in amounts if a is not None), Decimal(0))
        amounts = [due - assigned if a is None else a for a in amounts]
    return tuple(
        Split(key=r.key.strip(), amount=a, basis=r.basis, value=r.value.strip())
        for r, a in zip(requests, amounts, strict=True)
        if a is not None
    )


def _percent_remainder(
    amounts: list[Decimal | None], percents: list[int], due: Decimal, total: int
) -> None:
    """All splits by percent summing to 100 %: the last takes the rounding cent(s)."""
    if not percents or len(percents) != total:
        return
    known = sum((a for a in amounts if a is not None), Decimal(0))
    last = percents[-1]
    current = amounts[last]
    assert current is not None
    if abs(due - known) <= CENT * len(percents):
        amounts[last] = current + (due - known)


def apportion_vat(inv: Invoice, splits: Sequence[Split]) -> tuple[Decimal, ...]:
    """The VAT in each split: by rate for VAT-rate splits, by line rate, else proportional.

    The parts always add up to the invoice's VAT total (BT-110, signed) when the
    splits add up to the amount due (largest share takes the rounding remainder).
    """
    sign = inv.sign
    gross_total = inv.totals.total_with_vat or Decimal(0)
    vat_total = inv.totals.vat_total or Decimal(0)
    vats: list[Decimal] = []
    rates = {r: v for r, v in _rate_of_groups(inv).items()}
    lines = {lid: rate for lid, rate in _line_rates(inv).items()}
    for split in splits:
        if split.basis is Basis.VAT_RATE:
            rate = _decimal(split.value.rstrip("%"), "Steuersatz").normalize()
            vats.append(sign * rates.get(rate, Decimal(0)))
        elif split.basis is Basis.LINES and lines:
            ids = [i.strip() for i in split.value.split(",") if i.strip()]
            vat = Decimal(0)
            for line_id in ids:
                gross, rate = lines.get(line_id, (Decimal(0), Decimal(0)))
                vat += cents(gross * rate / (HUNDRED + rate)) if rate else Decimal(0)
            vats.append(sign * vat)
        elif gross_total:
            vats.append(cents(split.amount * vat_total / gross_total))
        else:
            vats.append(Decimal(0))
    due = inv.amount_due_signed or Decimal(0)
    if sum((s.amount for s in splits), Decimal(0)) == due and due == sign * gross_total and vats:
        difference = sign * vat_total - sum(vats, Decimal(0))
        largest = max(range(len(splits)), key=lambda i: abs(splits[i].amount))
        if abs(difference) <= CENT * len(splits):
            vats[largest] += difference
    return tuple(vats)


def _rate_of_groups(inv: Invoice) -> dict[Decimal, Decimal]:
    out: dict[Decimal, Decimal] = {}
    for group in inv.vat_breakdown:
        rate = (group.rate or Decimal(0)).normalize()
        out[rate] = out.get(rate, Decimal(0)) + (group.tax_amount or Decimal(0))
    return out


def _line_rates(inv: Invoice) -> dict[str, tuple[Decimal, Decimal]]:
    gross = line_gross(inv)
    out: dict[str, tuple[Decimal, Decimal]] = {}
    for position, line in enumerate(inv.lines, start=1):
        line_id = (line.line_id or str(position)).strip()
        rate = line.vat.rate if line.vat and line.vat.rate is not None else Decimal(0)
        out[line_id] = (gross[line_id], rate)
    return out


def booked(
    inv: Invoice, splits: Sequence[Split], chart: Mapping[str, Buchungsstelle]
) -> tuple[BookedSplit, ...]:
    """Each split as booked: gross, or (BgA) net and VAT apart."""
    vats = apportion_vat(inv, splits)
    out: list[BookedSplit] = []
    for split, vat in zip(splits, vats, strict=True):
        stelle = chart.get(split.key)
        apart = bool(stelle and stelle.bga)
        out.append(BookedSplit(split.key, split.amount, split.amount - vat, vat, apart))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Funds:
    """Verfügbare Mittel of a Buchungsstelle in a year and what orders already use of them."""

    available: Decimal
    used: Decimal = Decimal(0)


@dataclass(frozen=True, slots=True)
class Check:
    """What stands in the way of the order (problems) and what only warns."""

    problems: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What :func:`order_problems` looks at."""

    amount_due: Decimal  # signed
    department: str
    year: int | None
    splits: tuple[Split, ...]
    today: date
    funds: Mapping[tuple[str, int], Funds] = field(default_factory=dict)


def order_problems(
    facts: OrderFacts, chart: Mapping[str, Buchungsstelle], policy: BudgetPolicy
) -> Check:
    """Everything that still stands in the way of the payment order, in German."""
    problems: list[str] = []
    warnings: list[str] = []
    if not facts.splits:
        return Check(("Die Rechnung ist noch nicht kontiert (keine Buchungsstelle).",))
    if facts.year is None:
        problems.append("Das Haushaltsjahr fehlt.")
    else:
        closed = year_problem(facts.year, facts.today, policy)
        if closed:
            problems.append(closed)
    total = sum((s.amount for s in facts.splits), Decimal(0))
    if total != facts.amount_due:
        problems.append(
            f"Die Aufteilung ergibt {euro(total)}, der Zahlbetrag ist {euro(facts.amount_due)} "
            f"(Differenz {euro(facts.amount_due - total)})."
        )
    for index, split in enumerate(facts.splits, start=1):
        problems.extend(_split_problems(index, split, facts, chart))
    for key, amount in _per_key(facts.splits).items():
        if facts.year is None:
            break
        funds = facts.funds.get((key, facts.year))
        if funds is None or amount <= 0:
            continue
        left = funds.available - funds.used
        if amount > left:
            text = (
                f"Buchungsstelle {key}: die verfügbaren Mittel {facts.year} reichen nicht "
                f"({euro(left)} frei, benötigt {euro(amount)})."
            )
            (problems if policy.refuse_over_budget else warnings).append(text)
    return Check(tuple(problems), tuple(warnings))


def _split_problems(
    index: int, split: Split, facts: OrderFacts, chart: Mapping[str, Buchungsstelle]
) -> Iterable[str]:
    stelle = chart.get(split.key)
    if stelle is None:
        yield f"Aufteilung {index}: die Buchungsstelle {split.key} gibt es im Kontenplan nicht."
        return
    if not stelle.allowed_for(facts.department):
        yield (
            f"Aufteilung {index}: die Buchungsstelle {split.key} darf vom Amt "
            f"{facts.department} nicht bebucht werden."
        )
    if facts.year is not None and not stelle.valid_in(facts.year):
        yield (
            f"Aufteilung {index}: die Buchungsstelle {split.key} ist im Haushaltsjahr "
            f"{facts.year} nicht gültig."
        )
    if split.amount == 0:
        yield f"Aufteilung {index}: der Betrag ist 0,00 €."


def _per_key(splits: Sequence[Split]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for split in splits:
        out[split.key] = out.get(split.key, Decimal(0)) + split.amount
    return out


__all__ = [
    "BASIS_LABELS_DE",
    "MAX_SPLITS",
    "Basis",
    "BookedSplit",
    "Buchungsstelle",
    "BudgetPolicy",
    "Check",
    "Funds",
    "KontierungError",
    "OrderFacts",
    "Split",
    "SplitRequest",
    "apportion_vat",
    "booked",
    "cents",
    "default_year",
    "euro",
    "line_gross",
    "open_default_year",
    "order_problems",
    "rate_gross",
    "resolve",
    "split_key",
    "year_problem",
]
