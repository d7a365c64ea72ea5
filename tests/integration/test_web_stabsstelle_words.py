"""The Stabsstelle reads the Beirat's language (issue 25, finding 6): tried, the drill-down
said "Rechnungen hinter der Kennzahl „skonto_lost“" (also received, rejected, overdue), the
rejection reasons were "BR-DE-15 / BR-CO-15 / SCENARIO", and the CSV wrote "2025-W50;2025-12-08"
while the queue's CSV is German."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from einvoice.formats.rule_titles import rule_label_de
from einvoice.samplegen.ubl import to_ubl
from einvoice.services.accounts import Role
from einvoice.services.demo_history import seed_pilot_history
from einvoice.services.metrics import trace_label_de
from tests.integration.web import account, csrf_of, login, make_app
from tests.integration.workflow_setup import sample

RAW_KEYS = ("skonto_lost", "skonto_taken", "received", "rejected", "overdue", "ordered")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_drill_down_and_rejection_reason_reads_in_german(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    seed_pilot_history(container.pipeline, date.today())
    account(container, "hansen", Role.SUPPLIER, organisation="Bürobedarf Hansen GmbH")
    supplier = login(application, "hansen")
    form = supplier.get("/einreichen")
    no_leitweg = to_ubl(sample(0, number="OHNE-BT10", buyer_reference=None))
    sent = supplier.post(
        "/einreichen",
        data={"csrf_token": csrf_of(form.text)},
        files={"file": ("x.xml", no_leitweg)},
    )
    assert sent.status_code == 303, sent.text
    account(container, "cdo", Role.STABSSTELLE)
    cdo = login(application, "cdo")
    board = cdo.get("/stabsstelle").text
    keys = sorted(set(re.findall(r'href="/stabsstelle/beleg/([^"]+)"', board)))
    assert len(keys) > 5, keys
    for key in keys:
        page = cdo.get(f"/stabsstelle/beleg/{key}")
        assert page.status_code == 200, key
        heading = re.search(r"<h1>(.*?)</h1>", page.text, re.S)
        assert heading is not None
        shown = heading.group(1)
        assert "Kennzahl" not in shown and not any(raw in shown for raw in RAW_KEYS), shown
    text = _text(board)
    rules = re.findall(r"\b(?:BR-[A-Z0-9-]+|SCENARIO|PEPPOL-[A-Z0-9-]+)\b", text)
    assert rules, "the pilot history has rejections: their reasons must be on the board"
    assert "Die Käuferreferenz (BT-10, Leitweg-ID) fehlt oder ist leer (BR-DE-15)" in text
    for rule in set(rules):  # every rule id stands beside its German title, never alone
        assert f"({rule})" in text or rule_label_de(rule).startswith("Regel"), rule


def test_trace_labels_and_rule_titles() -> None:
    assert trace_label_de("skonto_lost") == "Rechnungen mit verlorenem Skonto"
    assert trace_label_de("received@2026-W45") == "Eingegangene Rechnungen, KW 45/2026"
    assert trace_label_de("ordered@2026-W10..2026-W13") == (
        "Angeordnete Rechnungen, KW 10/2026 bis KW 13/2026"
    )
    assert trace_label_de("office:amt-10", {"amt-10": "Amt 10 – Hauptamt"}) == (
        "Rechnungen an Amt 10 – Hauptamt"
    )
    assert trace_label_de("rule:BR-DE-15") == (
        "Abgelehnt wegen: Die Käuferreferenz (BT-10, Leitweg-ID) fehlt oder ist leer (BR-DE-15)"
    )
    assert rule_label_de("SCENARIO").startswith("Unbekannte oder veraltete Spezifikationskennung")
    assert rule_label_de("BR-CO-15").startswith("Der Gesamtbetrag einschließlich Umsatzsteuer")


def test_csv_writes_weeks_and_dates_the_german_way(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    seed_pilot_history(container.pipeline, date.today())
    account(container, "cdo", Role.STABSSTELLE)
    exported = login(application, "cdo").get("/stabsstelle/kennzahlen.csv").text
    lines = exported.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Kalenderwoche;Wochenbeginn;")
    assert re.match(r"KW \d\d/\d{4};\d\d\.\d\d\.\d{4};", lines[1]), lines[1]
    assert not re.search(r"\d{4}-W\d\d|\d{4}-\d\d-\d\d", exported)
