"""``einvoice demo``: the main job on embedded defaults, in one command.

SQLite (or the empty database EINVOICE_DATABASE_URL names, e.g. PostgreSQL) and
blobs in a demo folder, a local Maildir filled with the shipped
samples (as supplier e-mails, plus one without an invoice, one delivered twice
and one invoice sent again), dramatiq's in-process broker; then it prints what
happened to each invoice.
"""

from __future__ import annotations

import shlex
import shutil
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from einvoice.cli.app import app
from einvoice.presentation.plurals import count_de

if TYPE_CHECKING:
    from einvoice.services.ports import Pipeline

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def _mail(name: str, data: bytes, number: int, message_id: str | None = None) -> bytes:
    message = EmailMessage()
    message["From"] = f"Buchhaltung Lieferant {number} <rechnung{number}@lieferant.example>"
    message["To"] = "rechnungseingang@stadt.example"
    message["Subject"] = f"Rechnung {name}"
    message["Date"] = format_datetime(datetime.now(UTC).replace(second=number % 60))
    message["Message-ID"] = message_id or make_msgid(f"demo{number}", "lieferant.example")
    message.set_content("Sehr geehrte Damen und Herren,\nanbei unsere Rechnung.\n")
    subtype = "pdf" if name.lower().endswith(".pdf") else "xml"
    message.add_attachment(data, maintype="application", subtype=subtype, filename=name)
    return message.as_bytes()


def fill_maildir(maildir: Path, samples: Path) -> int:
    import mailbox

    from einvoice.cli.validate import collect

    box = mailbox.Maildir(maildir, create=True)
    # the valid samples first, then the faulty variants
    files = sorted(collect([samples]), key=lambda p: (len(p.relative_to(samples).parts), p.name))
    first_raw = b""
    for number, file in enumerate(files, 1):
        raw = _mail(file.name, file.read_bytes(), number)
        first_raw = first_raw or raw
        box.add(raw)
    if files:
        box.add(first_raw)  # the same e-mail delivered twice
        box.add(_mail("kopie-" + files[0].name, files[0].read_bytes(), 900))  # sent again
    box.add(_forged_mail())  # pretends to be a known supplier, with another IBAN (issue 12)
    note = EmailMessage()
    note["From"] = "info@lieferant.example"
    note["Subject"] = "Frage zur Bestellung"
    note["Message-ID"] = make_msgid("frage", "lieferant.example")
    note.set_content("Wann wird unsere Rechnung bezahlt?")
    box.add(note.as_bytes())
    box.close()
    return len(files) + 4


def _forged_mail() -> bytes:
    """An e-mail in Bürobedarf Hansen's name whose invoice asks to pay into another account."""
    import dataclasses

    from einvoice.samplegen.spec import example, iban
    from einvoice.samplegen.ubl import to_ubl

    forged = dataclasses.replace(
        example(n_lines=2, seed=0),
        number="BH-2025-04711",
        iban=iban("DE", "370400440532013000"),
        remittance="BH-2025-04711 neue Bankverbindung",
    )
    message = EmailMessage()
    message["From"] = "Buchhaltung Hansen <buchhaltung@buero-hansen-gmbh.example>"
    message["To"] = "rechnungseingang@stadt.example"
    message["Subject"] = "Rechnung BH-2025-04711 - bitte neue Bankverbindung beachten"
    message["Message-ID"] = make_msgid("gefaelscht", "buero-hansen-gmbh.example")
    message.set_content("Bitte überweisen Sie ab sofort auf unser neues Konto.\n")
    message.add_attachment(
        to_ubl(forged), maintype="application", subtype="xml", filename="rechnung-04711.xml"
    )
    return message.as_bytes()


def _seed_creditors(container: object) -> None:
    """The city's creditor file: the sample suppliers, bank accounts verified long ago."""
    from einvoice.samplegen.creditors import sample_creditors
    from einvoice.services.creditors import add_creditor

    for creditor in sample_creditors():
        add_creditor(
            container.pipeline,  # type: ignore[attr-defined]
            creditor,
            "kb.krause",
            verified_how="Altbestand des Finanzverfahrens (Rückruf bei Anlage)",
            verified_by="kb.berger",
        )


