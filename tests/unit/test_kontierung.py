"""Kontierung in the pure domain: splits, the order check, VAT apart, the Haushaltsjahr.

Property tests (issue 24): no order without a complete, valid Kontierung; the splits
always sum to the amount due.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from einvoice.domain import kontierung as k
from einvoice.domain.findings import Syntax
from einvoice.domain.invoice import DocumentTotals, Invoice, VatBreakdown
from einvoice.domain.lines import InvoiceLine, Item, LineVat, Period
from einvoice.domain.parties import Buyer, Seller

TODAY = date(2026, 6, 1)
POLICY = k.BudgetPolicy()
CENT = Decimal("0.01")


def invoice(
    net19: Decimal = Decimal("100.00"),
    net7: Decimal = Decimal("50.00"),
    *,
    credit: bool = False,
    period: Period | None = None,
    issued: date = date(2026, 3, 2),
) -> Invoice:
    vat19 = (net19 * Decimal("0.19")).quantize(CENT)
    vat7 = (net7 * Decimal("0.07")).quantize(CENT)
    gross = net19 + net7 + vat19 + vat7
    return Invoice(
        number="R-1",
        issue_date=issued,
        type_code="381" if credit else "380",
        currency_code="EUR",
        syntax=Syntax.UBL_INVOICE,
        seller=Seller(name="Lieferant"),
        buyer=Buyer(name="Stadt"),
        invoicing_period=period,
        totals=DocumentTotals(
            total_without_vat=net19 + net7,
            vat_total=vat19 + vat7,
            total_with_vat=gross,
            amount_due=gross,
        ),
        vat_breakdown=(
            VatBreakdown(
                taxable_amount=net19, tax_amount=vat19, category_code="S", rate=Decimal(19)
            ),
            VatBreakdown(taxable_amount=net7, tax_amount=vat7, category_code="S", rate=Decimal(7)),
        ),
        lines=(
            InvoiceLine(
                line_id="1",
                net_amount=net19,
                vat=LineVat("S", Decimal(19)),
                item=Item(name="Toner"),
            ),
            InvoiceLine(
                line_id="2", net_amount=net7, vat=LineVat("S", Decimal(7)), item=Item(name="Buch")
            ),
        ),
    )


KEYS = ("11/5271/1000", "11/5431/1000", "12/5431/1200", "13/0821/1000/I-1")
CHART = {
    "11/5271/1000": k.Buchungsstelle("11", "5271", "1000", departments=frozenset({"amt-10"})),
    "11/5431/1000": k.Buchungsstelle("11", "5431", "1000", bga=True),
    "12/5431/1200": k.Buchungsstelle("12", "5431", "1200", departments=frozenset({"amt-12"})),
    "13/0821/1000/I-1": k.Buchungsstelle("13", "0821", "1000", "I-1", valid_to=date(2025, 12, 31)),
}
money = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)


@settings(max_examples=200, deadline=None)
@given(
    net19=money,
    net7=money,
    credit=st.booleans(),
    shares=st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=6),
    rest_at=st.integers(min_value=0, max_value=6),
)
def test_splits_always_sum_to_the_amount_due(
    net19: Decimal, net7: Decimal, credit: bool, shares: list[int], rest_at: int
) -> None:
    inv = invoice(net19, net7, credit=credit)
    due = inv.amount_due_signed
    assert due is not None
    # percentages of any size with one Restbetrag: always exactly the amount due
    requests = [
        k.SplitRequest(KEYS[i % 4], k.Basis.PERCENT, str(min(p, 100))) for i, p in enumerate(shares)
    ]
    requests.insert(min(rest_at, len(requests)), k.SplitRequest(KEYS[0], k.Basis.REST))
    splits = k.resolve(inv, requests)
    assert sum(sp.amount for sp in splits) == due
    assert all(sp.amount == sp.amount.quantize(CENT) for sp in splits)
    # percentages adding up to 100 without a Restbetrag: exact too (rounding on the last)
    whole = [
        k.SplitRequest(KEYS[0], k.Basis.PERCENT, "33.33"),
        k.SplitRequest(KEYS[1], k.Basis.PERCENT, "33.33"),
        k.SplitRequest(KEYS[2], k.Basis.PERCENT, "33.34"),
    ]
    assert sum(sp.amount for sp in k.resolve(inv, whole)) == due
    # by VAT rate and by line: the parts of the invoice add up as well
    by_rate = k.resolve(
        inv,
        [
            k.SplitRequest(KEYS[0], k.Basis.VAT_RATE, "19"),
            k.SplitRequest(KEYS[1], k.Basis.VAT_RATE, "7"),
        ],
    )
    assert sum(sp.amount for sp in by_rate) == due
    by_line = k.resolve(
        inv, [k.SplitRequest(KEYS[0], k.Basis.LINES, "1"), k.SplitRequest(KEYS[1], k.Basis.REST)]
    )
    assert sum(sp.amount for sp in by_line) == due
    # VAT booked apart adds up to the invoice's VAT
    vats = k.apportion_vat(inv, splits)
    assert sum(vats, Decimal(0)) == inv.sign * (inv.totals.vat_total or Decimal(0))


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(
        st.tuples(
            st.sampled_from((*KEYS, "99/9999/9999")),
            st.decimals(min_value=Decimal("-500"), max_value=Decimal("5000"), places=2),
        ),
        min_size=0,
        max_size=4,
    ),
    department=st.sampled_from(("amt-10", "amt-12")),
    year=st.one_of(st.none(), st.integers(min_value=2023, max_value=2027)),
    due=st.decimals(min_value=Decimal("-100"), max_value=Decimal("10000"), places=2),
    nudge=st.booleans(),
    funds=st.one_of(
        st.none(), st.decimals(min_value=Decimal(0), max_value=Decimal("6000"), places=2)
    ),
)
def test_no_order_without_a_complete_valid_kontierung(
    parts: list[tuple[str, Decimal]],
    department: str,
    year: int | None,
    due: Decimal,
    nudge: bool,
    funds: Decimal | None,
) -> None:
    if nudge and parts:  # often make the splits add up, so both outcomes are explored
        due = sum((a for _, a in parts), Decimal(0))
    splits = tuple(k.Split(key, amount) for key, amount in parts)
    available = {("11/5431/1000", year): k.Funds(funds)} if funds is not None and year else {}
    facts = k.OrderFacts(due, department, year, splits, TODAY, available)
    check = k.order_problems(facts, CHART, POLICY)
    complete_and_valid = (
        bool(splits)
        and year is not None
        and not POLICY.is_closed(year, TODAY)
        and year <= TODAY.year + 1
        and sum(sp.amount for sp in splits) == due
        and all(
            sp.key in CHART
            and CHART[sp.key].allowed_for(department)
            and CHART[sp.key].valid_in(year)
            and sp.amount != 0
            for sp in splits
        )
    )
    within_funds = (
        funds is None
        or not year
        or (
            sum((sp.amount for sp in splits if sp.key == "11/5431/1000"), Decimal(0)) <= funds
            or sum((sp.amount for sp in splits if sp.key == "11/5431/1000"), Decimal(0)) <= 0
        )
    )
    assert check.ok == (complete_and_valid and within_funds), check.problems
    if not check.ok:
        assert all(p.strip() for p in check.problems)  # always a German reason


def test_the_year_follows_the_delivery_period_and_a_closed_year_is_refused() -> None:
    assert k.default_year(invoice(period=Period(date(2025, 11, 1), date(2025, 12, 31)))) == 2025
    assert k.default_year(invoice(issued=date(2026, 1, 5))) == 2026
    policy = k.BudgetPolicy(closing_month=1, closing_day=31)
    assert k.year_problem(2025, date(2026, 1, 31), policy) is None
    closed = k.year_problem(2025, date(2026, 2, 1), policy)
    assert closed and "abgeschlossen" in closed and "31.01.2026" in closed
    late = invoice(period=Period(date(2025, 12, 1), date(2025, 12, 31)))
    assert k.open_default_year(late, date(2026, 2, 1), policy) == 2026


def test_bad_split_requests_get_a_german_reason() -> None:
    inv = invoice()
    for request, words in (
        (k.SplitRequest(KEYS[0], k.Basis.AMOUNT, "zwölf"), "keine Zahl"),
        (k.SplitRequest(KEYS[0], k.Basis.PERCENT, "120"), "höchstens 100"),
        (k.SplitRequest(KEYS[0], k.Basis.LINES, "9"), "Rechnungszeile 9 gibt es nicht"),
        (k.SplitRequest(KEYS[0], k.Basis.VAT_RATE, "16"), "Steuersatz 16 % kommt"),
    ):
        try:
            k.resolve(inv, [request])
        except k.KontierungError as exc:
            assert words in str(exc), str(exc)
        else:
            raise AssertionError(f"{request} was accepted")
