"""Money needs two people, always (issue 21, finding 1), on SQLite and PostgreSQL.

The attack as it was tried: a self-registered portal account uploads an invoice in
the name of creditor K-70001 with an IBAN not on file. Then ONE person of creditor
accounting tries every way to release it (clear the holds by hand, record and verify
the IBAN, confirm the self-registered binding), a clerk who cleared the duplicate hold
tries to order it himself, and the export runs: no line with the attacker's IBAN.
Before issue 21 one person cleared both holds and the export wrote the line.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

import einvoice.cli.workflow  # noqa: F401  (registers the commands)
from einvoice import bootstrap
from einvoice.bootstrap import Container
from einvoice.cli.app import app as cli
from einvoice.samplegen.spec import iban
from einvoice.samplegen.ubl import to_ubl
from einvoice.services import creditors, holds, upload, workflow
from einvoice.services.accounts import Role, create_account
from einvoice.services.workflow_base import Refused
from einvoice.storage.creditor_tables import CreditorAccountRow, HoldRow
from einvoice.storage.tables import Workflow
from tests.integration.workflow_setup import receive, sample, setup

ATTACKER_IBAN = iban("DE", "120300000000202051")


def _codes(pipeline: object, invoice_id: int) -> set[str]:
    return {h.code.value for h in holds.holds_of(pipeline, invoice_id) if h.open}  # type: ignore[arg-type]


def _self_registered(pipeline: object, container: Container, name: str) -> tuple[int, int]:
    """A supplier account registered by itself with Hansen's VAT id and an address of
    Hansen's recorded e-mail domain (before issue 21 this bound it at once): (account, binding)."""
    user = create_account(
        container.sessions,
        name,
        "ein-langes-passwort",
        Role.SUPPLIER,
        name,
        organisation="Bürobedarf Hansen GmbH",
        email=f"{name}@buero-hansen.example.com",
    )
    with container.sessions() as session:
        row = creditors.request_binding(
            session,
            user.id,
            "Bürobedarf Hansen GmbH",
            "DE812345673",
            f"{name}@buero-hansen.example.com",
            datetime(2025, 3, 20, 9, tzinfo=UTC),
        )
        session.commit()
        return user.id, row.id


def _upload(pipeline: object, data: bytes, account_id: int) -> int:
    routed: list[int] = []
    upload.submit(pipeline, data, "rechnung.xml", account_id, routed.append)  # type: ignore[arg-type]
    (invoice_id,) = routed
    workflow.route(pipeline, invoice_id)  # type: ignore[arg-type]
    return invoice_id


def test_one_insider_cannot_send_money_to_a_changed_iban(container: Container) -> None:
    p = setup(container).pipeline
    genuine = receive(p, sample(0))  # Hansen's real invoice, same amount
    workflow.route(p, genuine)
    account_id, binding_id = _self_registered(p, container, "mallory")
    assert creditors.binding(p, binding_id).state == "pending"  # the e-mail domain binds no one
    forged = to_ubl(sample(0, iban=ATTACKER_IBAN, number="BH-2025-66666"))
    invoice_id = _upload(p, forged, account_id)
    assert _codes(p, invoice_id) == {
        "bank-account-unverified",
        "uploader-not-seller",
        "possible-duplicate",
    }

    # one person of creditor accounting tries everything
    for code in ("bank-account-unverified", "uploader-not-seller"):
        with pytest.raises(Refused) as by_hand:
            holds.clear(p, invoice_id, code, "kb.krause", "Rückruf", creditor_accounting=True)
        assert by_hand.value.code == "master_data"
        assert "niemand von Hand" in by_hand.value.reason_de
        assert "zweite Person der Kreditorenbuchhaltung" in by_hand.value.reason_de or (
            "eine zweite sie bestätigt" in by_hand.value.reason_de
        )
    hansen = creditors.find(p, "K-70001")
    creditors.add_account(p, hansen.id, creditors.AccountInput(ATTACKER_IBAN), "kb.krause")
    with pytest.raises(creditors.CreditorError, match="Vier-Augen-Prinzip"):
        creditors.verify_account(p, hansen.id, ATTACKER_IBAN, "kb.krause", "Rückruf")
    entered, released = creditors.decide_binding(
        p, binding_id, "kb.krause", confirm=True, how="Firma hat angerufen"
    )
    assert (entered.state, entered.entered_by) == ("pending", "kb.krause")
    assert released == creditors.Released()
    with pytest.raises(creditors.CreditorError, match="Vier-Augen-Prinzip"):
        creditors.decide_binding(p, binding_id, "kb.krause", confirm=True, how="nochmal")
    with pytest.raises(creditors.CreditorError, match="Vier-Augen-Prinzip"):
        creditors.bind(p, "mallory", "K-70001", "kb.krause", "nochmal")

    # the clerk clears the duplicate hold and then may not order it himself
    workflow.act(p, invoice_id, "confirm_sachlich", "a10.becker")
    workflow.act(p, invoice_id, "confirm_rechnerisch", "a10.neumann")
    holds.clear(
        p,
        invoice_id,
        "possible-duplicate",
        "a10.schmitt",
        "andere Lieferung",
        creditor_accounting=False,
    )
    with pytest.raises(Refused) as order:
        workflow.act(p, invoice_id, "order", "a10.schmitt")
    assert order.value.code in ("hold", "four_eyes")
    assert "order" not in workflow.allowed_actions_for(p, invoice_id, "a10.schmitt")
    assert _codes(p, invoice_id) == {"bank-account-unverified", "uploader-not-seller"}

    exported = workflow.export(p, "csv")
    assert ATTACKER_IBAN not in exported.content.decode()
    assert invoice_id not in [r.invoice_id for r in exported.records]
    assert workflow.verify_audit(p).ok