@app.command()
def demo(
    samples: Annotated[
        Path, typer.Option("--samples", help="Ordner mit Beispielrechnungen.")
    ] = SAMPLES,
    folder: Annotated[
        Path, typer.Option("--folder", help="Arbeitsordner der Demo (wird neu angelegt).")
    ] = Path("data/demo"),
) -> None:
    """Beispielrechnungen als E-Mails abholen, prüfen, speichern und das Ergebnis zeigen.

    Datenbank: SQLite im Demo-Ordner, oder die in EINVOICE_DATABASE_URL genannte (z. B.
    PostgreSQL; sie muss leer sein). Exit-Code 0: fertig, 2: Ordner oder Datenbank nicht
    geeignet, 3: Datenbank nicht erreichbar.
    """
    import os

    from einvoice import bootstrap, config
    from einvoice.cli.pipeline import run_inline
    from einvoice.workers.actors import poll_source, register

    generate = not samples.is_dir() and samples == SAMPLES  # installed wheel: no samples/
    if not samples.is_dir() and not generate:
        typer.echo(f"Ordner mit Beispielrechnungen nicht gefunden: {samples}", err=True)
        raise typer.Exit(2)
    folder = folder.resolve()
    if folder.exists():
        shutil.rmtree(folder)
    maildir = folder / "Maildir"
    folder.mkdir(parents=True)
    if generate:
        from einvoice.samplegen import write_samples

        samples = folder / "samples"
        write_samples(samples)
        typer.echo(f"Beispielrechnungen erzeugt in {samples}")
    count = fill_maildir(maildir, samples)
    env = {"EINVOICE_DATA_DIR": str(folder / "data"), "EINVOICE_BROKER_URL": "stub"}
    database_url = os.environ.get("EINVOICE_DATABASE_URL", "").strip()
    if database_url:
        env["EINVOICE_DATABASE_URL"] = database_url
    settings = config.load(env)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    _upgrade_empty(settings.database_url, own=not database_url)
    container = bootstrap.build(settings)
    bootstrap.use(container)
    broker = bootstrap.make_broker("stub")
    register(broker)
    typer.echo(f"E-Rechnung Demo: {count} E-Mails im Postfach {maildir}")
    typer.echo(f"Datenbank {_safe(settings.database_url)}, Originale in {settings.blob_dir}\n")
    _seed_creditors(container)
    _seed_chart(container)
    poll_source(f"maildir:{maildir}")
    run_inline(broker)
    _print_outcomes(container)
    _seed_history(container)
    _order_pdf(container, folder)
    _seed_portfolio(container)
    _demo_accounts(container)
    _seed_payments(container)
    bind_demo_supplier(container.pipeline)
    _seed_web_entry(container)
    _print_hints(container, settings.data_dir, samples, database_url)


def _safe(url: str) -> str:
    from einvoice.storage.schema_state import safe_url

    return safe_url(url)


def _upgrade_empty(url: str, *, own: bool) -> None:
    """Bring the database to the newest schema; one not the demo's own must hold nothing yet
    (the demo never deletes in a database it did not create)."""
    from sqlalchemy import func, select
    from sqlalchemy.exc import SQLAlchemyError

    from einvoice.cli.common import fail
    from einvoice.reasons_de import reason_de
    from einvoice.storage import db
    from einvoice.storage.tables import Message

    try:
        db.upgrade(url)
        engine = db.make_engine(url)
        try:
            with engine.connect() as connection:
                messages = connection.scalar(select(func.count()).select_from(Message))
        finally:
            engine.dispose()
    except SQLAlchemyError as exc:
        fail(
            f"Die Datenbank {_safe(url)} ist nicht erreichbar: {reason_de(exc)}. "
            "EINVOICE_DATABASE_URL prüfen (oder leer lassen: SQLite im Demo-Ordner).",
            3,
        )
    if messages and not own:
        fail(
            f"Die Datenbank {_safe(url)} enthält schon {messages} Eingänge. Die Demo braucht "
            "eine leere Datenbank (z. B. createdb einvoice_demo) und löscht nie in einer "
            "fremden; oder EINVOICE_DATABASE_URL leer lassen (SQLite im Demo-Ordner).",
            2,
        )


