"""``einvoice retention``: German prompt and answers, ``--as`` names an account with the role."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from einvoice.storage.entry_tables import InvoiceDraftRow
from tests.helpers import ROOT, einvoice_cmd
from tests.integration.conftest import make_container
from tests.integration.workflow_setup import AMT_10, receive, sample, setup


def _cli(data: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EINVOICE_")}
    env |= {"EINVOICE_DATA_DIR": str(data), "PYTHONUNBUFFERED": "1"}
    return subprocess.run(
        [*einvoice_cmd(), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
    )


def test_retention_apply_asks_in_german_and_checks_the_account(tmp_path: Path) -> None:
    from einvoice.services import workflow
    from einvoice.services.accounts import Role, create_account

    container = make_container(tmp_path, None)
    s = setup(container, now=datetime(2015, 3, 1, 9, 0, tzinfo=UTC))
    invoice_id = receive(s.pipeline, sample(1, buyer_reference=AMT_10))
    workflow.route(s.pipeline, invoice_id)
    workflow.act(s.pipeline, invoice_id, "reject", "a10.becker", comment="Falsch")
    create_account(
        container.sessions, "betrieb.schulz", "Aufbewahrung-2026-geheim!", Role.ADMIN, "S"
    )
    create_account(
        container.sessions,
        "a10.becker",
        "Aufbewahrung-2026-geheim!",
        Role.CLERK,
        "B",
        department="amt-10",
    )
    supplier = create_account(
        container.sessions,
        "hansen",
        "Aufbewahrung-2026-geheim!",
        Role.SUPPLIER,
        "H",
        organisation="Hansen",
    )
    with container.sessions() as session:  # a Weberfassung draft untouched since 2015
        old = datetime(2015, 3, 1, 9, 0, tzinfo=UTC)
        session.add(
            InvoiceDraftRow(
                account_id=supplier.id,
                kind="380",
                values={"nummer": "ALT-1"},
                created_at=old,
                updated_at=old,
            )
        )
        session.commit()
    container.engine.dispose()
    data = tmp_path / "data"

    planned = _cli(data, "retention", "plan")
    assert planned.returncode == 0, planned
    assert "1 Eingang fällig zur Löschung, 0 gesperrt." in planned.stdout
    assert "Entwürfe der Weberfassung: 1 Entwurf fällig zur Löschung" in planned.stdout

    nobody = _cli(data, "retention", "apply", "--as", "niemand", "--yes")
    assert nobody.returncode == 2, nobody
    assert "Ein aktives Konto „niemand“ gibt es nicht" in nobody.stderr
    clerk = _cli(data, "retention", "apply", "--as", "a10.becker", "--yes")
    assert clerk.returncode == 2 and "Systemverwaltung" in clerk.stderr, clerk
    hold = _cli(data, "retention", "hold", str(invoice_id), "--reason", "Prüfung", "--as", "x")
    assert hold.returncode == 2 and "Kreditorenbuchhaltung" in hold.stderr, hold

    before = _cli(data, "invoice", "show", str(invoice_id))
    assert "rechnung@lieferant.example" in before.stdout, before  # the sender, until it is due
    for answer in ("nein\n", "y\n", ""):  # no, an English yes, no answer at all (EOF)
        asked = _cli(data, "retention", "apply", "--as", "betrieb.schulz", stdin=answer)
        assert asked.returncode == 1, asked
        text = asked.stdout + asked.stderr
        assert "1 Eingang und 1 Entwurf der Weberfassung endgültig löschen?" in text
        assert "„ja“" in text
        assert "Abgebrochen, nichts gelöscht." in text
        assert "[y/N]" not in text and "Aborted" not in text and "Traceback" not in text
    done = _cli(data, "retention", "apply", "--as", "betrieb.schulz", stdin="ja\n")
    assert done.returncode == 0, done
    assert "Gelöscht: 1 Eingang, 2 Originale;" in done.stdout, done.stdout
    assert "Entwürfe der Weberfassung gelöscht: 1 Entwurf (1 unverändert" in done.stdout
    again = _cli(data, "retention", "apply", "--as", "betrieb.schulz")
    assert again.returncode == 0 and "Nichts fällig." in again.stdout
    shown = _cli(data, "invoice", "show", str(invoice_id))
    assert shown.returncode == 0, shown
    assert "lieferant.example" not in shown.stdout and "Eingang:" in shown.stdout
    verified = _cli(data, "audit", "verify")
    assert verified.returncode == 0 and "Protokoll unversehrt" in verified.stdout, verified
    checked = _cli(data, "fsck")
    assert checked.returncode == 0, checked
