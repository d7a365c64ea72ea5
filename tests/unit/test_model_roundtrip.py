"""Round trip (hypothesis): invoices of the project's sample generator, written as UBL and
as CII, parse back to equal models - equal to each other and to what was generated."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from einvoice.formats.extract import extract
from einvoice.formats.semantic import to_semantic
from einvoice.samplegen.cii import to_cii
from einvoice.samplegen.spec import InvoiceLine, SampleInvoice, Skonto, example
from einvoice.samplegen.ubl import to_ubl

# XML 1.0 text: no control characters, no surrogates; leading/trailing blanks are
# not significant in the syntaxes, so they are not generated.
text = (
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\x85"
        ),
        min_size=1,
        max_size=40,
    )
    .map(str.strip)
    .filter(bool)
)
identifier = st.from_regex(r"[A-Z]{1,4}-[0-9]{1,8}(/[0-9]{1,3})?", fullmatch=True)
quantity = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999"), places=2)
price = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2)
rate = st.sampled_from([Decimal("19"), Decimal("7"), Decimal("0")])


@st.composite
def lines(draw: st.DrawFn) -> tuple[InvoiceLine, ...]:
    count = draw(st.integers(min_value=1, max_value=12))
    return tuple(
        InvoiceLine(
            line_id=str(i),
            name=draw(text),
            quantity=draw(quantity),
            unit_code=draw(st.sampled_from(["C62", "H87", "HUR", "KGM", "XPK"])),
            net_price=draw(price),
            vat_rate=(r := draw(rate)),
            vat_category="S" if r else "Z",
            description=draw(st.none() | text),
            seller_item_id=draw(st.none() | identifier),
        )
        for i in range(1, count + 1)
    )


@st.composite
def invoices(draw: st.DrawFn) -> SampleInvoice:
    base = example(n_lines=1, seed=draw(st.integers(min_value=0, max_value=50)))
    issue = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
    skonto = draw(
        st.lists(
            st.builds(
                Skonto,
                st.integers(min_value=1, max_value=60),
                st.decimals(min_value=Decimal("0.5"), max_value=Decimal("9"), places=2),
                st.none() | price,
            ),
            max_size=2,
        )
    )
    return dataclasses.replace(
        base,
        number=draw(identifier),
        issue_date=issue,
        due_date=issue + timedelta(days=draw(st.integers(min_value=0, max_value=90))),
        lines=draw(lines()),
        note=draw(st.none() | text),
        order_reference=draw(st.none() | identifier),
        payment_terms=draw(text),
        skonto=tuple(skonto),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(invoices())
def test_ubl_and_cii_parse_back_to_equal_models(spec: SampleInvoice) -> None:
    from_ubl = extract(to_ubl(spec), "r.xml")
    from_cii = extract(to_cii(spec), "r.xml")
    assert to_semantic(from_ubl) == to_semantic(from_cii)
    for parsed in (from_ubl, from_cii):
        semantic = to_semantic(parsed)
        assert semantic["BT-1"] == spec.number
        assert semantic["BT-2"] == spec.issue_date.isoformat()
        assert semantic["BT-10"] == spec.buyer_reference
        lines_back = semantic["BG-25"]
        assert len(lines_back) == len(spec.lines)
        for written, line in zip(spec.lines, lines_back, strict=True):
            assert line["BT-126"] == written.line_id
            assert Decimal(line["BT-131"]) == written.net_amount
            assert line["BG-31"]["BT-153"] == written.name
        totals = semantic["BG-22"]
        assert Decimal(totals["BT-106"]) == spec.line_total
        assert Decimal(totals["BT-112"]) == spec.tax_inclusive_total
        offers = parsed.skonto_offers()
        assert [(o.term.days, o.term.percent, o.term.base_amount) for o in offers] == [
            (s.days, s.percent, s.base_amount) for s in spec.skonto
        ]
        for offer, written in zip(offers, spec.skonto, strict=True):
            assert offer.deadline == spec.issue_date + timedelta(days=written.days)