#: Staff names are those of the routing configuration's people with the same id (the
#: invoice page names signers from there): one person, one name.
DEMO_ACCOUNTS = (
    ("lieferant", "supplier", "Jana Hansen", None, "Bürobedarf Hansen GmbH"),
    ("a10.becker", "clerk", "Martina Becker", "amt-10", None),
    ("a10.schmitt", "approver", "Ralf Schmitt", "amt-10", None),
    ("cdo", "stabsstelle", "Chief Digital Officer", None, None),
    ("kb.krause", "creditor_accounting", "Karin Krause (Kreditorenbuchhaltung)", None, None),
    # bank details take two people: one records the IBAN, another verifies it
    ("kb.berger", "creditor_accounting", "Jonas Berger (Kreditorenbuchhaltung)", None, None),
    ("admin", "admin", "Systemverwaltung", None, None),
)


#: The demo supplier account submits for its own firm: bound to that creditor, entered by one
#: person of creditor accounting and confirmed by a second one (four eyes), as in the city.
DEMO_BINDING = ("lieferant", "K-70001", "kb.krause", "kb.berger")


def bind_demo_supplier(pipeline: Pipeline) -> None:
    """Bind the demo's supplier account to its creditor, so its uploads are not held."""
    from einvoice.services.creditors import bind

    account, creditor, enters, confirms = DEMO_BINDING
    how = "Demo: Rückruf bei Jana Hansen unter der bekannten Nummer des Kreditors"
    bind(pipeline, account, creditor, enters, how)
    binding, _ = bind(pipeline, account, creditor, confirms, how)
    typer.echo(
        f"Portalkonto {binding.account} an {binding.creditor_number} {binding.creditor_name} "
        f"gebunden (erfasst von {enters}, bestätigt von {confirms})."
    )


def _seed_web_entry(container: object) -> None:
    """The demo supplier types one invoice into the portal's form (Weberfassung)."""
    from einvoice.services import workflow
    from einvoice.services.demo_entry import seed_entry

    pipeline = container.pipeline  # type: ignore[attr-defined]
    done = seed_entry(pipeline, DEMO_BINDING[0], lambda i: workflow.route(pipeline, i))
    typer.echo(done.summary_de)


def _seed_history(container: object) -> None:
    from datetime import date

    from einvoice.services.demo_history import seed_pilot_history

    typer.echo("\nPilotbetrieb der letzten Wochen wird nachgestellt …")
    done = seed_pilot_history(container.pipeline, date.today())  # type: ignore[attr-defined]
    typer.echo(
        f"Pilotbetrieb: {done.received} Rechnungen eingegangen, {done.approved} angeordnet, "
        f"{done.rejected} abgelehnt, {done.returned} zur Korrektur zurückgegeben "
        f"({done.corrected} korrigiert erneut eingereicht), {done.open} offen; "
        f"{done.exports} Übergaben an die Stadtkasse."
    )


def _seed_payments(container: object) -> None:
    from datetime import date

    from einvoice.formats.payment_files import load_settings
    from einvoice.services.demo_payments import seed_payments

    settings = load_settings(container.settings.payments_config)  # type: ignore[attr-defined]
    done = seed_payments(container.pipeline, date.today(), "kb.krause", settings)  # type: ignore[attr-defined]
    if done is not None:
        typer.echo(f"Zahlungsrückmeldung der Bank eingelesen: {done.summary_de}")


def _seed_chart(container: object) -> None:
    from datetime import date

    from einvoice.services.demo_kontierung import seed_chart

    done = seed_chart(container.pipeline, "kb.krause", date.today())  # type: ignore[attr-defined]
    typer.echo(
        f"Kontenplan der Stadt eingelesen: {done.created} Buchungsstellen, {done.funds} mit "
        "verfügbaren Mitteln."
    )


