"""Settings from environment variables, read and checked in one place.

Secrets (IMAP and SMTP passwords) have no default. Everything else defaults to the
embedded set-up: SQLite and blobs in ``EINVOICE_DATA_DIR``, in-process broker.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from einvoice.errors import ConfigurationError
from einvoice.formats.safexml import DEFAULT_MAX_BYTES
from einvoice.formats.validation import NOT_INVOICE_PROFILES, ValidationPolicy
from einvoice.mailbox import settings as mailbox_settings
from einvoice.mailbox.mime import Limits
from einvoice.mailbox.settings import MailboxSettings
from einvoice.storage.blobs_s3 import S3Location, parse_s3_url

#: The example configuration of a mid-size city, Musterstadt (used by the demo and when
#: EINVOICE_ROUTING_CONFIG is not set; ``einvoice doctor`` warns about the latter). Package
#: data, so that an installed wheel has it; ``samples/routing.toml`` is the same file.
SAMPLE_ROUTING_CONFIG = Path(__file__).resolve().parent / "data" / "routing.toml"


@dataclass(frozen=True, slots=True)
class WorkflowSettings:
    """Routing, approval deadlines and the e-mails the workflow sends."""

    routing_config: Path = SAMPLE_ROUTING_CONFIG  # EINVOICE_ROUTING_CONFIG
    smtp_url: str | None = None  # EINVOICE_SMTP_URL; None: e-mails stay pending
    smtp_password: str | None = None  # EINVOICE_SMTP_PASSWORD (no default)
    mail_from: str | None = None  # EINVOICE_MAIL_FROM (required with SMTP)
    deadline_warning_days: int = 5  # EINVOICE_DEADLINE_WARNING_DAYS
    deadline_scan_interval: float = 3600.0  # EINVOICE_DEADLINE_SCAN_INTERVAL (seconds)
    timezone: str = "Europe/Berlin"  # EINVOICE_TIMEZONE: the city's local dates
    land: str = "TH"  # EINVOICE_LAND: Bundesland (ISO 3166-2:DE) whose holidays move deadlines
    kasse: str = "Stadtkasse"  # EINVOICE_KASSE: the paying cash office on payment orders
    # EINVOICE_HAUSHALT_ABSCHLUSS "MM-TT": the year Y is closed after this day of Y+1
    year_closing: tuple[int, int] = (1, 31)
    refuse_over_budget: bool = True  # EINVOICE_MITTEL_UEBERSCHRITTEN: ablehnen (default) / warnen
    chart_columns: Path | None = None  # EINVOICE_KONTENPLAN_SPALTEN: TOML column mapping


@dataclass(frozen=True, slots=True)
class Settings:
    validation: ValidationPolicy
    data_dir: Path
    database_url: str
    broker_url: str  # "stub" or redis://...
    limits: Limits
    imap_password: str | None
    poll_interval: float
    sweep_after: float  # seconds a document may stay in an intermediate state
    metrics_port: int | None = None  # Prometheus: workers on it, database gauges on +1
    workflow: WorkflowSettings = field(default_factory=WorkflowSettings)
    blob_store: str = "local"  # EINVOICE_BLOB_STORE: local, database or s3://bucket/prefix
    s3: S3Location | None = None  # EINVOICE_S3_*: endpoint and keys of the s3:// store
    retention_years: int = 8  # EINVOICE_RETENTION_YEARS: § 147 AO / § 257 HGB Buchungsbelege
    # EINVOICE_DRAFT_RETENTION_DAYS: an unsubmitted Weberfassung draft goes after this many
    # days unchanged; EINVOICE_SUBMITTED_DRAFT_DAYS: a submitted one this many days after
    draft_days: int = 180
    submitted_draft_days: int = 30
    mailboxes: tuple[MailboxSettings, ...] = ()  # EINVOICE_MAILBOXES: a TOML file
    imap_secrets: Mapping[str, str] = field(default_factory=dict, repr=False)
    # EINVOICE_PAYMENTS_CONFIG: the city's accounts and the cash system's CSV layout (TOML);
    # None: the package's demo settings (einvoice/data/payments.toml)
    payments_config: Path | None = None
    # EINVOICE_BACKUP_DIR: where `einvoice backup` puts a new dated folder; its newest
    # manifest gives the metric of the last backup (alert on backup age)
    backup_dir: Path | None = None
    # EINVOICE_MAX_PDF_RENDERS: Chromium processes printing a PDF at once per server process;
    # one more download is answered 503 at once (each takes a few hundred MB for seconds)
    max_pdf_renders: int = 2

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"


_N = TypeVar("_N", int, float)


def _positive(env: Mapping[str, str], name: str, default: _N, kind: type[_N], noun: str) -> _N:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = kind(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} muss {noun} sein, nicht {raw!r}") from exc
    if value <= 0:
        raise ConfigurationError(f"{name} muss positiv sein, nicht {value}")
    return value


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    return _positive(env, name, default, int, "eine ganze Zahl")


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    return _positive(env, name, default, float, "eine Zahl")


def _profiles(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    raw = env.get(name, "")
    chosen = tuple(p.strip().upper() for p in raw.split(",") if p.strip())
    unknown = [p for p in chosen if p not in NOT_INVOICE_PROFILES]
    if unknown:
        raise ConfigurationError(
            f"{name}: {'unbekanntes Profil' if len(unknown) == 1 else 'unbekannte Profile'} "
            f"{unknown}; "
            f"möglich: {', '.join(NOT_INVOICE_PROFILES)}"
        )
    return chosen


def _workflow(env: Mapping[str, str]) -> WorkflowSettings:
    routing = env.get("EINVOICE_ROUTING_CONFIG") or str(SAMPLE_ROUTING_CONFIG)
    smtp_url = (env.get("EINVOICE_SMTP_URL") or "").strip() or None
    if smtp_url is not None and not smtp_url.startswith(("smtp://", "smtps://", "smtp+plain://")):
        raise ConfigurationError(
            f"EINVOICE_SMTP_URL {smtp_url!r}: erwartet smtps://host:465, smtp://host:587 "
            "(STARTTLS) oder smtp+plain://127.0.0.1:25 (nur lokal)"
        )
    mail_from = (env.get("EINVOICE_MAIL_FROM") or "").strip() or None
    if smtp_url is not None and mail_from is None:
        raise ConfigurationError(
            "EINVOICE_MAIL_FROM muss gesetzt sein, wenn EINVOICE_SMTP_URL gesetzt ist "
            "(Absender der E-Mails, z. B. rechnungseingang@stadt.example)"
        )
    zone = env.get("EINVOICE_TIMEZONE") or "Europe/Berlin"
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(zone)
    except (ValueError, KeyError, OSError) as exc:
        raise ConfigurationError(f"EINVOICE_TIMEZONE {zone!r} ist keine bekannte Zeitzone") from exc
    land = (env.get("EINVOICE_LAND") or "TH").strip().upper().removeprefix("DE-")
    from einvoice.domain.holidays_de import LANDS

    if land not in LANDS:
        raise ConfigurationError(
            f"EINVOICE_LAND {land!r} ist kein Bundesland; möglich: {', '.join(sorted(LANDS))}"
        )
    return WorkflowSettings(
        routing_config=Path(routing).resolve(),
        smtp_url=smtp_url,
        smtp_password=env.get("EINVOICE_SMTP_PASSWORD") or None,
        mail_from=mail_from,
        deadline_warning_days=_int(env, "EINVOICE_DEADLINE_WARNING_DAYS", 5),
        deadline_scan_interval=_float(env, "EINVOICE_DEADLINE_SCAN_INTERVAL", 3600.0),
        timezone=zone,
        land=land,
        kasse=(env.get("EINVOICE_KASSE") or "Stadtkasse").strip()[:255] or "Stadtkasse",
        year_closing=_closing(env.get("EINVOICE_HAUSHALT_ABSCHLUSS") or "01-31"),
        refuse_over_budget=_over_budget(env.get("EINVOICE_MITTEL_UEBERSCHRITTEN") or "ablehnen"),
        chart_columns=Path(env["EINVOICE_KONTENPLAN_SPALTEN"]).resolve()
        if env.get("EINVOICE_KONTENPLAN_SPALTEN")
        else None,
    )


def _closing(text: str) -> tuple[int, int]:
    from datetime import date

    try:
        month, day = (int(p) for p in text.strip().split("-"))
        date(2001, month, day)
    except ValueError as exc:
        raise ConfigurationError(
            f"EINVOICE_HAUSHALT_ABSCHLUSS {text!r}: erwartet MM-TT, z. B. 01-31 (das Jahr Y ist "
            "nach diesem Tag des Jahres Y+1 abgeschlossen)"
        ) from exc
    return month, day


def _over_budget(text: str) -> bool:
    value = text.strip().lower()
    if value not in ("ablehnen", "warnen"):
        raise ConfigurationError(
            f"EINVOICE_MITTEL_UEBERSCHRITTEN {text!r}: möglich sind ablehnen oder warnen"
        )
    return value == "ablehnen"


def load(env: Mapping[str, str] | None = None) -> Settings:
    """Read and check every setting; raise ConfigurationError with a clear text."""
    env = os.environ if env is None else env
    data_dir = Path(env.get("EINVOICE_DATA_DIR") or "data").resolve()
    database_url = env.get("EINVOICE_DATABASE_URL") or f"sqlite:///{data_dir / 'einvoice.db'}"
    if not database_url.startswith(("sqlite", "postgresql")):
        raise ConfigurationError(
            f"EINVOICE_DATABASE_URL {database_url!r}: erwartet sqlite:///... oder postgresql+psycopg://..."
        )
    broker_url = env.get("EINVOICE_BROKER_URL") or "stub"
    if broker_url != "stub" and not broker_url.startswith(("redis://", "rediss://")):
        raise ConfigurationError(
            f"EINVOICE_BROKER_URL {broker_url!r}: erwartet 'stub' oder redis://host:port/db"
        )
    return Settings(
        validation=ValidationPolicy(
            max_bytes=_int(env, "EINVOICE_MAX_BYTES", DEFAULT_MAX_BYTES),
            reject_profiles=_profiles(env, "EINVOICE_REJECT_PROFILES"),
        ),
        data_dir=data_dir,
        database_url=database_url,
        broker_url=broker_url,
        limits=Limits(
            max_message_bytes=_int(env, "EINVOICE_MAX_MESSAGE_BYTES", 50 * 1024 * 1024),
            max_attachment_bytes=_int(env, "EINVOICE_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES),
            max_attachments=_int(env, "EINVOICE_MAX_ATTACHMENTS", 100),
        ),
        imap_password=env.get("EINVOICE_IMAP_PASSWORD") or None,
        poll_interval=_float(env, "EINVOICE_POLL_INTERVAL", 60.0),
        sweep_after=_float(env, "EINVOICE_SWEEP_AFTER", 300.0),
        metrics_port=_int(env, "EINVOICE_METRICS_PORT", 0) or None
        if env.get("EINVOICE_METRICS_PORT")
        else None,
        workflow=_workflow(env),
        blob_store=_blob_store(env),
        s3=_s3(env),
        retention_years=_int(env, "EINVOICE_RETENTION_YEARS", 8),
        draft_days=_int(env, "EINVOICE_DRAFT_RETENTION_DAYS", 180),
        submitted_draft_days=_int(env, "EINVOICE_SUBMITTED_DRAFT_DAYS", 30),
        mailboxes=_mailboxes(env),
        imap_secrets=_imap_secrets(env),
        payments_config=Path(env["EINVOICE_PAYMENTS_CONFIG"]).resolve()
        if (env.get("EINVOICE_PAYMENTS_CONFIG") or "").strip()
        else None,
        backup_dir=Path(env["EINVOICE_BACKUP_DIR"].strip()).resolve()
        if (env.get("EINVOICE_BACKUP_DIR") or "").strip()
        else None,
        max_pdf_renders=_int(env, "EINVOICE_MAX_PDF_RENDERS", 2),
    )


def _blob_store(env: Mapping[str, str]) -> str:
    store = (env.get("EINVOICE_BLOB_STORE") or "local").strip()
    if store not in ("local", "database") and not store.startswith("s3://"):
        raise ConfigurationError(
            f"EINVOICE_BLOB_STORE {store!r}: erwartet local (Ordner DATA_DIR/blobs), "
            "database (in der Datenbank, z. B. PostgreSQL) oder s3://bucket/präfix"
        )
    return store


def _s3(env: Mapping[str, str]) -> S3Location | None:
    store = _blob_store(env)
    return parse_s3_url(store, env) if store.startswith("s3://") else None


def _imap_secrets(env: Mapping[str, str]) -> dict[str, str]:
    """EINVOICE_IMAP_PASSWORD(__NAME) and EINVOICE_IMAP_OAUTH2_SECRET(__NAME)."""
    prefixes = (mailbox_settings.PASSWORD_ENV, mailbox_settings.OAUTH2_SECRET_ENV)
    return {k: v for k, v in env.items() if k.startswith(prefixes) and v}


def _mailboxes(env: Mapping[str, str]) -> tuple[MailboxSettings, ...]:
    raw = (env.get("EINVOICE_MAILBOXES") or "").strip()
    if not raw:
        return ()
    return mailbox_settings.load_file(Path(raw), _imap_secrets(env))
