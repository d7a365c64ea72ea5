"""``einvoice backup`` and ``einvoice restore``: the whole state, consistent and verified."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from einvoice.cli.app import app
from einvoice.cli.common import container, fail, interactive


def _progress(quiet: bool) -> Callable[[str], None]:
    def say(text: str) -> None:
        if not quiet:
            typer.echo(text, err=True)

    return say


@app.command()
def backup(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Neuer, leerer Ordner für die Sicherung (Standard: ein neuer Ordner mit "
            "Datum und Uhrzeit in EINVOICE_BACKUP_DIR).",
        ),
    ] = None,
) -> None:
    """Datenbank und alle Originale konsistent sichern, auch während Worker laufen.

    Schreibt einen Datenbank-Abzug (pg_dump bzw. SQLite-Backup-API), die Originale und
    zuletzt manifest.json mit Hashes und Zeilenzahlen. Die jüngste Sicherung in
    EINVOICE_BACKUP_DIR zeigt die Metrik einvoice_backup_last_success_timestamp_seconds.
    """
    from einvoice.ops.backup import BackupError, dated_folder
    from einvoice.ops.backup import backup as run

    c = container(ready=False)
    if out is None:
        if c.settings.backup_dir is None:
            fail("Wohin? --out ORDNER angeben oder EINVOICE_BACKUP_DIR setzen.", 2)
        out = dated_folder(c.settings.backup_dir)
    try:
        manifest = run(
            c.settings.database_url,
            c.pipeline.blobs,
            out.resolve(),
            _progress(not interactive()),
        )
    except BackupError as exc:
        fail(f"Sicherung fehlgeschlagen: {exc}", 1)
    counts = manifest.counts
    from einvoice.logs import announce

    announce(
        f"Sicherung in {out}: {counts.get('invoices', 0)} Rechnungen, "
        f"{counts.get('audit_events', 0)} Prüfspur-Ereignisse, {len(manifest.blobs)} Originale, "
        f"Schema {manifest.data['database']['revision']}."
    )


@app.command()
def restore(
    folder: Annotated[Path, typer.Argument(help="Ordner einer Sicherung (mit manifest.json).")],
    verify_only: Annotated[
        bool, typer.Option("--verify-only", help="Nur die Sicherung gegen ihr Manifest prüfen.")
    ] = False,
) -> None:
    """Eine Sicherung in eine leere Installation zurückspielen und gegen das Manifest prüfen.

    Danach empfohlen: einvoice fsck und einvoice audit verify.
    """
    from einvoice.ops.backup import BackupError, verify_folder
    from einvoice.ops.backup import restore as run

    progress = _progress(not interactive())
    try:
        if verify_only:
            manifest = verify_folder(folder, progress)
            typer.echo(f"Sicherung {folder} ist vollständig ({len(manifest.blobs)} Originale).")
            return
        c = container(ready=False)
        manifest = run(folder, c.settings.database_url, c.pipeline.blobs, progress)
    except BackupError as exc:
        fail(f"Wiederherstellen fehlgeschlagen: {exc}", 1)
    typer.echo(
        f"Wiederhergestellt aus {folder}: alle {len(manifest.counts)} Tabellen mit gleichen "
        f"Zeilenzahlen, {len(manifest.blobs)} Originale geprüft.\n"
        "Weiter: einvoice fsck  und  einvoice audit verify"
    )
