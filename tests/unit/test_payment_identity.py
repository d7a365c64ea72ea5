"""One payment in the cash office's CSV and the bank's camt (pure, no database): the same
payment from both sources is one; real payments are never lost, and two real payments of equal
amount on the same day to the same creditor for the same order stay two."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from einvoice.domain.payment_identity import (
    BANK,
    CASH,
    SAME_PAYMENT_DAYS,
    Recorded,
    pair,
    source_of,
)
from einvoice.domain.payment_matching import PaymentEntry
from einvoice.domain.payment_order_number import order_number

DAY = date(2026, 12, 4)
IBANS = ("DE02120300000000202051", "DE89370400440532013000")


@dataclass(frozen=True)
class Real:
    """One real transfer: what the cash office and the bank both know of it."""

    n: int
    order: int
    amount: Decimal
    iban: str
    day: date  # the cash office's payment day
    shift: int  # the bank books it this many days later (or earlier)


def _entry(real: Real, source: str, *, with_iban: bool = True, e2e: bool = False) -> PaymentEntry:
    bank = source == BANK
    return PaymentEntry(
        key=f"camt:X:B{real.n}" if bank else f"csv:K{real.n}",
        line=real.n + 1,
        booked_on=real.day + timedelta(days=real.shift if bank else 0),
        amount=real.amount,
        currency="EUR",
        remittance=order_number(real.order),
        order_text=order_number(real.order),
        order_column="Verwendungszweck",
        creditor_iban=real.iban if (bank or with_iban) else None,
        end_to_end=f"E2E-{real.n}" if e2e else None,
    )


class Store:
    """The payments table as the import fills it: pairs are recorded once, one to one."""

    def __init__(self) -> None:
        self.primary: dict[int, tuple[PaymentEntry, Recorded]] = {}
        self.twins: dict[str, int] = {}
        self.next_id = 1

    def read(self, entries: list[PaymentEntry]) -> None:
        known = set(self.twins) | {e.key for e, _ in self.primary.values()}
        fresh = [e for e in entries if e.key not in known]
        free = [r for _, r in self.primary.values() if r.payment_id not in self.twins.values()]
        found = pair(fresh, free)
        self.twins.update(found)
        for e in fresh:
            if e.key in found:
                continue
            record = Recorded(
                self.next_id,
                source_of(e.key),
                e.booked_on,
                e.amount,
                e.currency,
                e.orders,
                e.creditor_iban,
                e.end_to_end,
            )
            self.primary[self.next_id] = (e, record)
            self.next_id += 1


real_payment = st.builds(
    Real,
    n=st.just(0),
    order=st.integers(1, 2),
    amount=st.sampled_from([Decimal("100.00"), Decimal("250.50")]),
    iban=st.sampled_from(IBANS),
    day=st.integers(0, 6).map(lambda d: DAY + timedelta(days=d)),
    shift=st.integers(-1, 3),
)


def _numbered(reals: list[Real]) -> list[Real]:
    return [Real(i, r.order, r.amount, r.iban, r.day, r.shift) for i, r in enumerate(reals)]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(real_payment, min_size=1, max_size=8).map(_numbered),
    st.booleans(),  # the cash office's file first
    st.booleans(),  # its CSV has the IBAN column
    st.booleans(),  # both carry the end-to-end reference
)
def test_whole_files_count_every_real_payment_once(
    reals: list[Real], cash_first: bool, with_iban: bool, e2e: bool
) -> None:
    files = [
        [_entry(r, CASH, with_iban=with_iban, e2e=e2e) for r in reals],
        [_entry(r, BANK, e2e=e2e) for r in reals],
    ]
    if not cash_first:
        files.reverse()
    store = Store()
    for entries in files:
        store.read(entries)
        store.read(entries)  # the same file twice is once
    assert len(store.primary) == len(reals)  # never one lost, never one twice
    assert len(store.twins) == len(reals)
    paid = sum((e.amount for e, _ in store.primary.values()), Decimal(0))
    assert paid == sum((r.amount for r in reals), Decimal(0))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(real_payment, min_size=1, max_size=8).map(_numbered),
    st.randoms(use_true_random=False),
    st.integers(1, 4),
)
def test_files_in_any_pieces_and_order_never_lose_a_real_payment(
    reals: list[Real], rnd: object, pieces: int
) -> None:
    """Day files of either source in any order: every real payment stays (at worst a pair
    is not recognised and a person sees the second one), and a payment of the other source
    is never taken for two."""
    import random

    assert isinstance(rnd, random.Random)
    entries = [_entry(r, CASH) for r in reals] + [_entry(r, BANK) for r in reals]
    rnd.shuffle(entries)
    cuts = sorted(rnd.sample(range(1, len(entries)), min(pieces, len(entries)) - 1))
    store = Store()
    start = 0
    for cut in [*cuts, len(entries)]:
        piece = entries[start:cut]
        for source in (CASH, BANK):  # a file holds one source
            store.read([e for e in piece if source_of(e.key) == source])
        start = cut
    assert len(store.primary) >= len(reals)
    assert len(set(store.twins.values())) == len(store.twins)  # one to one
    assert len(store.primary) + len(store.twins) == 2 * len(reals)


def test_two_equal_payments_on_one_day_stay_two_and_a_third_is_its_own() -> None:
    same = [Real(i, 1, Decimal("100.00"), IBANS[0], DAY, 0) for i in range(3)]
    store = Store()
    store.read([_entry(r, CASH) for r in same[:2]])
    store.read([_entry(r, BANK) for r in same])  # the bank also made a third one
    assert len(store.primary) == 3 and len(store.twins) == 2


def test_what_differs_is_never_the_same_payment() -> None:
    base = Real(0, 1, Decimal("100.00"), IBANS[0], DAY, 0)
    cash = _entry(base, CASH, e2e=True)
    recorded = Recorded(1, CASH, cash.booked_on, cash.amount, "EUR", (1,), IBANS[0], "E2E-0")
    others = [
        Real(1, 2, base.amount, base.iban, base.day, 0),  # another order
        Real(1, 1, Decimal("100.01"), base.iban, base.day, 0),  # another amount
        Real(1, 1, base.amount, IBANS[1], base.day, 0),  # another creditor account
        Real(1, 1, base.amount, base.iban, base.day, SAME_PAYMENT_DAYS + 1),  # too far apart
    ]
    for other in others:
        assert pair([_entry(other, BANK)], [recorded]) == {}, other
    assert pair([_entry(Real(1, 1, base.amount, base.iban, base.day, 0), BANK, e2e=True)],
                [recorded]) == {}  # another end-to-end reference  # fmt: skip
    assert pair([_entry(base, CASH)], [recorded]) == {}  # the same source: by reference only
    no_order = PaymentEntry("camt:X:1", 1, DAY, base.amount, "EUR", "Miete", "Miete", "", IBANS[0])
    assert pair([no_order], [Recorded(2, CASH, DAY, base.amount, "EUR", (), IBANS[0])]) == {}
    assert pair([_entry(base, BANK, e2e=True)], [recorded]) == {"camt:X:B0": 1}
