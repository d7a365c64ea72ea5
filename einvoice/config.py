"""Settings from environment variables, read and checked in one place.

Secrets (IMAP password) have no default. Everything else defaults to the
embedded set-up: SQLite and blobs in ``EINVOICE_DATA_DIR``, in-process broker.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from einvoice.errors import ConfigurationError
from einvoice.formats.safexml import DEFAULT_MAX_BYTES
from einvoice.formats.validation import NOT_INVOICE_PROFILES, ValidationPolicy
from einvoice.mailbox.mime import Limits


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

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} muss eine ganze Zahl sein, nicht {raw!r}") from exc
    if value <= 0:
        raise ConfigurationError(f"{name} muss positiv sein, nicht {value}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} muss eine Zahl sein, nicht {raw!r}") from exc
    if value <= 0:
        raise ConfigurationError(f"{name} muss positiv sein, nicht {value}")
    return value


def _profiles(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    raw = env.get(name, "")
    chosen = tuple(p.strip().upper() for p in raw.split(",") if p.strip())
    unknown = [p for p in chosen if p not in NOT_INVOICE_PROFILES]
    if unknown:
        raise ConfigurationError(
            f"{name}: unbekannte(s) Profil(e) {unknown}; möglich: {', '.join(NOT_INVOICE_PROFILES)}"
        )
    return chosen


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
    )
