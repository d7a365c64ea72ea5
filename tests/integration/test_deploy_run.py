"""The deployment templates start and run as written (issue 22: the worker of the recommended
set-up crashed at start, compose required an IMAP password and passed no mailbox file,
the systemd unit passed an empty --source, no backup job).

No Docker engine and no systemd here: each einvoice service of ``docker-compose.yml`` and
each unit's ``ExecStart`` runs as a process with exactly the environment the template
gives it (compose: ``.env`` as env_file plus the interpolated ``environment``; systemd: the
example ``EnvironmentFile`` from ``deploy/``), its mounts and state folders mapped to
temporary folders, PostgreSQL and Redis of the test in place of the services' own, a TLS
IMAP server with the city's throwaway CA holding the two mailboxes of ``mailboxes.toml``
(a password each; an OAuth2 secret passes through as well). Each must
stay up, pass its health check and, where it has one, serve metrics; an invoice sent to
the mailbox arrives; the backup job's backup shows in the workers' metrics; every line
every process logs is JSON where the template asks for it.
"""

from __future__ import annotations

import imaplib
import json
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import ROOT
from tests.integration import deployed
from tests.integration.mail import email_with, invoice_xml
from tests.integration.mailserver import TlsImap, tls_dovecot
from tests.integration.services import free_port, postgres_database, redis_url

pytestmark = pytest.mark.slow

COMPOSE = ROOT / "docker-compose.yml"
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
MAILBOX = "rechnungseingang"
SECOND = "tiefbau"  # a second mailbox of the same file: one worker polls both


# --- shared -------------------------------------------------------------------------------


@dataclass
class Mapping_:
    """Paths and ports inside the template -> where they are in this test."""

    paths: dict[str, Path] = field(default_factory=dict)
    ports: dict[str, str] = field(default_factory=dict)

    def apply(self, text: str) -> str:
        for inside in sorted(self.paths, key=len, reverse=True):
            text = text.replace(inside, str(self.paths[inside]))
        for inside, outside in self.ports.items():
            text = re.sub(rf"(?<![0-9]){inside}(?![0-9])", outside, text)
        return text


def _port_pair() -> int:
    for _ in range(100):
        port = free_port()
        if deployed.port_free(port + 1):
            return port
    raise AssertionError("no two free ports side by side")


def _base_env(home: Path) -> dict[str, str]:
    """What a container or a systemd service has besides the template's environment."""
    return {
        "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
    }


def _mailbox_files(config: Path, imap: TlsImap) -> None:
    """The city's files as deploy/ shows them: mailboxes.toml (from the example, the
    server's address in place of the example's), its CA, the routing file. The file names
    /etc/einvoice/...: here that folder is ``config`` (what the mount or the real folder is)."""
    config.mkdir(parents=True, exist_ok=True)
    example = (DEPLOY / "mailboxes.toml.example").read_text(encoding="utf-8")
    assert "imaps://rechnungseingang@mail.stadt.example:993/INBOX" in example
    example = example.replace(
        "imaps://rechnungseingang@mail.stadt.example:993/INBOX", imap.url(user=MAILBOX)
    )
    assert 'ca_file = "/etc/einvoice/stadt-root-ca.pem"' in example
    example = example.replace("/etc/einvoice/", f"{config}/")
    example += (
        f'\n[mailbox.{SECOND}]\nurl = "{imap.url(user=SECOND)}"\n'
        f'ca_file = "{config}/stadt-root-ca.pem"\n'
    )
    (config / "mailboxes.toml").write_text(example, encoding="utf-8")
    shutil.copy(imap.ca_file, config / "stadt-root-ca.pem")
    shutil.copy(ROOT / "samples" / "routing.toml", config / "routing.toml")


