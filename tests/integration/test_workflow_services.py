"""The workflow services on a real database (SQLite and PostgreSQL): routing, approval,
four eyes and limits, deadlines, reminders, supplier e-mails, audit chain, export."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import delete, func, select, update

from einvoice.bootstrap import Container
from einvoice.errors import TransientError
from einvoice.samplegen.spec import Skonto
from einvoice.services import workflow
from einvoice.services.notifications import deliver
from einvoice.services.ports import Pipeline
from einvoice.services.queues import QueueFilters
from einvoice.storage.tables import (
    AuditEventRow,
    Comment,
    DeadlineRow,
    ExportRecord,
    Notification,
    RoutingDecisionRow,
    Workflow,
)
from tests.integration.workflow_setup import (
    AMT_10,
    AMT_66,
    big_sample,
    leitweg_id,
    receive,
    sample,
    setup,
)


def _approve_all(pipeline: Pipeline, invoice_id: int) -> None:
    workflow.act(pipeline, invoice_id, "confirm_sachlich", "a10.becker")
    workflow.act(pipeline, invoice_id, "confirm_rechnerisch", "a10.neumann")
    workflow.act(pipeline, invoice_id, "order", "a10.schmitt")


# --- routing -------------------------------------------------------------------------------


def test_route_lands_in_the_department_once(container: Container) -> None:
    s = setup(container)
    invoice_id = receive(s.pipeline, sample(1))
    first = workflow.route(s.pipeline, invoice_id)
    again = workflow.route(s.pipeline, invoice_id)
    assert (first.status, first.department, first.created) == ("routed", "amt-10", True)
    assert first.rule == f"amt-10:leitweg-id:{AMT_10}"
    assert (again.status, again.department, again.created) == ("routed", "amt-10", False)
    trail = workflow.history(s.pipeline, invoice_id)
    assert [(e.action, e.to_state) for e in trail] == [
        ("receive", "received"),
        ("validate", "validated"),
        ("route", "routed"),
    ]
    assert "gehört zu Amt 10" in (trail[-1].reason or "")
    assert trail[-1].details["rule"] == first.rule
    with s.pipeline.sessions() as session:
        assert session.scalar(select(func.count(RoutingDecisionRow.id))) == 1
        assert session.scalar(select(func.count(AuditEventRow.id))) == 3
    view = workflow.queue(s.pipeline, "amt-10")
    assert [i.invoice_id for i in view.items] == [invoice_id]
    assert workflow.verify_audit(s.pipeline).ok


def test_route_by_order_number_and_unknown_fine_address(container: Container) -> None:
    s = setup(container)
    it = receive(s.pipeline, sample(2, order_reference="65123456"))
    unknown = receive(s.pipeline, sample(3, buyer_reference=leitweg_id("04011000", "55555")))
    routed = workflow.route(s.pipeline, it)
    assert (routed.department, routed.rule) == ("amt-12", "it-bestellsystem")
    central = workflow.route(s.pipeline, unknown)
    assert (central.department, central.rule) == (
        "rechnungseingang",
        "stadt-unbekannte-feinadresse",
    )
    assert [i.invoice_id for i in workflow.queue(s.pipeline, "rechnungseingang").items] == [unknown]


def test_unrouted_invoices_are_found_for_the_sweeper(container: Container) -> None:
    s = setup(container)
    invoice_id = receive(s.pipeline, sample(4))
    s.clock.now += timedelta(minutes=10)
    assert workflow.unrouted(s.pipeline, timedelta(minutes=5)) == [invoice_id]
    workflow.route(s.pipeline, invoice_id)
    assert workflow.unrouted(s.pipeline, timedelta(minutes=5)) == []


# --- rejected by validation: the supplier e-mail -----------------------------------------------


def test_rejected_invoice_is_reported_to_the_supplier_once(container: Container) -> None:
    s = setup(container)
    invoice_id = receive(s.pipeline, sample(0, buyer_reference=None))  # BR-DE-15
    result = workflow.route(s.pipeline, invoice_id)
    workflow.route(s.pipeline, invoice_id)
    assert (result.status, result.department) == ("rejected", None)
    assert len(s.mailer.sent) == 1
    mail = s.mailer.sent[0]
    assert mail.to == "buchhaltung@buero-hansen.example.com"  # BT-43 of the seller
    assert "abgelehnt" in mail.subject
    assert "BR-DE-15" in mail.body and "BT-10 Käuferreferenz" in mail.body
    assert "Bitte berichtigen Sie die Rechnung" in mail.body
    label, hint = workflow.supplier_status(s.pipeline, invoice_id) or ("", None)
    assert label == "Abgelehnt" and hint is not None and "derselben Rechnungsnummer" in hint
    detail = workflow.invoice_detail(s.pipeline, invoice_id)
    assert [n.status for n in detail.notifications] == ["sent"]
    assert [e.action for e in detail.history] == ["receive", "reject"]


def test_mail_waits_while_smtp_is_down_and_goes_out_once(container: Container) -> None:
    s = setup(container)
    s.mailer.error = TransientError("Verbindung abgelehnt")
    invoice_id = receive(s.pipeline, sample(5, buyer_reference=None))
    workflow.route(s.pipeline, invoice_id)
    with s.pipeline.sessions() as session:
        row = session.scalars(select(Notification)).one()
        assert (row.status, row.attempts) == ("pending", 1)
        assert "Verbindung abgelehnt" in (row.last_error or "")
    s.mailer.error = None
    assert deliver(s.pipeline).sent == 1
    assert deliver(s.pipeline).sent == 0
    assert len(s.mailer.sent) == 1


# --- approval: four eyes, limits, comments, reassignment ---------------------------------------


def test_approval_export_and_exactly_once(container: Container) -> None:
    s = setup(container)
    invoice_id = receive(s.pipeline, sample(6))
    workflow.route(s.pipeline, invoice_id)
    assert workflow.allowed_actions_for(s.pipeline, invoice_id, "a10.becker") == (
        "confirm_sachlich",
        "reassign",
        "return_to_supplier",
        "reject",
        "comment",
    )
    workflow.act(s.pipeline, invoice_id, "confirm_sachlich", "a10.becker")
    workflow.act(s.pipeline, invoice_id, "confirm_rechnerisch", "a10.neumann")
    with pytest.raises(workflow.Refused) as clerk:
        workflow.act(s.pipeline, invoice_id, "order", "a10.becker")
    assert clerk.value.code == "role"
    with pytest.raises(workflow.Refused) as four_eyes:
        workflow.act(s.pipeline, invoice_id, "order", "a10.neumann")
    assert four_eyes.value.code == "four_eyes"
    assert "Vier-Augen-Prinzip" in four_eyes.value.reason_de
    done = workflow.act(s.pipeline, invoice_id, "order", "a10.schmitt")
    assert (done.status, done.status_label_de) == ("angeordnet", "angeordnet")

    batch = workflow.export(s.pipeline, "csv")
    assert batch.batch_id is not None and batch.count == 1
    record = batch.records[0]
    detail = workflow.invoice_detail(s.pipeline, invoice_id)
    assert record.original_sha256 == detail.original_sha256
    assert record.leitweg_id == AMT_10 and record.department == "amt-10"
    assert record.iban and record.iban.startswith("DE")
    assert record.amount == detail.amount_due and record.ordered_by == "a10.schmitt"
    assert record.cost_centre == "1000"  # no BT-19: the department's first cost centre
    text = batch.content.decode("utf-8")
    assert text.splitlines()[0].startswith("rechnung_id;rechnungsnummer;")
    assert f";{AMT_10};" in text and detail.number in text
    assert s.pipeline.blobs.get(batch.sha256 or "") == batch.content  # archived
    assert workflow.export(s.pipeline, "csv").count == 0  # exactly once
    assert detail.status == "exported" and detail.exported_batch == batch.batch_id
    with pytest.raises(workflow.Refused) as final:
        workflow.act(s.pipeline, invoice_id, "reject", "a10.becker", "zu spät")
    assert final.value.code == "final"
    name, content, _ = workflow.batch_file(s.pipeline, batch.batch_id)
    assert content == batch.content and name.endswith(".csv")
    trail = [e.action for e in workflow.history(s.pipeline, invoice_id)]
    assert trail[-4:] == ["confirm_sachlich", "confirm_rechnerisch", "order", "export"]
    assert workflow.verify_audit(s.pipeline).ok


def test_amount_limit_refused_and_higher_approver_orders(container: Container) -> None:
    s = setup(container)
    invoice_id = receive(s.pipeline, big_sample(7, "12000.00"))  # 14.280,00 EUR
    workflow.route(s.pipeline, invoice_id)
    workflow.act(s.pipeline, invoice_id, "confirm_sachlich", "a10.becker")
    workflow.act(s.pipeline, invoice_id, "confirm_rechnerisch", "a10.becker")
    with pytest.raises(workflow.Refused) as limit:
        workflow.act(s.pipeline, invoice_id, "order", "a10.schmitt")
    assert limit.value.code == "limit"
    assert "14.280,00 €" in limit.value.reason_de and "10.000,00 €" in limit.value.reason_de
    assert "order" not in workflow.allowed_actions_for(s.pipeline, invoice_id, "a10.schmitt")
    # on holiday duty (Vertretung 28.07.-15.08.2025) a10.schmitt orders with a10.neumann's limit
    s.clock.now = datetime(2025, 8, 15, 22, 30, tzinfo=UTC)  # already 16.08. in Germany
    assert "order" not in workflow.allowed_actions_for(s.pipeline, invoice_id, "a10.schmitt")
    s.clock.now = datetime(2025, 8, 14, 22, 30, tzinfo=UTC)  # 15.08. 00:30 in Germany
    assert "order" in workflow.allowed_actions_for(s.pipeline, invoice_id, "a10.schmitt")
    assert workflow.act(s.pipeline, invoice_id, "order", "a10.schmitt").status == "angeordnet"
    detail = workflow.invoice_detail(s.pipeline, invoice_id)
    assert (detail.ordered_by, detail.ordered_for) == ("a10.schmitt", "a10.neumann")
    assert detail.history[-1].acting_for == "a10.neumann"


def test_reject_return_reassign_and_comments(container: Container) -> None:
    s = setup(container)
    first = receive(s.pipeline, sample(8))
    second = receive(s.pipeline, sample(9))
    third = receive(s.pipeline, sample(10))
    for invoice_id in (first, second, third):
        workflow.route(s.pipeline, invoice_id)
    with pytest.raises(workflow.Refused) as no_reason:
        workflow.act(s.pipeline, first, "reject", "a10.becker")
    assert no_reason.value.code == "comment"
    workflow.act(s.pipeline, first, "reject", "a10.becker", "Leistung nicht erbracht.")
    assert s.mailer.sent[-1].subject.endswith("wurde abgelehnt")
    assert "Leistung nicht erbracht." in s.mailer.sent[-1].body
    label, reason = workflow.supplier_status(s.pipeline, first) or ("", None)
    assert label == "Abgelehnt" and reason is not None
    assert reason.startswith("Leistung nicht erbracht.") and "endgültig" in reason
    assert "erneut" in reason and "derselben Rechnungsnummer" not in reason  # issue 25, 3
    assert "Bitte berichtigen" not in s.mailer.sent[-1].body

    returned = workflow.act(
        s.pipeline, second, "return_to_supplier", "a10.becker", "Bestellnummer fehlt."
    )
    assert returned.status == "returned_to_supplier" and returned.supplier_notified
    assert s.mailer.sent[-1].subject.startswith("Rückgabe Ihrer Rechnung")

    with pytest.raises(workflow.Refused):
        workflow.act(s.pipeline, third, "reassign", "a10.becker", None, "amt-66")
    with pytest.raises(workflow.Refused) as unknown_dept:
        workflow.act(s.pipeline, third, "reassign", "a10.becker", "falsch", "amt-99")
    assert unknown_dept.value.code == "department"
    moved = workflow.act(s.pipeline, third, "reassign", "a10.becker", "Tiefbau bestellt.", "amt-66")
    assert moved.department == "amt-66"
    assert [i.invoice_id for i in workflow.queue(s.pipeline, "amt-66").items] == [third]
    with pytest.raises(workflow.Refused) as outsider:
        workflow.act(s.pipeline, third, "comment", "a10.becker", "noch eine Anmerkung")
    assert outsider.value.code == "role"
    workflow.act(s.pipeline, third, "comment", "a66.braun", "Lieferschein liegt vor.")
    detail = workflow.invoice_detail(s.pipeline, third)
    assert [r.kind for r in detail.routing] == ["route", "reassign"]
    assert detail.routing[-1].previous_department == "amt-10"
    assert [c.text for c in detail.comments] == ["Tiefbau bestellt.", "Lieferschein liegt vor."]
    assert detail.history[-1].action == "comment" and detail.status == "routed"
    with s.pipeline.sessions() as session:
        assert session.scalar(select(func.count(Comment.id))) == 4
    assert workflow.verify_audit(s.pipeline).ok


def test_over_long_texts_are_refused_not_stored(container: Container) -> None:
    # Tried on the running app: a 200,000-character comment POSTed past the form's
    # maxlength was stored, put into the audit trail and shown on the invoice page.
    s = setup(container)
    invoice_id = receive(s.pipeline, sample(12))
    workflow.route(s.pipeline, invoice_id)
    for action in ("comment", "reject", "return_to_supplier"):
        with pytest.raises(workflow.Refused) as too_long:
            workflow.act(s.pipeline, invoice_id, action, "a10.becker", "A" * 2001)
        assert too_long.value.code == "comment" and "2.000 Zeichen" in too_long.value.reason_de
    with s.pipeline.sessions() as session:
        assert session.scalar(select(func.count(Comment.id))) == 0
    assert workflow.invoice_detail(s.pipeline, invoice_id).status == "routed"
    workflow.act(s.pipeline, invoice_id, "comment", "a10.becker", "A" * 2000)  # the limit itself


def test_unknown_people_and_actions_are_refused(container: Container) -> None:
    s = setup(container)
    invoice_id = receive(s.pipeline, sample(11))
    workflow.route(s.pipeline, invoice_id)
    with pytest.raises(workflow.Refused) as nobody:
        workflow.act(s.pipeline, invoice_id, "confirm_sachlich", "mallory")
    assert nobody.value.code == "unknown_person"
    with pytest.raises(workflow.Refused) as system_step:
        workflow.act(s.pipeline, invoice_id, "export", "a10.neumann")
    assert system_step.value.code == "unknown_action"
    with pytest.raises(workflow.NotFound):
        workflow.act(s.pipeline, 999_999, "comment", "a10.becker", "x")


# --- deadlines ------------------------------------------------------------------------------------


def test_deadlines_weekend_skonto_base_and_credit_note(container: Container) -> None:
    s = setup(container)
    weekend = receive(
        s.pipeline,
        sample(
            12,
            issue_date=date(2026, 11, 2),
            due_date=date(2026, 11, 28),  # a Saturday
            skonto=(Skonto(12, Decimal("3.00"), Decimal("100.00")),),  # 14.11.2026: Saturday
        ),
    )
    credit = receive(s.pipeline, sample(13, type_code="381", skonto=()), syntax="cii")
    for invoice_id in (weekend, credit):
        assert workflow.route(s.pipeline, invoice_id).status == "routed"
    detail = workflow.invoice_detail(s.pipeline, weekend)
    due = next(d for d in detail.deadlines if d.kind == "due")
    skonto = next(d for d in detail.deadlines if d.kind == "skonto")
    assert (due.due_on, due.source) == (date(2026, 11, 30), "due_date")  # moved to Monday
    assert skonto.due_on == date(2026, 11, 16)
    assert (skonto.base_amount, skonto.discount) == (Decimal("100.00"), Decimal("3.00"))
    assert detail.amount_due is not None
    assert skonto.amount_to_pay == detail.amount_due - Decimal("3.00")
    assert workflow.invoice_detail(s.pipeline, credit).deadlines == ()
    view = workflow.queue(s.pipeline, "amt-10", today=date(2026, 11, 13))
    items = {i.invoice_id: i for i in view.items}
    assert items[credit].credit_note and items[credit].amount < 0
    assert items[credit].deadline_status == "none"
    assert (items[weekend].next_deadline, items[weekend].deadline_status) == (
        date(2026, 11, 16),
        "soon",
    )
    assert items[weekend].skonto_discount == Decimal("3.00")


def test_deadline_scan_reminds_the_department_once_per_stage(container: Container) -> None:
    s = setup(container)
    invoice_id = receive(
        s.pipeline,
        sample(
            14,
            issue_date=date(2026, 11, 2),
            due_date=date(2026, 12, 2),
            skonto=(Skonto(14, Decimal("2.00")),),
        ),
    )
    workflow.route(s.pipeline, invoice_id)
    early = workflow.deadline_scan(s.pipeline, date(2026, 11, 1))
    assert early.warnings == () and early.queued == 0
    soon = workflow.deadline_scan(s.pipeline, date(2026, 11, 12))  # Skonto ends 16.11.
    assert [(w.kind, w.stage) for w in soon.warnings] == [("skonto", "soon")]
    assert soon.queued == 1 and soon.delivery.sent == 1
    assert s.mailer.sent[-1].to == "hauptamt@musterstadt.example"
    assert "Skonto" in s.mailer.sent[-1].subject
    assert workflow.deadline_scan(s.pipeline, date(2026, 11, 13)).queued == 0  # once
    later = workflow.deadline_scan(s.pipeline, date(2026, 12, 3))
    assert {(w.kind, w.stage) for w in later.warnings} == {
        ("skonto", "overdue"),
        ("due", "overdue"),
    }
    assert later.queued == 1  # a lost Skonto is flagged, not mailed
    assert "überschritten" in s.mailer.sent[-1].subject
    workflow.act(s.pipeline, invoice_id, "reject", "a10.becker", "storniert")
    assert workflow.deadline_scan(s.pipeline, date(2026, 12, 4)).warnings == ()


# --- queue -----------------------------------------------------------------------------------


def test_queue_filters_and_sorting(container: Container) -> None:
    s = setup(container)
    small = receive(s.pipeline, sample(15))
    large = receive(s.pipeline, big_sample(16, "2000.00"))
    other = receive(s.pipeline, sample(17, buyer_reference=AMT_66))
    for invoice_id in (small, large, other):
        workflow.route(s.pipeline, invoice_id)
    workflow.act(s.pipeline, small, "confirm_sachlich", "a10.becker")
    by_amount = workflow.queue(s.pipeline, "amt-10", sort="-amount")
    assert by_amount.items[0].invoice_id == large
    assert by_amount.counts == {"routed": 1, "sachlich_richtig": 1}
    only = workflow.queue(s.pipeline, "amt-10", QueueFilters(statuses=("sachlich_richtig",)))
    assert [i.invoice_id for i in only.items] == [small]
    everyone = workflow.queue(s.pipeline, None)
    assert {i.invoice_id for i in everyone.items} == {small, large, other}
    supplier = workflow.queue(s.pipeline, None, QueueFilters(supplier="weber"))
    assert [i.invoice_id for i in supplier.items] == [small]  # Druckerei Weber e.K.
    with pytest.raises(workflow.BadRequest):
        workflow.queue(s.pipeline, "amt-10", sort="farbe")
    with pytest.raises(workflow.NotFound):
        workflow.queue(s.pipeline, "amt-99")


# --- audit chain -----------------------------------------------------------------------------


def test_verify_audit_detects_edits_removals_and_state_changes(container: Container) -> None:
    s = setup(container)
    invoice_id = receive(s.pipeline, sample(18))
    workflow.route(s.pipeline, invoice_id)
    workflow.act(s.pipeline, invoice_id, "confirm_sachlich", "a10.becker")
    report = workflow.verify_audit(s.pipeline)
    assert report.ok and (report.invoices, report.events) == (1, 4)
    with s.pipeline.sessions() as session:
        session.execute(
            update(AuditEventRow)
            .where(AuditEventRow.invoice_id == invoice_id, AuditEventRow.sequence == 3)
            .values(actor="a10.neumann")
        )
        session.commit()
    edited = workflow.verify_audit(s.pipeline)
    assert {p.kind for p in edited.problems} >= {"edited"}
    assert any("verändert" in p.message_de for p in edited.problems)
    with s.pipeline.sessions() as session:  # remove the edited last event altogether
        session.execute(
            delete(AuditEventRow).where(
                AuditEventRow.invoice_id == invoice_id, AuditEventRow.sequence == 3
            )
        )
        session.commit()
    cut = workflow.verify_audit(s.pipeline)
    assert {p.kind for p in cut.problems} == {"head", "count"}


def test_verify_audit_detects_a_state_changed_without_an_event(container: Container) -> None:
    s = setup(container)
    invoice_id = receive(s.pipeline, sample(19))
    workflow.route(s.pipeline, invoice_id)
    with s.pipeline.sessions() as session:  # someone skips the approval in the database
        session.execute(
            update(Workflow).where(Workflow.invoice_id == invoice_id).values(status="angeordnet")
        )
        session.commit()
    problems = workflow.verify_audit(s.pipeline).problems
    assert [p.kind for p in problems] == ["state"]
    assert "weicht vom Protokoll ab" in problems[0].message_de


# --- export under concurrency ---------------------------------------------------------------------


def test_concurrent_exports_never_export_an_invoice_twice(container: Container) -> None:
    s = setup(container)
    ids = [receive(s.pipeline, sample(30 + n)) for n in range(6)]
    for invoice_id in ids:
        workflow.route(s.pipeline, invoice_id)
        _approve_all(s.pipeline, invoice_id)
    results: list[workflow.ExportResult] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def run() -> None:
        try:
            start.wait()
            results.append(workflow.export(s.pipeline, "json"))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    exported = [r.invoice_id for result in results for r in result.records]
    assert sorted(exported) == sorted(ids)  # each exactly once
    with s.pipeline.sessions() as session:
        assert session.scalar(select(func.count(ExportRecord.id))) == len(ids)
        statuses = set(session.scalars(select(Workflow.status)))
        assert statuses == {"exported"}
        assert session.scalar(select(func.count(DeadlineRow.id))) >= len(ids)
    assert workflow.verify_audit(s.pipeline).ok


def test_export_batches_are_named_by_day_and_number_in_the_city(container: Container) -> None:
    # Issue 14: the batch reached people as a bare UUID. It is named by the run's day in
    # the city (Europe/Berlin) and its number on that day; the id stays in the file.
    s = setup(container, datetime(2025, 3, 20, 9, 0, tzinfo=UTC))
    labels: list[str | None] = []
    invoices: list[int] = []
    moments = (
        datetime(2025, 3, 20, 9, 0, tzinfo=UTC),
        datetime(2025, 3, 20, 22, 30, tzinfo=UTC),  # 23:30 in Berlin: still the 20th
        datetime(2025, 3, 20, 23, 30, tzinfo=UTC),  # 00:30 in Berlin: the 21st
    )
    for seed, moment in enumerate(moments, start=41):
        s.clock.now = moment
        invoice_id = receive(s.pipeline, sample(seed))
        workflow.route(s.pipeline, invoice_id)
        _approve_all(s.pipeline, invoice_id)
        batch = workflow.export(s.pipeline, "csv")
        assert batch.batch_id is not None
        labels.append(batch.label_de)
        invoices.append(invoice_id)
    assert labels == [
        "Zahllauf vom 20.03.2025, Nr. 1",
        "Zahllauf vom 20.03.2025, Nr. 2",
        "Zahllauf vom 21.03.2025, Nr. 1",
    ]
    first = workflow.invoice_detail(s.pipeline, invoices[0])
    assert first.exported_run_de == "Zahllauf vom 20.03.2025, Nr. 1"  # keeps its number
    assert first.exported_batch is not None and len(first.exported_batch) == 36  # the id


def test_export_without_ordered_invoices_is_empty(container: Container) -> None:
    s = setup(container, datetime(2025, 5, 1, tzinfo=UTC))
    result = workflow.export(s.pipeline, "json")
    assert (result.batch_id, result.count, result.content) == (None, 0, b"")
    with pytest.raises(workflow.BadRequest):
        workflow.export(s.pipeline, "xlsx")