def _order_pdf(container: object, folder: Path) -> None:
    """One Auszahlungsanordnung of the demo as PDF (Chromium prints it)."""
    from sqlalchemy import select

    from einvoice.errors import PermanentError
    from einvoice.services.auszahlungsanordnung import render_pdf
    from einvoice.storage.kontierung_tables import PaymentOrderLineRow, PaymentOrderRow

    pipeline = container.pipeline  # type: ignore[attr-defined]
    with pipeline.sessions() as session:
        found = session.execute(
            select(PaymentOrderRow.invoice_id, PaymentOrderRow.number)
            .join(PaymentOrderLineRow, PaymentOrderLineRow.invoice_id == PaymentOrderRow.invoice_id)
            .order_by(PaymentOrderRow.ordered_at.desc())
            .limit(1)
        ).first()
    if found is None:
        typer.echo(
            "Keine Anordnung mit Kontierung in der Demo: keine Auszahlungsanordnung als PDF."
        )
        return
    target = folder / f"auszahlungsanordnung-{found.number}.pdf"
    try:
        target.write_bytes(render_pdf(pipeline, found.invoice_id))
    except PermanentError as exc:
        typer.echo(f"Auszahlungsanordnung {found.number} nicht als PDF geschrieben: {exc}")
        return
    typer.echo(f"Auszahlungsanordnung {found.number} als PDF: {_short(target)}")


def _seed_portfolio(container: object) -> None:
    from datetime import date

    from einvoice.services.demo_portfolio import seed_portfolio

    count = seed_portfolio(container.sessions, date.today())  # type: ignore[attr-defined]
    typer.echo(f"Beispiel-Portfolio der Stabsstelle angelegt: {count} Projekte.")