def _send_invoice(imap: TlsImap, seed: int, user: str = MAILBOX) -> None:
    import ssl

    context = ssl.create_default_context(cafile=str(imap.ca_file))
    client = imaplib.IMAP4_SSL(imap.host, imap.imaps_port, ssl_context=context)
    client.login(user, imap.users[user])
    raw = email_with([(f"rechnung-{seed}.xml", invoice_xml(seed, n_lines=2))])
    client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)
    client.logout()


def _health(name: str, test: list[str], env: Mapping[str, str], cwd: Path, timeout: float) -> None:
    """A compose health check (CMD / CMD-SHELL) until it passes."""
    kind, *rest = test
    command = ["sh", "-c", rest[0]] if kind == "CMD-SHELL" else rest
    deadline = time.monotonic() + timeout
    while True:
        done = subprocess.run(
            command, env=dict(env), cwd=cwd, capture_output=True, text=True, timeout=60
        )
        if done.returncode == 0:
            return
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{name}: health check {command} fails: {done.stdout}{done.stderr}"
            )
        time.sleep(1)


def _all_json(process: deployed.Process) -> None:
    lines = [line for line in process.output().splitlines() if line.strip()]
    plain = [line for line in lines if not line.startswith("{")]
    assert plain == [], f"{process.name}: {len(plain)} of {len(lines)} lines not JSON: {plain[:5]}"
    for line in lines:
        json.loads(line)


