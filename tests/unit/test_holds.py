"""Payment holds: German texts, assessment, duplicates, four eyes, and the guard in the
approval state machine (property tests: nothing with an open hold is ordered or exported;
nobody clears a hold on an invoice they signed)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from einvoice.domain.approval import (
    HELD_ACTIONS,
    SYSTEM,
    Action,
    ActionKind,
    Actor,
    ApprovalState,
    Refusal,
    RefusalCode,
    Status,
    Transition,
    allowed_actions,
    apply,
)
from einvoice.domain.holds import (
    HOLD_REMEDIES_DE,
    HOLD_TITLES_DE,
    EarlierInvoice,
    Hold,
    HoldCode,
    SupplierFacts,
    ThisInvoice,
    assess,
    blocked_reason_de,
    duplicate_of,
    may_clear,
)
from tests.unit.test_approval import POLICY, T0, confirmed, ok, routed

IBAN = "DE02120300000000202051"
OTHER_IBAN = "DE89370400440532013000"


def facts(**changes: object) -> SupplierFacts:
    base = SupplierFacts(
        creditor_id=7,
        creditor_label="K-10007 Muster GmbH",
        proposal_label=None,
        seller_name="Muster GmbH",
        ibans=(IBAN,),
        verified_ibans=frozenset({IBAN}),
        portal_account=None,
        bound_creditors=frozenset(),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_every_hold_has_german_texts() -> None:
    for code in HoldCode:
        assert HOLD_TITLES_DE[code] and HOLD_REMEDIES_DE[code]
    assert HOLD_TITLES_DE[HoldCode.BANK_ACCOUNT_UNVERIFIED] == "Bankverbindung ungeprüft"
    assert "gesperrt" in blocked_reason_de(["uploader-not-seller", "bank-account-unverified"])
    assert "Einreicher nicht Verkäufer" in blocked_reason_de(["uploader-not-seller"])


def test_known_supplier_with_verified_account_is_not_held() -> None:
    assert assess(facts()) == ()


def test_changed_bank_details_are_held() -> None:
    (placed,) = assess(facts(ibans=(OTHER_IBAN,)))
    assert placed.code is HoldCode.BANK_ACCOUNT_UNVERIFIED
    assert "DE89 3704 0044 0532 0130 00" in placed.message_de
    assert "K-10007 Muster GmbH" in placed.message_de


def test_unknown_supplier_names_the_proposal() -> None:
    (placed,) = assess(facts(creditor_id=None, creditor_label=None, proposal_label="K-1 Muster"))
    assert placed.code is HoldCode.UNKNOWN_SUPPLIER
    assert "Vorschlag" in placed.message_de and "K-1 Muster" in placed.message_de


def test_the_attack_upload_for_another_company_with_another_iban() -> None:
    placed = assess(
        facts(ibans=(OTHER_IBAN,), portal_account="mallory", bound_creditors=frozenset())
    )
    assert {p.code for p in placed} == {
        HoldCode.BANK_ACCOUNT_UNVERIFIED,
        HoldCode.UPLOADER_NOT_SELLER,
    }
    uploader = next(p for p in placed if p.code is HoldCode.UPLOADER_NOT_SELLER)
    assert "mallory" in uploader.message_de
    # Tried on the demo: "..., das nicht (bestätigt) für den Verkäufer ... einreichen darf."
    assert "nicht (bestätigt)" not in uploader.message_de
    assert uploader.message_de == (
        "Eingereicht vom Portalkonto „mallory“; dieses Konto ist (noch) nicht bestätigt, "
        "für den Verkäufer K-10007 Muster GmbH einzureichen."
    )


def test_bound_portal_account_is_not_held() -> None:
    assert assess(facts(portal_account="muster", bound_creditors=frozenset({7}))) == ()


def _this(**changes: object) -> ThisInvoice:
    base = ThisInvoice(7, "DE123", "R-1", Decimal("100.00"), date(2025, 3, 20), "a" * 64)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _earlier(**changes: object) -> EarlierInvoice:
    base = EarlierInvoice(1, 7, "DE123", "R-0", Decimal("100.00"), date(2025, 3, 10), "b" * 64)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_possible_duplicates() -> None:
    same_amount = duplicate_of(_this(), [_earlier()], 14)
    assert same_amount is not None and "innerhalb von 14 Tagen" in same_amount.message_de
    assert duplicate_of(_this(), [_earlier(received_on=date(2025, 1, 1))], 14) is None
    number = duplicate_of(_this(), [_earlier(number="R-1", amount=Decimal("90"))], 14)
    assert number is not None and "Rechnungsnummer R-1" in number.message_de
    same_bytes = duplicate_of(
        _this(), [_earlier(creditor_id=9, seller_key="x", sha256="a" * 64)], 1
    )
    assert same_bytes is not None and "dieselbe Datei" in same_bytes.message_de
    assert duplicate_of(_this(), [_earlier(creditor_id=9, seller_key="other")], 14) is None


def test_possible_duplicate_names_the_earlier_invoice_by_its_number() -> None:
    # Tried in the web app: "derselbe Lieferant und Betrag wie Rechnung 1" - the clerk read
    # "1" as an invoice number; it was the internal id. The message names the number (BT-1).
    same_amount = duplicate_of(_this(), [_earlier(number="BH-2025-01001")], 14)
    assert same_amount is not None
    assert "wie Rechnung BH-2025-01001 (interne Nr. 1)" in same_amount.message_de
    same_bytes = duplicate_of(_this(), [_earlier(number="BH-7", sha256="a" * 64)], 14)
    assert same_bytes is not None and "Rechnung BH-7 (interne Nr. 1)" in same_bytes.message_de


def _hold(code: HoldCode = HoldCode.BANK_ACCOUNT_UNVERIFIED) -> Hold:
    return Hold(code, "…", T0)


def test_clearing_needs_another_person_the_right_role_and_a_reason() -> None:
    # the master data holds answer only to the master data (issue 21): checked with by_hand=False
    hold = _hold()
    kw = {"department_clerk": False, "by_hand": False}
    four_eyes = may_clear(hold, "clerk1", ("clerk1", None), "ok", creditor_accounting=True, **kw)
    assert four_eyes is not None and four_eyes.code == "four_eyes"
    role = may_clear(
        hold, "x", (), "ok", creditor_accounting=False, department_clerk=True, by_hand=False
    )
    assert role is not None and role.code == "role" and "Kreditorenbuchhaltung" in role.reason_de
    assert may_clear(hold, "x", (), " ", creditor_accounting=True, **kw)
    assert may_clear(hold, "kb", ("clerk1",), "Rückruf", creditor_accounting=True, **kw) is None
    duplicate = _hold(HoldCode.POSSIBLE_DUPLICATE)
    assert (
        may_clear(duplicate, "c2", (), "geprüft", creditor_accounting=False, department_clerk=True)
        is None
    )
    done = dataclasses.replace(hold, cleared_by="kb", cleared_at=T0)
    again = may_clear(done, "kb2", (), "x", creditor_accounting=True, department_clerk=False)
    assert again is not None and again.code == "cleared" and "bereits" in again.reason_de


def test_master_data_holds_are_never_cleared_by_hand() -> None:
    for code in (
        HoldCode.BANK_ACCOUNT_UNVERIFIED,
        HoldCode.UPLOADER_NOT_SELLER,
        HoldCode.UNKNOWN_SUPPLIER,
    ):
        refusal = may_clear(
            _hold(code), "kb", (), "Rückruf", creditor_accounting=True, department_clerk=True
        )
        assert refusal is not None and refusal.code == "master_data"
        assert "niemand von Hand" in refusal.reason_de and "zweite" in refusal.reason_de


def test_order_and_export_are_refused_while_held() -> None:
    state = dataclasses.replace(
        confirmed(by="clerk1"), holds=frozenset({"bank-account-unverified"})
    )
    refusal = apply(state, Action(ActionKind.ORDER), Actor("small"), T0, POLICY)
    assert isinstance(refusal, Refusal) and refusal.code is RefusalCode.HOLD
    assert "Bankverbindung ungeprüft" in refusal.reason_de
    assert ActionKind.ORDER not in allowed_actions(state, Actor("small"), T0, POLICY)
    ordered = ok(
        apply(
            dataclasses.replace(state, holds=frozenset()),
            Action(ActionKind.ORDER),
            Actor("small"),
            T0,
            POLICY,
        )
    ).state
    held = dataclasses.replace(ordered, holds=frozenset({"possible-duplicate"}))
    export = apply(held, Action(ActionKind.EXPORT), SYSTEM, T0, POLICY)
    assert isinstance(export, Refusal) and export.code is RefusalCode.HOLD
    # the earlier steps are not blocked: the clerks can work while the account is checked
    sachlich = apply(
        dataclasses.replace(routed(), holds=frozenset({"unknown-supplier"})),
        Action(ActionKind.CONFIRM_SACHLICH),
        Actor("clerk1"),
        T0,
        POLICY,
    )
    assert isinstance(sachlich, Transition)


# --- properties --------------------------------------------------------------------------------

PEOPLE = ("clerk1", "clerk2", "small", "big", "admin", "kb1")
CODES = tuple(HoldCode)
PERSON_KINDS = (
    ActionKind.CONFIRM_SACHLICH,
    ActionKind.CONFIRM_RECHNERISCH,
    ActionKind.ORDER,
    ActionKind.REJECT,
    ActionKind.RETURN_TO_SUPPLIER,
)
step = st.one_of(
    st.tuples(st.just("act"), st.sampled_from(PERSON_KINDS), st.sampled_from(PEOPLE)),
    st.tuples(st.just("export"), st.just(ActionKind.EXPORT), st.just("system")),
    st.tuples(st.just("clear"), st.sampled_from(CODES), st.sampled_from(PEOPLE)),
    st.tuples(st.just("hold"), st.sampled_from(CODES), st.just("system")),
)


@settings(max_examples=400, deadline=None)
@given(
    initial=st.sets(st.sampled_from(CODES)),
    steps=st.lists(step, max_size=14),
)
def test_property_no_order_or_export_with_an_open_hold_and_no_signer_clears(
    initial: set[HoldCode], steps: list[tuple[str, object, str]]
) -> None:
    state: ApprovalState = dataclasses.replace(routed(), holds=frozenset(c.value for c in initial))
    holds = {c: Hold(c, "…", T0) for c in initial}
    at = T0
    for what, arg, who in steps:
        at += timedelta(minutes=5)
        if what == "hold":
            assert isinstance(arg, HoldCode)
            holds[arg] = Hold(arg, "…", at)
            state = dataclasses.replace(state, holds=state.holds | {arg.value})
        elif what == "clear":
            assert isinstance(arg, HoldCode)
            if arg not in holds:
                continue
            signers = (state.sachlich_by, state.rechnerisch_by, state.ordered_by)
            refusal = may_clear(
                holds[arg],
                who,
                signers,
                "geprüft",
                creditor_accounting=who == "kb1",
                department_clerk=who in ("clerk1", "clerk2", "big", "small", "admin"),
            )
            if refusal is None:
                assert who not in signers  # nobody clears a hold on an invoice they signed
                holds[arg] = dataclasses.replace(holds[arg], cleared_by=who, cleared_at=at)
                state = dataclasses.replace(state, holds=state.holds - {arg.value})
            else:
                assert refusal.reason_de
        else:
            assert isinstance(arg, ActionKind)
            actor = SYSTEM if who == "system" else Actor(who)
            outcome = apply(state, Action(arg, comment="Grund"), actor, at, POLICY)
            if isinstance(outcome, Transition):
                if arg in HELD_ACTIONS:
                    assert not state.holds, (arg, state.holds)
                    assert all(not h.open for h in holds.values())
                state = outcome.state
            elif (
                state.holds
                and arg in HELD_ACTIONS
                and state.status in (Status.RECHNERISCH_RICHTIG, Status.ANGEORDNET)
            ):
                assert outcome.code in (RefusalCode.HOLD, RefusalCode.STATE, RefusalCode.ROLE)
    if state.status in (Status.ANGEORDNET, Status.EXPORTED):
        assert state.ordered_by is not None


def test_who_decided_a_hold_does_not_order_the_payment() -> None:
    state = dataclasses.replace(confirmed(by="clerk1"), hold_deciders=frozenset({"small"}))
    refusal = apply(state, Action(ActionKind.ORDER), Actor("small"), T0, POLICY)
    assert isinstance(refusal, Refusal) and refusal.code is RefusalCode.FOUR_EYES
    assert "Zahlungssperre" in refusal.reason_de and "andere Person" in refusal.reason_de
    assert ActionKind.ORDER not in allowed_actions(state, Actor("small"), T0, POLICY)
