"""``einvoice doctor`` says what is wrong in German and exits 1 (issue 22, finding 7: it
passed "Error 111 connecting to ... Connection refused." and "[Errno 1] Operation not
permitted" through)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
from pathlib import Path

from tests.helpers import ROOT, einvoice_cmd

ENGLISH = re.compile(
    r"Error \d+|Errno|connecting to|Connection refused|Operation not permitted|"
    r"Permission denied|Traceback|OperationalError|does not exist",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _doctor(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("EINVOICE_")}
    return subprocess.run(
        [*einvoice_cmd(), "doctor"],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env=base | env,
    )


def test_doctor_says_unreachable_services_and_unwritable_folders_in_german(
    tmp_path: Path,
) -> None:
    unwritable = Path("/sys/einvoice-doctor-test")  # mkdir there: EPERM, even for root
    checked = _doctor(
        {
            "EINVOICE_DATA_DIR": str(unwritable),
            "EINVOICE_BROKER_URL": f"redis://127.0.0.1:{_free_port()}/0",
            "EINVOICE_SMTP_URL": f"smtp://127.0.0.1:{_free_port()}",
            "EINVOICE_MAIL_FROM": "rechnungen@stadt.example",
        }
    )
    out = checked.stdout + checked.stderr
    assert checked.returncode == 1, out
    lines = {line.split()[1]: line for line in out.splitlines() if line.startswith("FEHLER")}
    assert "Verbindung abgelehnt" in lines["Broker"], out
    assert "Verbindung abgelehnt" in lines["SMTP"], out
    assert "keine Berechtigung" in lines["Blob-Speicher"], out
    assert "nicht beschreibbar" in lines["Datenbank"], out  # not "gibt es noch nicht"
    assert not ENGLISH.search(out), ENGLISH.search(out)


def test_doctor_names_an_unreachable_database_in_german(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://einvoice:geheim@127.0.0.1:{_free_port()}/einvoice"
    checked = _doctor({"EINVOICE_DATA_DIR": str(tmp_path), "EINVOICE_DATABASE_URL": url})
    out = checked.stdout + checked.stderr
    assert checked.returncode == 1, out
    assert "ist nicht erreichbar: Verbindung abgelehnt" in out
    assert "geheim" not in out and not ENGLISH.search(out), out