def test_a_hold_decider_does_not_order_and_an_orderer_does_not_clear(
    container: Container,
) -> None:
    p = setup(container).pipeline
    first = receive(p, sample(0))
    again = receive(p, sample(0, number="BH-2025-99999"))
    workflow.route(p, first)
    workflow.route(p, again)
    assert _codes(p, again) == {"possible-duplicate"}
    workflow.act(p, again, "confirm_sachlich", "a10.becker")
    workflow.act(p, again, "confirm_rechnerisch", "a10.neumann")
    holds.clear(
        p, again, "possible-duplicate", "a10.schmitt", "zwei Lieferungen", creditor_accounting=False
    )
    with pytest.raises(Refused) as refused:
        workflow.act(p, again, "order", "a10.schmitt")
    assert refused.value.code == "four_eyes"
    why = refused.value.reason_de
    assert "Zahlungssperre" in why and "andere Person" in why
    assert "order" not in workflow.allowed_actions_for(p, again, "a10.schmitt")
    workflow.act(p, again, "order", "dez1.hartmann")  # another approver orders it

    # the reverse: whoever ordered may not clear a hold placed afterwards
    with p.sessions() as session:
        row = session.get(Workflow, again)
        assert row is not None
        holds.hold_again(
            session,
            row,
            holds.rules.Placement(holds.HoldCode.POSSIBLE_DUPLICATE, "nachträglich"),
            datetime(2025, 3, 21, 9, tzinfo=UTC),
        )
        session.commit()
    with pytest.raises(Refused) as orderer:
        holds.clear(
            p, again, "possible-duplicate", "dez1.hartmann", "ok", creditor_accounting=False
        )
    assert orderer.value.code == "four_eyes"


def test_the_export_checks_the_payee_when_it_writes_the_line(container: Container) -> None:
    p = setup(container).pipeline
    held = receive(p, sample(4, iban=ATTACKER_IBAN))  # Hansen with an unknown IBAN
    workflow.route(p, held)
    assert _codes(p, held) == {"bank-account-unverified"}
    hansen = creditors.find(p, "K-70001")
    creditors.add_account(p, hansen.id, creditors.AccountInput(ATTACKER_IBAN), "kb.krause")
    with p.sessions() as session:  # a bug or a database edit: one person "verified" it and
        session.execute(  # the hold is gone, the invoice ordered
            update(CreditorAccountRow)
            .where(CreditorAccountRow.iban == ATTACKER_IBAN)
            .values(verified_by="kb.krause", verified_at=datetime.now(UTC), verified_how="selbst")
        )
        session.execute(
            update(HoldRow)
            .where(HoldRow.invoice_id == held)
            .values(cleared_by="kb.krause", cleared_at=datetime.now(UTC), clear_reason="x")
        )
        session.execute(
            update(Workflow)
            .where(Workflow.invoice_id == held)
            .values(status="angeordnet", holds="")
        )
        session.commit()
    bootstrap.use(container)
    result = CliRunner().invoke(cli, ["export"], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert ATTACKER_IBAN not in result.stdout
    assert f"Rechnung {held} nicht exportiert: Export verweigert" in result.output
    assert "von zwei Personen geprüfte Bankverbindung" in result.output
    assert _codes(p, held) == {"bank-account-unverified"}  # held again, with the reason
    (hold,) = [h for h in holds.holds_of(p, held) if h.open]
    assert "Export verweigert" in hold.message_de
    assert workflow.export(p, "csv").count == 0


def test_admins_do_not_keep_creditor_data() -> None:
    assert not Role.ADMIN.keeps_creditors
    assert Role.CREDITOR_ACCOUNTING.keeps_creditors
