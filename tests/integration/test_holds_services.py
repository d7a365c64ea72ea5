"""Creditor master data and payment holds on a real database (SQLite and PostgreSQL):
the attack (a portal account uploads in another company's name with another IBAN),
four eyes on clearing, unknown suppliers, duplicates, the CSV import, the audit chains."""

from __future__ import annotations

import dataclasses
import json

import pytest
from sqlalchemy import update

from einvoice.bootstrap import Container
from einvoice.samplegen.creditors import creditor_file, sample_creditors
from einvoice.samplegen.spec import german_vat_id, iban
from einvoice.samplegen.ubl import to_ubl
from einvoice.services import creditors, holds, upload, workflow
from einvoice.services.accounts import Role, create_account
from einvoice.services.creditor_assignment import assign_creditor
from einvoice.services.creditor_import import import_csv
from einvoice.services.workflow_base import NotFound, Refused
from einvoice.storage.tables import Workflow
from tests.integration.workflow_setup import receive, sample, setup

FOREIGN_IBAN = iban("DE", "370400440532013000")


def _upload(pipeline: object, data: bytes, account: str) -> int:
    user = create_account(
        pipeline.sessions,  # type: ignore[attr-defined]
        account,
        "ein-langes-passwort",
        Role.SUPPLIER,
        account,
        organisation="Irgendwas GmbH",
    )
    routed: list[int] = []
    upload.submit(pipeline, data, "rechnung.xml", user.id, routed.append)  # type: ignore[arg-type]
    (invoice_id,) = routed
    workflow.route(pipeline, invoice_id)  # type: ignore[arg-type]
    return invoice_id


def _codes(pipeline: object, invoice_id: int) -> set[str]:
    return {h.code.value for h in holds.holds_of(pipeline, invoice_id) if h.open}  # type: ignore[arg-type]


def test_the_attack_is_held_until_a_second_person_verifies(container: Container) -> None:
    s = setup(container)
    p = s.pipeline
    # another company's name and VAT id (Kommunal-IT, K-70002), but a different IBAN
    forged = sample(1, iban=FOREIGN_IBAN, number="KIT-9999")
    invoice_id = _upload(p, to_ubl(forged), "mallory")
    assert _codes(p, invoice_id) == {"uploader-not-seller", "bank-account-unverified"}
    supplier = holds.supplier_of(p, invoice_id)
    assert supplier is not None
    assert (supplier.creditor_number, supplier.matched_by) == ("K-70002", "vat_id")
    assert (supplier.channel, supplier.sender) == ("upload", "mallory")
    detail = workflow.invoice_detail(p, invoice_id)
    assert detail.status == "routed" and detail.department == "amt-10"

    workflow.act(p, invoice_id, "confirm_sachlich", "a10.becker")
    workflow.act(p, invoice_id, "confirm_rechnerisch", "a10.neumann")
    with pytest.raises(Refused) as refused:
        workflow.act(p, invoice_id, "order", "a10.schmitt")
    assert refused.value.code == "hold" and "Bankverbindung ungeprüft" in refused.value.reason_de
    assert "order" not in workflow.allowed_actions_for(p, invoice_id, "a10.schmitt")

    # no one clears the bank or uploader hold by hand (issue 21): only the master data
    for code in ("bank-account-unverified", "uploader-not-seller"):
        with pytest.raises(Refused) as by_hand:
            holds.clear(p, invoice_id, code, "kb.berger", "Rückruf", creditor_accounting=True)
        assert by_hand.value.code == "master_data"
    kit = creditors.find(p, "K-70002")
    creditors.add_account(p, kit.id, creditors.AccountInput(FOREIGN_IBAN), "kb.krause")
    # four eyes on the bank details themselves: who typed the IBAN in cannot vouch for it
    with pytest.raises(creditors.CreditorError, match="Vier-Augen-Prinzip"):
        creditors.verify_account(p, kit.id, FOREIGN_IBAN, "kb.krause", "selbst erfasst")
    # the clerk who signed verifies: the account is verified, his invoice's hold stays
    _, kept = creditors.verify_account(p, kit.id, FOREIGN_IBAN, "a10.becker", "selbst geprüft")
    assert kept.released == () and kept.kept and "Vier-Augen" in kept.kept[0][1]
    assert "bank-account-unverified" in _codes(p, invoice_id)
    with pytest.raises(Refused) as signer:
        holds.clear(
            p, invoice_id, "bank-account-unverified", "a10.becker", "ok", creditor_accounting=True
        )
    assert signer.value.code == "four_eyes"
    # a second person of creditor accounting asks again: the master data answers it now
    holds.clear(
        p,
        invoice_id,
        "bank-account-unverified",
        "kb.berger",
        "Rückruf unter der bekannten Nummer: Konto ist neu",
        creditor_accounting=True,
    )
    with pytest.raises(Refused):  # still held: the uploader is not bound to Kommunal-IT
        workflow.act(p, invoice_id, "order", "a10.schmitt")
    with pytest.raises(Refused) as clerk:  # a master data hold is not the clerk's to clear
        holds.clear(
            p, invoice_id, "uploader-not-seller", "a10.schmitt", "passt", creditor_accounting=False
        )
    assert clerk.value.code == "master_data"
    creditors.bind(p, "mallory", "K-70002", "kb.krause", "Firma: mallory ist ihr Dienstleister")
    creditors.bind(p, "mallory", "K-70002", "kb.berger", "Rückruf bestätigt")
    assert _codes(p, invoice_id) == set()

    workflow.act(p, invoice_id, "order", "a10.schmitt")
    exported = workflow.export(p, "csv")
    assert exported.count == 1
    header, row = exported.content.decode().splitlines()[:2]
    assert "kreditorennummer" in header.split(";")
    assert "K-70002" in row.split(";")
    trail = [(e.action, e.actor) for e in workflow.history(p, invoice_id)]
    assert ("hold", "system") in trail
    assert ("clear_hold", "kb.berger") in trail
    report = workflow.verify_audit(p)
    assert report.ok, report.problems
    assert report.master_data_events >= len(sample_creditors()) + 2


