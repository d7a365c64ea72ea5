"""Is the database there and upgraded? German answers for the operator.

The embedded default (SQLite in the data folder) is created and upgraded on
first use; any other database must be upgraded on purpose (``einvoice db upgrade``),
and a command that needs it says so instead of failing on a missing table.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from einvoice.errors import ConfigurationError
from einvoice.reasons_de import reason_de


class DatabaseNotReady(ConfigurationError):
    """The database is unreachable, empty or behind the code's schema."""


class DatabaseUnreachable(DatabaseNotReady):
    """No connection to the database (server down, wrong host, SQLite file not openable)."""


@dataclass(frozen=True, slots=True)
class SchemaState:
    current: str | None  # revision in the database; None: never upgraded
    head: str  # newest revision the code knows

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


def safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None, "the migrations have one head"
    return head


def schema_state(engine: Engine) -> SchemaState:
    """The revision the database is at (raises DatabaseNotReady if unreachable)."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as exc:
        raise DatabaseUnreachable(
            f"Die Datenbank {safe_url(str(engine.url))} ist nicht erreichbar: "
            f"{reason_de(exc)}.\n"
            "Läuft der Datenbankserver, stimmen Rechner, Benutzer und Passwort in "
            "EINVOICE_DATABASE_URL? (Prüfen mit: einvoice doctor)"
        ) from exc
    return SchemaState(current, head_revision())


def is_embedded(url: str, data_dir: Path) -> bool:
    """The built-in default: an SQLite file inside the data folder."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return False
    return Path(parsed.database).resolve() == (data_dir / "einvoice.db").resolve()


def ensure_ready(engine: Engine, url: str, data_dir: Path) -> None:
    """Upgrade the embedded SQLite default on first use; otherwise explain what to do."""
    state = schema_state(engine)
    if state.up_to_date:
        return
    if is_embedded(url, data_dir):
        from einvoice.storage import db

        db.upgrade(url)
        return
    where = safe_url(url)
    if state.current is None:
        raise DatabaseNotReady(
            f"Die Datenbank {where} ist leer: Tabellen wurden noch nicht angelegt.\n"
            "Einmal ausführen: einvoice db upgrade   (legt das Schema an; mit denselben "
            "Einstellungen EINVOICE_DATABASE_URL / EINVOICE_DATA_DIR wie dieser Befehl)"
        )
    raise DatabaseNotReady(
        f"Die Datenbank {where} hat den Schema-Stand {state.current}, diese Version von "
        f"einvoice braucht {state.head}.\n"
        "Ausführen: einvoice db upgrade   (vorher eine Sicherung: einvoice backup --out ORDNER)"
    )
