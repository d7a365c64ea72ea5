"""The seven faulty e-mails of issue 15 (each must end in a visible, counted, explained state)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.integration.mail import email_with, invoice_xml

SAMPLE_PDF = Path(__file__).resolve().parents[2] / "samples" / "zugferd-en16931.pdf"


def _sub(xml: bytes, pattern: str, replacement: str) -> bytes:
    changed, n = re.subn(pattern.encode(), replacement.encode(), xml, count=1)
    assert n == 1, pattern
    return changed


def faulty_emails(seed: int = 90_000) -> dict[str, bytes]:
    """label -> raw e-mail; the sender is ``fehler-<label>@lieferant.example``."""
    base = invoice_xml
    pdf = SAMPLE_PDF.read_bytes()
    attachments: dict[str, tuple[str, bytes]] = {
        "empty_xml": ("leer.xml", b""),
        "truncated_pdf": ("halb.pdf", pdf[: len(pdf) // 2]),
        "datetime_bt2": (
            "zeit.xml",
            _sub(base(seed + 1), r"<cbc:IssueDate>[^<]*<", "<cbc:IssueDate>2025-03-21T10:15:00<"),
        ),
        "overflow_amount": (
            "gross.xml",
            _sub(
                base(seed + 2),
                r'<cbc:PayableAmount currencyID="EUR">[^<]*<',
                '<cbc:PayableAmount currencyID="EUR">12345678901234567890.00<',
            ),
        ),
        "currency_euro": (
            "euro.xml",
            _sub(
                base(seed + 3),
                r"<cbc:DocumentCurrencyCode>EUR<",
                "<cbc:DocumentCurrencyCode>EURO<",
            ),
        ),
        "long_type_code": (
            "typ.xml",
            _sub(
                base(seed + 4),
                r"<cbc:InvoiceTypeCode>380<",
                "<cbc:InvoiceTypeCode>380380380380<",
            ),
        ),
        "attachment_25mb": ("riesig.xml", base(seed + 5) + b"<!--" + b"x" * (25 << 20) + b"-->"),
    }
    return {
        label: email_with([attachment], sender=f"fehler-{label}@lieferant.example")
        for label, attachment in attachments.items()
    }