def _wait(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"waited {timeout:.0f} s for {what}"
        time.sleep(1)


def _state(port: int, process: deployed.Process) -> str:
    return deployed.wait_for(process, f"http://127.0.0.1:{port + 1}/metrics")


@pytest.fixture
def services(tmp_path: Path) -> Iterator[tuple[str, str, TlsImap]]:
    with ExitStack() as stack:
        database = stack.enter_context(postgres_database())
        imap = stack.enter_context(tls_dovecot(users=(MAILBOX, SECOND)))
        yield database, redis_url(), imap


# --- docker-compose.yml ---------------------------------------------------------------------

_VAR = re.compile(
    r"\$\$|\$\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
    r"|\$(?P<plain>[A-Za-z_][A-Za-z0-9_]*)"
)


def _interpolate(value: Any, env: Mapping[str, str]) -> Any:
    """Compose's interpolation: ${V}, ${V:-default}, ${V-default}, ${V:?error}, $$."""
    if isinstance(value, dict):
        return {k: _interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def one(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group("braced") or match.group("plain")
        op, arg, found = match.group("op"), match.group("arg") or "", env.get(name)
        if op == ":-":
            return found or str(_interpolate(arg, env))
        if op == "-":
            return found if found is not None else str(_interpolate(arg, env))
        if op in (":?", "?") and (found is None or (op == ":?" and not found)):
            raise AssertionError(f"docker compose would stop: {name}: {arg}")
        return found or ""

    return _VAR.sub(one, value)


def _dotenv(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def _compose_env_file(project: Path, imap: TlsImap) -> dict[str, str]:
    """The operator's .env: deploy/compose.env.example with every BITTE_ERSETZEN replaced."""
    example = (DEPLOY / "compose.env.example").read_text(encoding="utf-8")
    filled = {
        "POSTGRES_PASSWORD=BITTE_ERSETZEN": "POSTGRES_PASSWORD=pg-secret-of-the-test",
        "EINVOICE_SECRET_KEY=BITTE_ERSETZEN": "EINVOICE_SECRET_KEY=" + "k" * 48,
        f"EINVOICE_IMAP_PASSWORD__{MAILBOX.upper()}=BITTE_ERSETZEN": (
            f"EINVOICE_IMAP_PASSWORD__{MAILBOX.upper()}={imap.users[MAILBOX]}"
        ),
    }
    for placeholder, value in filled.items():
        assert placeholder in example, placeholder
        example = example.replace(placeholder, value)
    example += "EINVOICE_COOKIE_SECURE=0\n"  # the test talks plain HTTP to the web app
    # what an operator adds for a second mailbox, and for an OAuth2 one (passed as it is)
    example += f"EINVOICE_IMAP_PASSWORD__{SECOND.upper()}={imap.users[SECOND]}\n"
    example += "EINVOICE_IMAP_OAUTH2_SECRET__EXCHANGE=oauth2-secret-of-the-test\n"
    assert "BITTE_ERSETZEN" not in "\n".join(
        line for line in example.splitlines() if not line.startswith("#")
    )
    (project / ".env").write_text(example, encoding="utf-8")
    return _dotenv(project / ".env")


@dataclass
class Service:
    name: str
    command: list[str]
    env: dict[str, str]
    healthcheck: list[str] | None
    replica: int = 1


def _compose_services(
    project: Path, dotenv: dict[str, str], database: str, broker: str
) -> list[Service]:
    spec = _interpolate(yaml.safe_load(COMPOSE.read_text(encoding="utf-8")), dotenv)
    found: list[Service] = []
    for name, service in spec["services"].items():
        if service.get("image") != "einvoice:latest":
            continue  # postgres, redis: the test's own; proxy: Caddy (see test_deploy.py)
        replicas = int(service.get("deploy", {}).get("replicas", 1))
        assert service["env_file"] == ".env"
        for replica in range(1, replicas + 1):
            container = project / "containers" / f"{name}-{replica}"
            mapping = Mapping_()
            for tmpfs in service.get("tmpfs", []):
                mapping.paths[tmpfs] = container / tmpfs.strip("/").replace("/", "_")
                mapping.paths[tmpfs].mkdir(parents=True)
            for volume in service.get("volumes", []):
                source, target, *_ = volume.split(":")
                if source.startswith((".", "/")):
                    host = (project / source).resolve()
                else:  # a named volume, shared by the services that mount it
                    assert source in spec["volumes"], source
                    host = project / "volumes" / source
                host.mkdir(parents=True, exist_ok=True)
                mapping.paths[target] = host
            env = {**_base_env(container), **dotenv, **service["environment"]}
            url = env["EINVOICE_DATABASE_URL"]
            assert url == (
                f"postgresql+psycopg://einvoice:{dotenv['POSTGRES_PASSWORD']}@postgres/einvoice"
            )
            assert env["EINVOICE_BROKER_URL"] == "redis://redis:6379/0"
            env["EINVOICE_DATABASE_URL"], env["EINVOICE_BROKER_URL"] = database, broker
            if env.get("EINVOICE_METRICS_PORT"):
                port = _port_pair()
                mapping.ports = {"9191": str(port), "9192": str(port + 1)}
            if "8000" in " ".join(service["command"]):
                mapping.ports["8000"] = str(free_port())
            env = {k: mapping.apply(v) for k, v in env.items()}
            command = [mapping.apply(part) for part in service["command"]]
            check = service.get("healthcheck", {}).get("test")
            found.append(
                Service(
                    name,
                    command,
                    env,
                    [mapping.apply(part) for part in check] if check else None,
                    replica,
                )
            )
    return found


def test_compose_services_run_as_written(
    tmp_path: Path, services: tuple[str, str, TlsImap]
) -> None:
    database, broker, imap = services
    project = tmp_path / "project"
    project.mkdir()
    dotenv = _compose_env_file(project, imap)
    _mailbox_files(project / dotenv.get("EINVOICE_CONFIG_DIR", "./config"), imap)
    found = _compose_services(project, dotenv, database, broker)
    names = sorted({s.name for s in found})
    assert names == ["backup", "migrate", "web", "worker"], names
    assert "--source" not in " ".join(
        s for s in next(x for x in found if x.name == "worker").command
    )
    migrate = next(s for s in found if s.name == "migrate")
    done = subprocess.run(
        migrate.command, env=migrate.env, cwd=project, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    _send_invoice(imap, 8100)
    _send_invoice(imap, 8101, SECOND)
    with ExitStack() as stack:
        running: dict[str, tuple[Service, deployed.Process]] = {}
        for service in found:
            if service.name == "migrate":
                continue
            key = f"{service.name}-{service.replica}"
            process = stack.enter_context(
                deployed.started(
                    key, service.command, service.env, tmp_path / f"{key}.log", cwd=project
                )
            )
            running[key] = (service, process)
        assert sorted(running) == ["backup-1", "web-1", "worker-1", "worker-2"]
        for key, (service, process) in running.items():
            assert service.healthcheck, f"{key} has no health check"
            _health(key, service.healthcheck, service.env, project, timeout=240)
            process.assert_running()
        for key in ("worker-1", "worker-2"):
            service, process = running[key]
            port = int(service.env["EINVOICE_METRICS_PORT"])
            own = deployed.wait_for(process, f"http://127.0.0.1:{port}/metrics")
            assert deployed.total(own, "einvoice_worker_mailboxes") == 2  # mailboxes.toml
            assert (
                service.env["EINVOICE_IMAP_OAUTH2_SECRET__EXCHANGE"] == "oauth2-secret-of-the-test"
            )
        worker, first = running["worker-1"]
        port = int(worker.env["EINVOICE_METRICS_PORT"])

        def arrived() -> bool:
            text = _state(port, first)
            return deployed.total(text, "einvoice_invoices") == 2

        _wait(arrived, 180, "the invoices from both mailboxes")
        state = _state(port, first)
        for box in (MAILBOX, SECOND):
            assert deployed.total(state, "einvoice_mailbox_poll_error", source=box) == 0
            assert deployed.samples(state)[("einvoice_mailbox_poll_error", (("source", box),))] == 0
        assert deployed.total(state, "einvoice_backup_last_success_timestamp_seconds") > 0
        assert deployed.total(state, "einvoice_disk_free_ratio", folder="backups") > 0
        time.sleep(3)
        for _key, (_service, process) in running.items():
            process.assert_running()
    for _key, (_service, process) in running.items():
        _all_json(process)  # EINVOICE_LOG_FORMAT=json in the template
        assert "Traceback" not in process.output()


# --- deploy/systemd ------------------------------------------------------------------------


def _unit(path: Path) -> dict[str, list[str]]:
    """The [Service] settings of a unit file (a key may repeat)."""
    settings: dict[str, list[str]] = {}
    section = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line
            continue
        if section == "[Service]":
            key, _, value = line.partition("=")
            settings.setdefault(key, []).append(value)
    return settings


def _environment_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";")):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip().strip('"')
    return values


def _exec_start(line: str, env: Mapping[str, str]) -> list[str]:
    """systemd's ExecStart: words, ${VAR} as one word, $VAR split; an empty one is a fault."""
    words: list[str] = []
    for word in shlex.split(line):
        braced = re.fullmatch(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", word)
        if braced:
            value = env.get(braced.group(1), "")
            assert value, f"ExecStart passes an empty {word}: {line}"
            words.append(value)
            continue
        assert "$" not in word or "$$" in word, f"unexpanded {word} in {line}"
        words.append(word.replace("%%", "%"))
    return words


def test_systemd_units_run_as_written(tmp_path: Path, services: tuple[str, str, TlsImap]) -> None:
    database, broker, imap = services
    root = tmp_path / "root"
    mapping = Mapping_(
        paths={
            "/var/lib/einvoice": root / "var" / "lib" / "einvoice",
            "/var/backups/einvoice": root / "var" / "backups" / "einvoice",
            "/etc/einvoice": root / "etc" / "einvoice",
            "/opt/einvoice/venv/bin/einvoice": BIN / "einvoice",
        }
    )
    port = _port_pair()
    web_port = free_port()
    mapping.ports = {"9191": str(port), "9192": str(port + 1), "8000": str(web_port)}
    # deploy/README.md's steps: the config folder, the backup folder (ReadWritePaths), the
    # example env file with its placeholders replaced; StateDirectory= makes the state folder
    mapping.paths["/etc/einvoice"].mkdir(parents=True)
    mapping.paths["/var/backups/einvoice"].mkdir(parents=True)
    mapping.paths["/var/lib/einvoice"].mkdir(parents=True)
    _mailbox_files(mapping.paths["/etc/einvoice"], imap)
    env_example = _environment_file(DEPLOY / "einvoice.env.example")
    placeholders = sorted(k for k, v in env_example.items() if "BITTE_ERSETZEN" in v)
    assert placeholders == ["EINVOICE_DATABASE_URL", f"EINVOICE_IMAP_PASSWORD__{MAILBOX.upper()}"]
    env_example["EINVOICE_DATABASE_URL"] = database
    env_example[f"EINVOICE_IMAP_PASSWORD__{MAILBOX.upper()}"] = imap.users[MAILBOX]
    env_example[f"EINVOICE_IMAP_PASSWORD__{SECOND.upper()}"] = imap.users[SECOND]
    assert env_example["EINVOICE_BROKER_URL"] == "redis://127.0.0.1:6379/0"
    env_example["EINVOICE_BROKER_URL"] = broker
    env_example["EINVOICE_COOKIE_SECURE"] = "0"  # plain HTTP in the test
    units = {p.stem: _unit(p) for p in sorted((DEPLOY / "systemd").glob("*.service"))}
    commands: dict[str, tuple[list[str], dict[str, str], Path]] = {}
    for name, unit in units.items():
        assert unit["EnvironmentFile"] == ["/etc/einvoice/einvoice.env"], name
        assert unit["WorkingDirectory"] == ["/var/lib/einvoice"], name
        env = {**_base_env(root), **{k: mapping.apply(v) for k, v in env_example.items()}}
        (start,) = unit["ExecStart"]
        command = [mapping.apply(word) for word in _exec_start(start, env)]
        commands[name] = (command, env, mapping.paths["/var/lib/einvoice"])
    assert "--source" not in commands["einvoice-worker"][0]

    def run_once(name: str) -> subprocess.CompletedProcess[str]:
        command, env, cwd = commands[name]
        return subprocess.run(
            command, env=env, cwd=cwd, capture_output=True, text=True, timeout=300
        )

    migrated = run_once("einvoice-migrate")
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr
    _send_invoice(imap, 8200)
    _send_invoice(imap, 8201, SECOND)
    with ExitStack() as stack:
        running = {
            name: stack.enter_context(
                deployed.started(
                    name,
                    commands[name][0],
                    commands[name][1],
                    tmp_path / f"{name}.log",
                    cwd=commands[name][2],
                )
            )
            for name in ("einvoice-worker", "einvoice-web")
        }
        deployed.wait_for(running["einvoice-web"], f"http://127.0.0.1:{web_port}/readyz", 240)
        own = deployed.wait_for(running["einvoice-worker"], f"http://127.0.0.1:{port}/metrics")
        assert deployed.total(own, "einvoice_worker_mailboxes") == 2
        backup = run_once("einvoice-backup")
        assert backup.returncode == 0, backup.stdout + backup.stderr
        made = list(mapping.paths["/var/backups/einvoice"].glob("*/manifest.json"))
        assert len(made) == 1, made

        def arrived() -> bool:
            text = _state(port, running["einvoice-worker"])
            return deployed.total(text, "einvoice_invoices") == 2

        _wait(arrived, 180, "the invoices from both mailboxes")
        state = _state(port, running["einvoice-worker"])
        assert deployed.total(state, "einvoice_backup_last_success_timestamp_seconds") > 0
        for box in (MAILBOX, SECOND):
            assert deployed.total(state, "einvoice_mailbox_poll_error", source=box) == 0
            assert deployed.samples(state)[("einvoice_mailbox_poll_error", (("source", box),))] == 0
        time.sleep(3)
        for process in running.values():
            process.assert_running()
    for process in running.values():
        _all_json(process)
        assert "Traceback" not in process.output()
