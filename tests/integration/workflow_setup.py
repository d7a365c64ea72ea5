"""Helpers for the workflow tests: a pipeline with a test clock and mailer, invoices in."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from einvoice.bootstrap import Container
from einvoice.samplegen.cii import to_cii
from einvoice.samplegen.spec import InvoiceLine, SampleInvoice, example, leitweg_id
from einvoice.samplegen.ubl import to_ubl
from einvoice.services import ingest, process
from einvoice.services.ports import OutgoingMail, Pipeline
from tests.integration.mail import email_with

#: Leitweg-IDs of samples/routing.toml
AMT_10 = "04011000-1234512345-06"
AMT_66 = "04011000-12353-76"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class FakeMailer:
    sent: list[OutgoingMail] = field(default_factory=list)
    error: Exception | None = None

    def send(self, mail: OutgoingMail) -> None:
        if self.error is not None:
            raise self.error
        self.sent.append(mail)


@dataclass
class Setup:
    pipeline: Pipeline
    mailer: FakeMailer
    clock: Clock


def setup(container: Container, now: datetime | None = None, *, creditors: bool = True) -> Setup:
    """The container's pipeline with a fixed clock and a recording mailer.

    ``creditors``: the sample suppliers are in the creditor master data, their
    bank accounts verified (so their invoices carry no supplier holds).
    """
    mailer = FakeMailer()
    clock = Clock(now or datetime(2025, 3, 20, 9, 0, tzinfo=UTC))
    assert container.pipeline.workflow is not None
    ports = dataclasses.replace(container.pipeline.workflow, mailer=mailer)
    pipeline = dataclasses.replace(container.pipeline, workflow=ports, clock=clock)
    if creditors:
        seed_creditors(pipeline)
    return Setup(pipeline, mailer, clock)


def seed_creditors(pipeline: Pipeline) -> None:
    """The sample suppliers as creditors with verified bank accounts (no supplier holds)."""
    from einvoice.samplegen.creditors import sample_creditors
    from einvoice.services.creditors import add_creditor

    for creditor in sample_creditors():
        add_creditor(
            pipeline, creditor, "kb.test", verified_how="Testdaten: Rückruf", verified_by="kb.zweit"
        )


def sample(seed: int, **changes: object) -> SampleInvoice:
    return dataclasses.replace(example(n_lines=2, seed=seed), **changes)  # type: ignore[arg-type]


def big_sample(seed: int, net: str, **changes: object) -> SampleInvoice:
    """One line of ``net`` EUR plus 19 % VAT."""
    line = InvoiceLine("1", "Beratungsleistung", Decimal(1), "C62", Decimal(net), Decimal(19))
    return sample(seed, lines=(line,), **changes)


def receive(
    pipeline: Pipeline,
    invoice: SampleInvoice,
    *,
    syntax: str = "ubl",
    sender: str = "Lieferant <rechnung@lieferant.example>",
) -> int:
    """The invoice e-mailed, split, validated and stored: its invoice id (not routed yet)."""
    data = to_ubl(invoice) if syntax == "ubl" else to_cii(invoice)
    raw = email_with([("rechnung.xml", data)], sender=sender)
    received = ingest.receive(pipeline, raw, "mail", "test")
    (document_id,) = ingest.split(pipeline, received.message_id)
    outcome = process.process(pipeline, document_id)
    assert outcome.invoice_id is not None, outcome
    return outcome.invoice_id


__all__ = [
    "AMT_10",
    "AMT_66",
    "Clock",
    "FakeMailer",
    "Setup",
    "big_sample",
    "leitweg_id",
    "receive",
    "sample",
    "seed_creditors",
    "setup",
]
