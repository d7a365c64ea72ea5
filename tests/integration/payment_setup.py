"""Helpers for the payment tests: ordered invoices with a Skonto offer, a creditor accountant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from einvoice.formats.payment_files import load_settings
from einvoice.samplegen.spec import Skonto
from einvoice.services import workflow
from einvoice.services.accounts import Role, create_account
from einvoice.services.ports import Pipeline
from einvoice.storage.tables import DeadlineRow, Workflow
from tests.integration.workflow_setup import receive, sample

CITY_ACCOUNT = "DE98820510000163000080"
OTHER_ACCOUNT = "DE70820510000163000099"
KB = "kb.krause"
KB2 = "kb.berger"
SETTINGS = load_settings(None)


@dataclass(frozen=True)
class Ordered:
    invoice_id: int
    amount: Decimal
    skonto: Decimal  # the discount offered
    skonto_deadline: date
    iban: str
    seller: str


def accountants(pipeline: Pipeline) -> None:
    for name in (KB, KB2):
        create_account(
            pipeline.sessions,
            name,
            "ein-langes-passwort",
            Role.CREDITOR_ACCOUNTING,
            f"{name} (Kreditorenbuchhaltung)",
        )


def ordered(pipeline: Pipeline, seed: int, issue: date = date(2025, 3, 15)) -> Ordered:
    """A sample invoice (Skonto 2 % in 14 days) received, routed, signed and ordered."""
    invoice = sample(
        seed,
        issue_date=issue,
        due_date=issue + timedelta(days=30),
        skonto=(Skonto(14, Decimal("2.00")),),
    )
    invoice_id = receive(pipeline, invoice)
    workflow.route(pipeline, invoice_id)
    workflow.act(pipeline, invoice_id, "confirm_sachlich", "a10.becker")
    workflow.act(pipeline, invoice_id, "confirm_rechnerisch", "a10.neumann")
    workflow.act(pipeline, invoice_id, "order", "a10.schmitt")
    with pipeline.sessions() as session:
        flow = session.get(Workflow, invoice_id)
        assert flow is not None and flow.status == "angeordnet", flow
        offer = session.scalars(
            select(DeadlineRow).where(
                DeadlineRow.invoice_id == invoice_id, DeadlineRow.kind == "skonto"
            )
        ).one()
        assert offer.discount is not None
        return Ordered(
            invoice_id,
            Decimal(flow.amount),
            Decimal(offer.discount),
            offer.due_on,
            invoice.iban.replace(" ", ""),
            invoice.seller.name,
        )