def _short(path: Path) -> str:
    """``path`` relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _command_prefix(data_dir: Path, database_url: str = "") -> str:
    """``EINVOICE_DATA_DIR=... einvoice`` as the user can type it from here (with the
    database URL the demo used, its password masked)."""
    import os
    import shlex
    import shutil
    import sys

    short = _short

    program = Path(sys.argv[0])
    if program.name == "einvoice" and program.is_file():
        on_path = shutil.which("einvoice")
        if on_path and Path(on_path).resolve() == program.resolve():
            exe = "einvoice"
        else:
            exe = short(program.resolve())
            exe = exe if os.sep in exe else f".{os.sep}{exe}"
    else:  # python -m einvoice
        exe = f"{shlex.quote(sys.executable)} -m einvoice.cli"
    database = f"EINVOICE_DATABASE_URL={shlex.quote(_safe(database_url))} " if database_url else ""
    return f"{database}EINVOICE_DATA_DIR={shlex.quote(short(data_dir))} {exe}"


def _print_hints(container: object, data_dir: Path, samples: Path, database_url: str = "") -> None:
    """Next steps, each line working as printed (the demo's data folder is on every line)."""
    from sqlalchemy import select

    from einvoice.storage.tables import Invoice, Workflow

    with container.sessions() as session:  # type: ignore[attr-defined]
        first = session.scalars(
            select(Invoice.id)
            .join(Workflow, Workflow.invoice_id == Invoice.id)
            .where(Workflow.department == "amt-10")
            .order_by(Invoice.id)
        ).first()
    run = _command_prefix(data_dir, database_url)
    typer.echo("\nWeiter (jede Zeile so ausführbar; die Einstellung zeigt auf die Demo-Daten):")
    hints = [
        f"{run} status",
        f"{run} validate {shlex.quote(_short(samples))}/",
        f"{run} failures list",
        f"{run} queue list amt-10",
    ]
    if first is not None:
        hints.append(f"{run} invoice show {first} --as a10.becker")
    hints += [
        f"{run} doctor",
        f"{run} web   # dann http://127.0.0.1:8000/login",
    ]
    for hint in hints:
        typer.echo(f"  {hint}")
    if "***" in run:
        typer.echo("  (*** durch das Passwort der Datenbank ersetzen)")


def _demo_accounts(container: object) -> None:
    """Demo log-ins with random passwords (printed once, never fixed in the code)."""
    import secrets

    from einvoice.services.accounts import Role, create_account

    typer.echo("\nDemo-Zugänge für die Web-Anwendung (Passwörter zufällig, nur für diese Demo):")
    for username, role, name, department, organisation in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(12)
        create_account(
            container.sessions,  # type: ignore[attr-defined]
            username,
            password,
            Role(role),
            name,
            department=department,
            organisation=organisation,
        )
        typer.echo(f"  {username:<12} {Role(role).label_de:<20} Passwort: {password}")


def _money(value: object) -> str:
    from decimal import Decimal

    if not isinstance(value, Decimal):
        return "?"
    text = f"{value:,.2f}"  # 1,234.50 -> German 1.234,50
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _print_outcomes(container: object) -> None:
    from sqlalchemy import select

    from einvoice.services.status import status
    from einvoice.storage.tables import DuplicateRecord, FindingRow, Invoice, Message

    pipeline = container.pipeline  # type: ignore[attr-defined]
    with pipeline.sessions() as session:
        for message in session.scalars(select(Message).order_by(Message.id)):
            typer.echo(f"E-Mail {message.id}: {message.subject or '(ohne Betreff)'}")
            if message.deliveries > 1:
                typer.echo(f"    {message.deliveries}x zugestellt - nur einmal verarbeitet")
            if not message.documents:
                typer.echo(f"    {message.state}: {message.reason}")
            for document in message.documents:
                invoice = session.scalars(
                    select(Invoice).where(Invoice.document_id == document.id)
                ).first()
                verdict = {"accept": "angenommen", "reject": "abgelehnt"}.get(
                    document.recommendation or "", document.state
                )
                line = f"    {document.filename}: {verdict}"
                if document.state == "duplicate":
                    record = session.scalars(
                        select(DuplicateRecord).where(DuplicateRecord.document_id == document.id)
                    ).first()
                    original = (
                        session.get(Invoice, record.original_invoice_id)
                        if record and record.original_invoice_id
                        else None
                    )
                    line = f"    {document.filename}: Duplikat - " + (
                        f"Rechnung {original.number} ({_money(original.total_with_vat)} "
                        f"{original.currency}) wurde bereits angenommen, nicht erneut verarbeitet"
                        if original
                        else "bereits empfangen"
                    )
                if invoice is not None:
                    line += (
                        f" - Rechnung {invoice.number} von {invoice.seller_name}, "
                        f"{_money(invoice.total_with_vat)} {invoice.currency}, "
                        f"{invoice.line_count} Positionen, "
                        + (
                            f"Leitweg-ID {invoice.buyer_reference}"
                            if invoice.buyer_reference
                            else "ohne Leitweg-ID"
                        )
                    )
                typer.echo(line)
                if invoice is not None:
                    typer.echo(_workflow_line(session, container, invoice.id))
                errors = session.scalars(
                    select(FindingRow).where(
                        FindingRow.document_id == document.id, FindingRow.severity == "error"
                    )
                ).all()
                for finding in errors[:2]:
                    typer.echo(f"        {finding.rule}: {finding.message_de[:100]}")
                if document.state == "failed":
                    typer.echo(f"        Fehler: {document.last_error}")
    counts = status(pipeline)
    typer.echo(
        f"\nErgebnis: {counts['invoices']} Rechnungen gespeichert ({counts['accepted']} "
        f"angenommen, {counts['rejected']} abgelehnt), {counts['duplicates']} Duplikate, "
        f"{count_de(counts['no_invoice'], 'E-Mail')} ohne Rechnung, "
        f"{counts['failed']} fehlgeschlagen, "
        f"{counts['pending']} offen."
    )


def _workflow_line(session: object, container: object, invoice_id: int) -> str:
    """Where the invoice went in the approval workflow (one line)."""
    from sqlalchemy import select

    from einvoice.storage.tables import Notification, Workflow

    flow = session.get(Workflow, invoice_id)  # type: ignore[attr-defined]
    if flow is None:
        return "        -> noch keinem Amt zugeordnet"
    if flow.department:
        config = container.pipeline.workflow.routing()  # type: ignore[attr-defined]
        dept = config.department(flow.department)
        line = f"        -> Arbeitskorb: {dept.name if dept else flow.department}"
        from einvoice.services.holds import holds_in

        for hold in holds_in(session, invoice_id):  # type: ignore[arg-type]
            if hold.open:
                line += f"\n        GESPERRT ({hold.title_de}): {hold.message_de}"
        return line
    notice = session.scalars(  # type: ignore[attr-defined]
        select(Notification).where(Notification.invoice_id == invoice_id)
    ).first()
    if notice is None:
        return "        -> abgelehnt"
    pending = (
        " (E-Mail wartet: kein SMTP-Server eingerichtet)" if notice.status == "pending" else ""
    )
    return f"        -> abgelehnt, Lieferant wird benachrichtigt: {notice.recipient}{pending}"
