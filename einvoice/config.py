"""Settings, read from the environment in one place (no defaults for secrets)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from einvoice.errors import ConfigurationError
from einvoice.formats.safexml import DEFAULT_MAX_BYTES
from einvoice.formats.validation import NOT_INVOICE_PROFILES, ValidationPolicy


@dataclass(frozen=True, slots=True)
class Settings:
    validation: ValidationPolicy


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number of bytes, got {raw!r}") from exc
    if value <= 0:
        raise ConfigurationError(f"{name} must be positive, got {value}")
    return value


def _profiles(name: str) -> tuple[str, ...]:
    raw = os.environ.get(name, "")
    chosen = tuple(p.strip().upper() for p in raw.split(",") if p.strip())
    unknown = [p for p in chosen if p not in NOT_INVOICE_PROFILES]
    if unknown:
        raise ConfigurationError(
            f"{name}: unknown profile(s) {unknown}; possible: {', '.join(NOT_INVOICE_PROFILES)}"
        )
    return chosen


def load() -> Settings:
    """Read and check every setting; raise ConfigurationError with a clear text."""
    return Settings(
        validation=ValidationPolicy(
            max_bytes=_int("EINVOICE_MAX_BYTES", DEFAULT_MAX_BYTES),
            reject_profiles=_profiles("EINVOICE_REJECT_PROFILES"),
        )
    )