def test_export_skips_a_held_invoice_and_tampering_shows(container: Container) -> None:
    s = setup(container)
    p = s.pipeline
    ok_id = receive(p, sample(0))
    held_id = receive(p, sample(4, iban=FOREIGN_IBAN))  # Hansen with an unknown IBAN
    for invoice_id in (ok_id, held_id):
        workflow.route(p, invoice_id)
    assert _codes(p, ok_id) == set()
    assert _codes(p, held_id) == {"bank-account-unverified"}
    with p.sessions() as session:  # someone forces the held invoice to "angeordnet"
        session.execute(
            update(Workflow).where(Workflow.invoice_id == held_id).values(status="angeordnet")
        )
        session.commit()
    for who in ("a10.becker", "a10.neumann", "a10.schmitt"):
        step = {"a10.becker": "confirm_sachlich", "a10.neumann": "confirm_rechnerisch"}
        workflow.act(p, ok_id, step.get(who, "order"), who)
    exported = workflow.export(p, "json")
    assert [r.invoice_id for r in exported.records] == [ok_id]
    assert json.loads(exported.content)["records"][0]["kreditorennummer"] == "K-70001"
    with p.sessions() as session:  # and someone empties the hold column without an event
        session.execute(update(Workflow).where(Workflow.invoice_id == held_id).values(holds=""))
        session.commit()
    report = workflow.verify_audit(p)
    assert not report.ok
    assert any(pr.invoice_id == held_id and "holds" in pr.message_de for pr in report.problems)


