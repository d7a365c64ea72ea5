"""The demo's Weberfassung (issue 26): the demo supplier types one invoice into the portal.

The supplier account bound to its creditor starts a draft (prefilled from the creditor
file: name, address, VAT id, verified bank account), types a two-line invoice to Amt 10
with Skonto and submits it - through the very services the page ``/rechnung-erfassen``
uses, so the demo shows what a supplier without e-invoice software gets: an XRechnung the
city accepts, in the office's queue, channel "Weberfassung".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from einvoice.errors import PermanentError
from einvoice.services import invoice_entry as entry
from einvoice.services import invoice_entry_submit as entry_submit
from einvoice.services.ports import Pipeline
from einvoice.services.workflow_base import ports_of
from einvoice.storage.accounts import Account
from einvoice.storage.tables import Invoice, Workflow

#: The office the demo invoice goes to (its first Leitweg-ID).
DEPARTMENT = "amt-10"
#: The seller's e-mail address (BT-34) the supplier types when the account has none.
MAILBOX = "rechnung@buerobedarf-hansen.example"


@dataclass(frozen=True, slots=True)
class EntrySummary:
    number: str
    invoice_id: int
    seller: str
    amount: str  # "325,12 EUR"
    department: str  # the office's name, "" when not routed to one
    holds: tuple[str, ...]  # open payment holds (German titles)

    @property
    def summary_de(self) -> str:
        """One German line for the demo's output."""
        where = f"im Arbeitskorb {self.department}" if self.department else "keinem Amt zugeordnet"
        held = f", GESPERRT: {', '.join(self.holds)}" if self.holds else ""
        return (
            f"1 Rechnung über die Weberfassung erfasst ({self.number} von {self.seller}, "
            f"2 Positionen, {self.amount}, 2 % Skonto bei Zahlung binnen 14 Tagen): "
            f"{where}{held}."
        )


def invoice_values(today: date, leitweg_id: str) -> dict[str, str]:
    """What the supplier types: two lines, delivery date, Skonto (the rest is prefilled)."""
    return {
        "nummer": f"RE-{today:%Y}-0815",
        "datum": today.isoformat(),
        "leitweg_id": leitweg_id,
        "bestellnummer": "B-2026-117",
        "lieferdatum": today.isoformat(),
        "kontakt_telefon": "0421 555 1200",
        "zeile-1-beschreibung": "Kopierpapier A4, 80 g/m², Karton mit 5 x 500 Blatt",
        "zeile-1-menge": "12",
        "zeile-1-einheit": "H87",
        "zeile-1-preis": "21,90",
        "zeile-1-ust": "S:19",
        "zeile-2-beschreibung": "Anlieferung ins Rathaus, 2. OG",
        "zeile-2-menge": "1",
        "zeile-2-einheit": "LS",
        "zeile-2-preis": "18,50",
        "zeile-2-ust": "S:19",
        "skonto_tage": "14",
        "skonto_prozent": "2,00",
    }


def seed_entry(
    pipeline: Pipeline, username: str, on_invoice: Callable[[int], object]
) -> EntrySummary:
    """``username`` (a supplier account bound to its creditor) types and submits the
    invoice; PermanentError naming the field errors or findings if it would be refused."""
    office = ports_of(pipeline).routing().department(DEPARTMENT)
    if office is None or not office.leitweg_ids:
        raise PermanentError(f"Die Demo braucht das Amt {DEPARTMENT} mit einer Leitweg-ID.")
    with pipeline.sessions() as session:
        account_id = session.scalars(select(Account.id).where(Account.username == username)).one()
    draft_id = entry.create(pipeline, account_id, "380")
    prefilled = entry.draft(pipeline, account_id, draft_id).values
    typed = prefilled | invoice_values(entry.today(pipeline), office.leitweg_ids[0].text)
    for field in ("verkaeufer_email", "kontakt_email"):  # the account has none: typed in
        typed.setdefault(field, MAILBOX)
    entry.save(pipeline, account_id, draft_id, typed)
    found: list[int] = []

    def route(invoice_id: int) -> None:
        found.append(invoice_id)
        on_invoice(invoice_id)

    done = entry_submit.submit(pipeline, account_id, draft_id, route)
    if isinstance(done, entry_submit.Checked):
        problems = [f"{e.field}: {e.message_de}" for e in done.field_errors] + [
            f"{f.rule}: {f.message_de}" for f in done.validation_errors
        ]
        raise PermanentError(
            "Die Demo-Rechnung der Weberfassung wurde abgewiesen: " + "; ".join(problems)
        )
    if not found:
        raise PermanentError(
            "Die Demo-Rechnung der Weberfassung wurde nicht als Rechnung gespeichert."
        )
    return _summary(pipeline, typed["nummer"], found[0])


def _summary(pipeline: Pipeline, number: str, invoice_id: int) -> EntrySummary:
    from einvoice.services.holds import holds_in

    with pipeline.sessions() as session:
        invoice = session.get(Invoice, invoice_id)
        flow = session.get(Workflow, invoice_id)
        assert invoice is not None
        office = (
            ports_of(pipeline).routing().department(flow.department)
            if flow is not None and flow.department
            else None
        )
        total = invoice.total_with_vat
        amount = f"{total:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
        return EntrySummary(
            number,
            invoice_id,
            invoice.seller_name or "",
            f"{amount} {invoice.currency or 'EUR'}",
            office.name if office is not None else "",
            tuple(h.title_de for h in holds_in(session, invoice_id) if h.open),
        )
