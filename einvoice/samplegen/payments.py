"""Sample payment files: the cash system's CSV and the bank's camt.054 / camt.053.

For the demo, the tests and the benchmark; the camt files follow the structure
of ``camt.054.001.08`` / ``camt.053.001.08`` (the DK's current versions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from xml.sax.saxutils import escape

CAMT_NS = {
    "camt.054": "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08",
    "camt.053": "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08",
}


@dataclass(frozen=True, slots=True)
class SamplePayment:
    amount: Decimal
    booked_on: date
    remittance: str  # Verwendungszweck, e.g. "AO-0000012 Rechnung R-1"
    reference: str  # the bank's / cash system's reference of the booking
    iban: str | None = None  # the payee's account
    name: str | None = None  # the payee
    order: str = ""  # the cash system's order column (CSV only)


def german_amount(value: Decimal) -> str:
    """``1234.5`` -> ``1.234,50``."""
    return f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


def payment_csv(payments: Sequence[SamplePayment]) -> bytes:
    """The cash system's confirmation in the demo city's layout (data/payments.toml)."""
    lines = [
        "Buchungsreferenz;Anordnungsnummer;Zahlungsdatum;Betrag;Währung;IBAN;Empfänger;"
        "Verwendungszweck"
    ]
    for p in payments:
        cells = (
            p.reference,
            p.order,
            f"{p.booked_on:%d.%m.%Y}",
            german_amount(p.amount),
            "EUR",
            p.iban or "",
            (p.name or "").replace(";", ","),
            p.remittance.replace(";", ","),
        )
        lines.append(";".join(cells))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def _transaction(p: SamplePayment) -> str:
    party = f"<Cdtr><Pty><Nm>{escape(p.name)}</Nm></Pty></Cdtr>" if p.name else ""
    account = f"<CdtrAcct><Id><IBAN>{p.iban}</IBAN></Id></CdtrAcct>" if p.iban else ""
    related = f"<RltdPties>{party}{account}</RltdPties>" if party or account else ""
    return (
        f"<TxDtls><Refs><AcctSvcrRef>{escape(p.reference)}</AcctSvcrRef>"
        f"<EndToEndId>NOTPROVIDED</EndToEndId></Refs>"
        f'<Amt Ccy="EUR">{p.amount:.2f}</Amt><CdtDbtInd>DBIT</CdtDbtInd>{related}'
        f"<RmtInf><Ustrd>{escape(p.remittance)}</Ustrd></RmtInf></TxDtls>"
    )


def camt(
    account: str,
    payments: Sequence[SamplePayment],
    *,
    kind: str = "camt.054",
    message_id: str = "MSG-1",
    created: str = "2026-12-05T18:00:00",
) -> bytes:
    """A camt.054 (or camt.053) of ``account`` with one booked debit entry per payment."""
    body, report = (
        ("BkToCstmrDbtCdtNtfctn", "Ntfctn") if kind == "camt.054" else ("BkToCstmrStmt", "Stmt")
    )
    entries = "".join(
        "<Ntry>"
        f'<Amt Ccy="EUR">{p.amount:.2f}</Amt><CdtDbtInd>DBIT</CdtDbtInd>'
        "<Sts><Cd>BOOK</Cd></Sts>"
        f"<BookgDt><Dt>{p.booked_on.isoformat()}</Dt></BookgDt>"
        f"<ValDt><Dt>{p.booked_on.isoformat()}</Dt></ValDt>"
        f"<AcctSvcrRef>{escape(p.reference)}</AcctSvcrRef>"
        "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn>"
        "</BkTxCd>"
        f"<NtryDtls>{_transaction(p)}</NtryDtls>"
        "</Ntry>\n"
        for p in payments
    )
    total = sum((p.amount.quantize(Decimal("0.01")) for p in payments), Decimal(0))
    summary = (
        f"<TxsSummry><TtlNtries><NbOfNtries>{len(payments)}</NbOfNtries></TtlNtries>"
        f"<TtlDbtNtries><NbOfNtries>{len(payments)}</NbOfNtries><Sum>{total:.2f}</Sum>"
        "</TtlDbtNtries></TxsSummry>"
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<Document xmlns="{CAMT_NS[kind]}">\n<{body}>\n'
        f"<GrpHdr><MsgId>{escape(message_id)}</MsgId><CreDtTm>{created}</CreDtTm></GrpHdr>\n"
        f"<{report}><Id>{escape(message_id)}-1</Id><CreDtTm>{created}</CreDtTm>"
        f"<Acct><Id><IBAN>{account}</IBAN></Id></Acct>\n{summary}\n{entries}</{report}>\n"
        f"</{body}>\n</Document>\n"
    )
    return xml.encode("utf-8")
