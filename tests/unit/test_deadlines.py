"""Deadlines: due date sources, weekends (and optional holidays), Skonto, credit notes, status."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest

from einvoice.domain.deadlines import (
    DeadlineStatus,
    DueDateSource,
    compute_deadlines,
    deadline_status,
    deadlines_for_invoice,
    easter_sunday,
    nationwide_holiday,
    next_business_day,
    payment_days_in_terms,
)
from einvoice.domain.findings import Syntax
from einvoice.domain.invoice import Buyer, DocumentTotals, Invoice, Seller
from einvoice.domain.skonto import SkontoTerm, skonto_terms

FRI = date(2025, 3, 14)
SAT = date(2025, 3, 15)
SUN = date(2025, 3, 16)
MON = date(2025, 3, 17)
D = Decimal


def test_weekday_names_used_here_are_right() -> None:
    assert [d.strftime("%a") for d in (FRI, SAT, SUN, MON)] == ["Fri", "Sat", "Sun", "Mon"]


# --- due date ---------------------------------------------------------------------------------


def test_bt9_is_used_when_given() -> None:
    result = compute_deadlines(
        issue_date=FRI, received_on=MON, amount_due=D("100.00"), due_date=date(2025, 4, 9)
    )
    assert result.source is DueDateSource.DUE_DATE
    assert result.due_date == result.nominal_due_date == date(2025, 4, 9)


@pytest.mark.parametrize("due", [date(2025, 4, 12), date(2025, 4, 13)])  # Saturday, Sunday
def test_bt9_on_a_weekend_moves_to_monday(due: date) -> None:
    result = compute_deadlines(
        issue_date=FRI, received_on=FRI, amount_due=D("560.25"), due_date=due
    )
    assert result.nominal_due_date == due
    assert result.due_date == date(2025, 4, 14)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zahlbar innerhalb von 30 Tagen netto.", date(2025, 4, 14)),  # Sun 13 Apr -> Mon 14
        ("14 Tage netto", date(2025, 3, 28)),
        ("net 45", date(2025, 4, 28)),
        ("Zahlbar innerhalb 10 Tagen mit 2 % Skonto, 20 Tage ohne Abzug.", date(2025, 4, 3)),
    ],
)
def test_days_stated_in_payment_terms_count_from_the_issue_date(text: str, expected: date) -> None:
    result = compute_deadlines(
        issue_date=FRI, received_on=MON, amount_due=D("1.00"), payment_terms=text
    )
    assert result.source is DueDateSource.PAYMENT_TERMS
    assert result.due_date == expected


def test_days_after_receipt_count_from_the_receipt() -> None:
    result = compute_deadlines(
        issue_date=FRI,
        received_on=MON,
        amount_due=D("1.00"),
        payment_terms="Zahlbar 21 Tage nach Rechnungseingang.",
    )
    assert result.due_date == date(2025, 4, 7)


def test_legal_default_is_30_days_after_receipt() -> None:
    result = compute_deadlines(
        issue_date=FRI,
        received_on=MON,
        amount_due=D("1.00"),
        payment_terms="Zahlbar ohne Abzug.\n#SKONTO#TAGE=14#PROZENT=2.00#\n",
    )
    assert result.source is DueDateSource.LEGAL_DEFAULT
    assert result.nominal_due_date == date(2025, 4, 16)
    assert result.due_date == date(2025, 4, 16)


def test_legal_default_on_a_saturday_moves_to_monday() -> None:
    received = date(2025, 3, 6)  # + 30 days = Saturday 5 April
    result = compute_deadlines(issue_date=FRI, received_on=received, amount_due=D("1.00"))
    assert result.nominal_due_date == date(2025, 4, 5)
    assert result.due_date == date(2025, 4, 7)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        (None, None),
        ("", None),
        ("Zahlbar sofort ohne Abzug.", None),
        ("Zahlbar bis zum 13.04.2025.", None),
        ("#SKONTO#TAGE=14#PROZENT=2.00#\n", None),  # Skonto entries are no payment period
        ("2 % Skonto innerhalb von 10 Tagen.", None),
        ("Zahlungsziel: 45 Kalendertage", (45, False)),
        ("Please pay within 30 days of receipt", (30, True)),
    ],
)
def test_payment_days_in_terms(text: str | None, days: tuple[int, bool] | None) -> None:
    assert payment_days_in_terms(text) == days


# --- Skonto -----------------------------------------------------------------------------------


def test_skonto_on_the_amount_due_rounds_half_up() -> None:
    # the shipped sample: 560.25 EUR, 2 % in 14 days from 14 March 2025 (a Friday)
    result = compute_deadlines(
        issue_date=FRI,
        received_on=FRI,
        amount_due=D("560.25"),
        due_date=date(2025, 4, 13),
        skonto_terms=skonto_terms("#SKONTO#TAGE=14#PROZENT=2.00#\n"),
    )
    (offer,) = result.skonto
    assert offer.deadline == offer.nominal_date == date(2025, 3, 28)
    assert offer.base_amount == D("560.25")
    assert offer.discount == D("11.21")  # 11.205 half up
    assert offer.amount_to_pay == D("549.04")


def test_skonto_base_amount_wins_over_amount_due() -> None:
    term = SkontoTerm(10, D("2.00"), base_amount=D("100.25"))
    result = compute_deadlines(
        issue_date=FRI, received_on=FRI, amount_due=D("119.30"), skonto_terms=[term]
    )
    (offer,) = result.skonto
    assert offer.base_amount == D("100.25")
    assert offer.discount == D("2.01")  # 2.005 half up
    assert offer.amount_to_pay == D("117.29")


def test_skonto_deadline_on_a_weekend_moves_to_monday() -> None:
    issue = date(2025, 3, 1)  # Saturday; + 14 = Saturday 15 March, + 15 = Sunday 16 March
    terms = [SkontoTerm(14, D("3.00")), SkontoTerm(15, D("2.00")), SkontoTerm(13, D("1.00"))]
    result = compute_deadlines(
        issue_date=issue, received_on=issue, amount_due=D("1000.00"), skonto_terms=terms
    )
    assert [o.nominal_date for o in result.skonto] == [SAT, SUN, FRI]
    assert [o.deadline for o in result.skonto] == [MON, MON, FRI]
    assert [o.discount for o in result.skonto] == [D("30.00"), D("20.00"), D("10.00")]


def test_skonto_without_any_amount_has_no_discount() -> None:
    result = compute_deadlines(
        issue_date=FRI, received_on=FRI, amount_due=None, skonto_terms=[SkontoTerm(7, D("2"))]
    )
    (offer,) = result.skonto
    assert offer.discount is None and offer.amount_to_pay is None
    assert offer.deadline == date(2025, 3, 21)


# --- credit notes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_code", "amount", "credit_note"),
    [
        ("381", D("119.00"), False),  # credit note by type code
        ("380", D("-119.00"), False),  # negative amount due
        ("384", D("-5.00"), False),  # corrected invoice that pays back
        ("380", D("0.00"), False),  # nothing left to pay
        ("380", D("119.00"), True),  # e.g. a UBL CreditNote document
    ],
)
def test_credit_notes_have_no_payment_deadline_and_no_skonto(
    type_code: str, amount: Decimal, credit_note: bool
) -> None:
    result = compute_deadlines(
        issue_date=FRI,
        received_on=FRI,
        amount_due=amount,
        due_date=date(2025, 4, 13),
        skonto_terms=[SkontoTerm(14, D("2.00"))],
        type_code=type_code,
        credit_note=credit_note,
    )
    assert result.nothing_to_pay
    assert result.due_date is None and result.skonto == ()
    assert result.status(date(2030, 1, 1)) is DeadlineStatus.NONE


# --- holidays (optional) ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2038, date(2038, 4, 25)),
    ],
)
def test_easter_sunday(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_nationwide_holidays_2025() -> None:
    year = [date(2025, 1, 1) + timedelta(days=n) for n in range(365)]
    days = [d for d in year if nationwide_holiday(d)]
    assert days == [
        date(2025, 1, 1),
        date(2025, 4, 18),
        date(2025, 4, 21),
        date(2025, 5, 1),
        date(2025, 5, 29),
        date(2025, 6, 9),
        date(2025, 10, 3),
        date(2025, 12, 25),
        date(2025, 12, 26),
    ]


def test_holidays_are_only_skipped_when_asked() -> None:
    good_friday = date(2025, 4, 18)
    assert next_business_day(good_friday) == good_friday
    assert next_business_day(good_friday, nationwide_holiday) == date(2025, 4, 22)
    result = compute_deadlines(
        issue_date=FRI,
        received_on=FRI,
        amount_due=D("1.00"),
        due_date=date(2025, 12, 25),
        is_holiday=nationwide_holiday,
    )
    assert result.due_date == date(2025, 12, 29)  # 25, 26 holidays, 27/28 weekend


# --- status -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2025, 4, 8), DeadlineStatus.OK),  # 6 days left
        (date(2025, 4, 9), DeadlineStatus.SOON),  # 5 days left
        (date(2025, 4, 14), DeadlineStatus.SOON),  # the last day
        (date(2025, 4, 15), DeadlineStatus.OVERDUE),
    ],
)
def test_deadline_status(today: date, status: DeadlineStatus) -> None:
    assert deadline_status(date(2025, 4, 14), today, soon_days=5) is status


def test_deadline_status_without_deadline() -> None:
    assert deadline_status(None, FRI) is DeadlineStatus.NONE


def test_next_deadline_is_the_open_skonto_then_the_due_date() -> None:
    result = compute_deadlines(
        issue_date=FRI,
        received_on=FRI,
        amount_due=D("560.25"),
        due_date=date(2025, 4, 13),
        skonto_terms=[SkontoTerm(14, D("2.00")), SkontoTerm(7, D("3.00"))],
    )
    assert result.next_deadline(date(2025, 3, 17)) == date(2025, 3, 21)
    assert [o.term.days for o in result.open_skonto(date(2025, 3, 22))] == [14]
    assert result.next_deadline(date(2025, 3, 22)) == date(2025, 3, 28)
    assert result.status(date(2025, 3, 24), soon_days=5) is DeadlineStatus.SOON
    # Skonto lost: the due date counts, Monday 14 April
    assert result.next_deadline(date(2025, 3, 29)) == date(2025, 4, 14)
    assert result.status(date(2025, 3, 29), soon_days=5) is DeadlineStatus.OK
    assert result.status(date(2025, 4, 15)) is DeadlineStatus.OVERDUE


# --- adapter ----------------------------------------------------------------------------------


def invoice(**changes: object) -> Invoice:
    base = Invoice(
        number="BE-2025-04100",
        issue_date=FRI,
        type_code="380",
        currency_code="EUR",
        syntax=Syntax.UBL_INVOICE,
        seller=Seller(name="Bürobedarf Hansen GmbH"),
        buyer=Buyer(name="Stadt Musterstadt"),
        due_date=date(2025, 4, 13),
        payment_terms="Zahlbar ohne Abzug bis zum 13.04.2025.\n#SKONTO#TAGE=14#PROZENT=2.00#\n",
        skonto_terms=(SkontoTerm(14, D("2.00")),),
        totals=DocumentTotals(amount_due=D("560.25")),
    )
    return dataclasses.replace(base, **changes)


def test_deadlines_for_invoice() -> None:
    result = deadlines_for_invoice(invoice(), received_on=MON)
    assert result.source is DueDateSource.DUE_DATE
    assert result.due_date == date(2025, 4, 14)
    assert result.skonto[0].discount == D("11.21")


def test_deadlines_for_a_ubl_credit_note() -> None:
    result = deadlines_for_invoice(invoice(syntax=Syntax.UBL_CREDIT_NOTE), received_on=MON)
    assert result.nothing_to_pay and result.skonto == ()


def test_deadlines_for_invoice_without_due_date() -> None:
    result = deadlines_for_invoice(invoice(due_date=None), received_on=MON)
    assert result.source is DueDateSource.LEGAL_DEFAULT
    assert result.due_date == date(2025, 4, 16)


def test_thuringia_holidays_move_deadlines() -> None:
    """Issue 14: Weltkindertag and Reformationstag are holidays in Thüringen, not nationwide."""
    from einvoice.domain.holidays_de import land_holidays, shift_reason_de

    thuringia = land_holidays("TH")
    assert thuringia(date(2025, 9, 20)) and not nationwide_holiday(date(2025, 9, 20))
    assert thuringia(date(2025, 10, 31)) and not nationwide_holiday(date(2025, 10, 31))
    assert not land_holidays("BE")(date(2025, 10, 31))
    # Friday 31 October 2025 (Reformationstag) -> Monday 3 November
    assert next_business_day(date(2025, 10, 31), thuringia) == date(2025, 11, 3)
    reason = shift_reason_de(date(2025, 10, 31), date(2025, 11, 3), "TH")
    assert reason is not None and "Reformationstag" in reason and "§ 193 BGB" in reason
    assert shift_reason_de(date(2025, 11, 3), date(2025, 11, 3)) is None


def test_unknown_land_is_refused() -> None:
    from einvoice.domain.holidays_de import UnknownLand, land_holidays

    with pytest.raises(UnknownLand):
        land_holidays("XX")
