"""Build test e-mails with invoice attachments."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

from einvoice.samplegen.spec import example
from einvoice.samplegen.ubl import to_ubl


def invoice_xml(seed: int, n_lines: int = 3) -> bytes:
    return to_ubl(example(n_lines=n_lines, seed=seed))


def email_with(
    attachments: list[tuple[str, bytes]],
    message_id: str | None = None,
    body: str = "Sehr geehrte Damen und Herren,\nanbei unsere Rechnung.\n",
    sender: str = "rechnung@lieferant.example",
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "rechnungseingang@stadt.example"
    message["Subject"] = "Rechnung"
    message["Message-ID"] = message_id or make_msgid(domain="lieferant.example")
    message.set_content(body)
    for name, data in attachments:
        maintype, subtype = (
            ("application", "pdf") if name.endswith(".pdf") else ("application", "xml")
        )
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()
