"""EINVOICE_LOG_FORMAT=json: every line of every process is one JSON object (issue 22,
finding 5: only the supervisor logged JSON; the worker processes' lines such as
'invoice 1: routed amt-10' stayed plain text, 10 of 137 lines were JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import einvoice_cmd
from tests.integration import deployed, workerfarm
from tests.integration.services import free_port, redis_url

INVOICES = 2


def _json_lines(process: deployed.Process) -> list[dict[str, object]]:
    lines = [line for line in process.output().splitlines() if line.strip()]
    assert lines, f"{process.name} logged nothing"
    plain = [line for line in lines if not line.startswith("{")]
    assert plain == [], f"{len(plain)} of {len(lines)} lines of {process.name} are not JSON"
    return [json.loads(line) for line in lines]


@pytest.mark.slow
def test_worker_processes_log_json(tmp_path: Path) -> None:
    maildir = tmp_path / "Maildir"
    workerfarm.fill_maildir(maildir, INVOICES, first_seed=5100)
    env = workerfarm.env_for(
        f"sqlite:///{tmp_path / 'einvoice.db'}",
        redis_url(),
        tmp_path / "data",
        EINVOICE_LOG_FORMAT="json",
        EINVOICE_POLL_INTERVAL="2",
        EINVOICE_METRICS_PORT=str(free_port()),
    )
    env.pop("EINVOICE_LOG_LEVEL", None)  # the worker's default: INFO
    assert workerfarm.cli(env, "db", "upgrade").returncode == 0
    command = [*einvoice_cmd(), "worker", "--processes", "2", "--source", f"maildir:{maildir}"]
    with deployed.started("worker", command, env, tmp_path / "worker.log") as worker:

        def routed() -> int:
            return worker.output().count("routed amt-")

        assert workerfarm.wait_until(lambda: routed() >= INVOICES, timeout=120), worker.tail()
    entries = _json_lines(worker)
    processes = {entry["process"] for entry in entries}
    assert len(processes) >= 4, processes  # supervisor, 2 dramatiq main processes, workers
    routed_by = {e["process"] for e in entries if "routed" in str(e["message"])}
    assert routed_by and routed_by <= processes
    assert any(e["logger"] == "einvoice.worker" for e in entries)  # the supervisor's own lines
    assert all({"time", "level", "logger", "message"} <= set(e) for e in entries)


@pytest.mark.slow
def test_web_server_processes_log_json(tmp_path: Path) -> None:
    port = free_port()
    env = workerfarm.env_for(
        f"sqlite:///{tmp_path / 'einvoice.db'}",
        "stub",
        tmp_path / "data",
        EINVOICE_LOG_FORMAT="json",
        EINVOICE_LOG_LEVEL="info",
        EINVOICE_COOKIE_SECURE="0",
    )
    assert workerfarm.cli(env, "db", "upgrade").returncode == 0
    command = [*einvoice_cmd(), "web", "--port", str(port), "--workers", "2"]
    with deployed.started("web", command, env, tmp_path / "web.log") as web:
        deployed.wait_for(web, f"http://127.0.0.1:{port}/readyz", timeout=180)
        assert deployed.get(f"http://127.0.0.1:{port}/gibt-es-nicht")[0] == 404
        assert workerfarm.wait_until(lambda: web.output().count("Started server process") >= 2, 60)
    entries = _json_lines(web)
    assert len({e["process"] for e in entries}) >= 3  # the parent and its two server processes
    assert any("E-Rechnung Web" in str(e["message"]) for e in entries)