def test_unknown_supplier_is_assigned_by_creditor_accounting(container: Container) -> None:
    s = setup(container)
    p = s.pipeline
    stranger = dataclasses.replace(
        sample(0).seller,
        name="Neue Firma GmbH",
        electronic_address="rechnung@neue-firma.example",
        vat_id=german_vat_id("55555555"),
        registration=None,
    )
    invoice_id = receive(p, sample(0, seller=stranger))
    routed = workflow.route(p, invoice_id)
    assert routed.status == "routed", routed
    assert _codes(p, invoice_id) == {"unknown-supplier"}
    (hold,) = holds.holds_of(p, invoice_id)
    assert "Neue Firma GmbH" in hold.message_de
    with pytest.raises(Refused):
        assign_creditor(p, invoice_id, "K-70001", "kb.krause", " ")
    why = "Schwesterfirma, gleiche Bank"
    proposed = assign_creditor(p, invoice_id, "K-70001", "kb.krause", why)
    assert not proposed.confirmed and _codes(p, invoice_id) == {"unknown-supplier"}
    supplier = holds.supplier_of(p, invoice_id)
    assert supplier is not None and supplier.creditor_id is None
    assert supplier.proposal_label is not None and supplier.proposal_label.startswith("K-70001")
    with pytest.raises(Refused) as own:  # four eyes: not who proposed it
        assign_creditor(p, invoice_id, "K-70001", "kb.krause", why)
    assert own.value.code == "four_eyes" and "Vier-Augen-Prinzip" in own.value.reason_de
    with pytest.raises(Refused) as own_clear:
        holds.clear(p, invoice_id, "unknown-supplier", "kb.krause", "x", creditor_accounting=True)
    assert own_clear.value.code == "master_data"
    # a second person naming another creditor makes a new proposal (for a third person)
    other = assign_creditor(p, invoice_id, "K-70002", "kb.zweit", "doch Kommunal-IT?")
    assert not other.confirmed and _codes(p, invoice_id) == {"unknown-supplier"}
    assigned = assign_creditor(p, invoice_id, "K-70001", "kb.zweit", why)
    assert not assigned.confirmed  # K-70001 again: kb.zweit's own proposal now
    assigned = assign_creditor(p, invoice_id, "K-70001", "kb.test", why)
    assert assigned.confirmed and assigned.proposed_by == "kb.zweit"
    assert _codes(p, invoice_id) == set()  # K-70001's verified account is the invoice's
    supplier = holds.supplier_of(p, invoice_id)
    assert supplier is not None and supplier.matched_by == "assigned"
    assert supplier.creditor_number == "K-70001" and supplier.proposal_id is None
    trail = [(e.action, e.actor) for e in workflow.history(p, invoice_id)]
    assert ("propose_creditor", "kb.krause") in trail and ("assign_creditor", "kb.test") in trail
    assert workflow.verify_audit(p).ok


def test_possible_duplicate_is_the_clerks_decision(container: Container) -> None:
    s = setup(container)
    p = s.pipeline
    first = receive(p, sample(0))
    again = receive(p, sample(0, number="BH-2025-99999"))  # same supplier and amount, new number
    workflow.route(p, first)
    workflow.route(p, again)
    assert _codes(p, first) == set()
    assert _codes(p, again) == {"possible-duplicate"}
    (hold,) = holds.holds_of(p, again)
    assert f"(interne Nr. {first})" in hold.message_de
    with pytest.raises(Refused) as outsider:  # not of Amt 10, not creditor accounting
        holds.clear(p, again, "possible-duplicate", "a20.wolf", "x", creditor_accounting=False)
    assert outsider.value.code == "role"
    with pytest.raises(NotFound):
        holds.clear(p, first, "possible-duplicate", "a10.becker", "x", creditor_accounting=False)
    holds.clear(
        p,
        again,
        "possible-duplicate",
        "a10.becker",
        "Zweite Lieferung laut Lieferschein",
        creditor_accounting=False,
    )
    assert _codes(p, again) == set()


def test_csv_import_is_idempotent_and_reports_bad_lines(container: Container) -> None:
    s = setup(container, creditors=False)
    p = s.pipeline
    data = creditor_file(60)
    broken = data + b"K-99999;;;;;;;;;;;;;\r\nK-99998;Kaputt GmbH;;;;;;;;;;DE00123;;\r\n"
    checked = {"verified_how": "aus dem Finanzverfahren", "verified_by": "kb.berger"}
    first = import_csv(p, broken, "kb.krause", **checked)
    assert (first.lines, first.created, first.changed) == (62, 60, 0)
    assert [pr.line for pr in first.problems] == [62, 63]
    assert "Name" in first.problems[0].message_de and "IBAN" in first.problems[1].message_de
    second = import_csv(p, data, "kb.krause", **checked)
    assert (second.created, second.changed, second.unchanged) == (0, 0, 60)
    changed = data.replace(b"Lindenstra\xc3\x9fe 12", b"Lindenstra\xc3\x9fe 14")
    third = import_csv(p, changed, "kb.krause")
    assert (third.created, third.changed, third.unchanged) == (0, 1, 59)
    listing = creditors.list_creditors(p, "hansen")
    assert [c.number for c in listing.creditors] == ["K-70001"]
    assert listing.creditors[0].street == "Lindenstraße 14"
    assert creditors.list_creditors(p).total == 60
    assert workflow.verify_audit(p).ok
