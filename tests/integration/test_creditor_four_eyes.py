"""Four eyes on creditor data (issue 12): whoever of creditor accounting enters a portal
binding, names its creditor or records an IBAN cannot also confirm, verify or clear the
hold it answers - on SQLite and PostgreSQL, each step an event of the master data chain."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from einvoice.bootstrap import Container
from einvoice.samplegen.creditors import creditor_file, sample_creditors
from einvoice.samplegen.spec import iban
from einvoice.samplegen.ubl import to_ubl
from einvoice.services import creditors, holds, master_data, upload, workflow
from einvoice.services.accounts import Role, create_account
from einvoice.services.creditor_import import import_csv
from einvoice.services.workflow_base import Refused
from tests.integration.workflow_setup import sample, setup

FOREIGN_IBAN = iban("DE", "370400440532013000")


def _supplier(container: Container, name: str) -> int:
    return create_account(
        container.sessions, name, "ein-langes-passwort", Role.SUPPLIER, name, organisation="X"
    ).id


def _actions(container: Container, subject: str) -> list[tuple[str, str]]:
    with container.sessions() as session:
        return [(e.entry.action, e.entry.actor) for e in master_data.history(session, subject)]


def test_who_enters_a_binding_cannot_confirm_it(container: Container) -> None:
    p = setup(container).pipeline
    _supplier(container, "dienstleister")
    entered, released = creditors.bind(p, "dienstleister", "K-70002", "kb.krause", "Vertrag")
    assert entered.state == "pending" and entered.entered_by == "kb.krause"
    assert released == creditors.Released()
    with pytest.raises(creditors.CreditorError, match="Vier-Augen-Prinzip") as again:
        creditors.bind(p, "dienstleister", "K-70002", "kb.krause", "Vertrag")
    assert "kb.krause" in str(again.value) and "zweite Person" in str(again.value)
    with pytest.raises(creditors.CreditorError, match="Vier-Augen-Prinzip"):
        creditors.decide_binding(p, entered.id, "kb.krause", confirm=True, how="ok")
    assert creditors.binding(p, entered.id).state == "pending"
    confirmed, _ = creditors.bind(p, "dienstleister", "K-70002", "kb.berger", "Rückruf")
    assert (confirmed.state, confirmed.decided_by) == ("confirmed", "kb.berger")
    assert _actions(container, f"binding:{entered.id}") == [
        ("binding_entered", "kb.krause"),
        ("binding_confirmed", "kb.berger"),
    ]
    with container.sessions() as session:
        assert master_data.verify(session)[1] == []


def test_who_names_the_creditor_of_a_binding_cannot_confirm_it(container: Container) -> None:
    p = setup(container).pipeline
    account_id = _supplier(container, "neu")
    with container.sessions() as session:
        asked = creditors.request_binding(
            session, account_id, "Neue Firma", "DE666666660", "neu@neu.example", datetime.now(UTC)
        )
        session.commit()
        binding_id = asked.id
    kit = creditors.find(p, "K-70002")
    named, _ = creditors.decide_binding(
        p, binding_id, "kb.krause", confirm=True, how="laut Vertrag", creditor_id=kit.id
    )
    assert (named.state, named.creditor_number, named.entered_by) == (
        "pending",
        "K-70002",
        "kb.krause",
    )
    with pytest.raises(creditors.CreditorError, match="Vier-Augen-Prinzip"):
        creditors.decide_binding(p, binding_id, "kb.krause", confirm=True, how="ok")
    decided, _ = creditors.decide_binding(p, binding_id, "kb.berger", confirm=True, how="Rückruf")
    assert (decided.state, decided.decided_by) == ("confirmed", "kb.berger")
    assert [a for a, _ in _actions(container, f"binding:{binding_id}")] == [
        "binding_pending",
        "binding_proposed",
        "binding_confirmed",
    ]


def test_bank_accounts_entered_as_verified_need_a_second_person(container: Container) -> None:
    p = setup(container, creditors=False).pipeline
    data = sample_creditors()[0]
    for verifier in (None, "kb.krause"):
        with pytest.raises(creditors.CreditorError, match="Vier-Augen-Prinzip"):
            creditors.add_creditor(
                p, data, "kb.krause", verified_how="Rückruf", verified_by=verifier
            )
        with pytest.raises(creditors.CreditorError, match="Vier-Augen-Prinzip"):
            import_csv(
                p, creditor_file(3), "kb.krause", verified_how="Rückruf", verified_by=verifier
            )
    assert creditors.list_creditors(p).total == 0  # nothing half-imported
    added = creditors.add_creditor(
        p, data, "kb.krause", verified_how="Rückruf", verified_by="kb.berger"
    )
    assert {a.verification.by for a in added.accounts if a.verification} == {"kb.berger"}


def test_who_recorded_an_iban_cannot_clear_its_bank_hold(container: Container) -> None:
    p = setup(container).pipeline
    user = _supplier(container, "mallory")
    routed: list[int] = []
    forged = to_ubl(sample(1, iban=FOREIGN_IBAN, number="KIT-9999"))
    upload.submit(p, forged, "rechnung.xml", user, routed.append)
    (invoice_id,) = routed
    workflow.route(p, invoice_id)
    kit = creditors.find(p, "K-70002")
    creditors.add_account(p, kit.id, creditors.AccountInput(FOREIGN_IBAN), "kb.krause")
    for who in ("kb.krause", "kb.berger"):  # never by hand (issue 21): only the master data
        with pytest.raises(Refused) as refused:
            holds.clear(
                p, invoice_id, "bank-account-unverified", who, "passt", creditor_accounting=True
            )
        assert refused.value.code == "master_data"
        assert "niemand von Hand" in refused.value.reason_de
    with pytest.raises(creditors.CreditorError, match="Vier-Augen-Prinzip"):
        creditors.verify_account(p, kit.id, FOREIGN_IBAN, "kb.krause", "Rückruf")
    _, released = creditors.verify_account(p, kit.id, FOREIGN_IBAN, "kb.berger", "Rückruf")
    assert released.released == (invoice_id,)
    left = holds.holds_of(p, invoice_id)
    assert "bank-account-unverified" not in {h.code.value for h in left if h.open}
