"""Write a :class:`SampleInvoice` as a ZUGFeRD / Factur-X PDF, profile EN16931.

The visual part is a minimal one-page PDF written here by hand (standard
Helvetica, WinAnsi encoding, no new dependency); the ``facturx`` library
embeds the CII as ``factur-x.xml`` and adds the XMP metadata.

Reproducibility: ``facturx`` stamps the current time into the document
information (``/CreationDate``, ``/ModDate``), the embedded file's
``/Params /ModDate`` and the XMP (``xmp:CreateDate``, ``xmp:ModifyDate``)
and offers no parameter for them. The timestamps have a fixed length, so
:func:`to_zugferd_pdf` replaces them afterwards with a fixed instant (noon UTC
of the issue date) without moving any byte offset; it checks that it found
exactly the expected five. The file identifier (``/ID``) comes from our own
PDF and is derived from the invoice content.

Limits: the fonts are not embedded and there is no OutputIntent, so the file
is declared PDF/A-3 in its XMP but a PDF/A checker (veraPDF) would object.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime, time
from decimal import Decimal

from einvoice.samplegen._xml import EN16931
from einvoice.samplegen.cii import to_cii
from einvoice.samplegen.spec import SampleInvoice, money

PAGE_WIDTH = Decimal("595.28")  # A4 in points
PAGE_HEIGHT = Decimal("841.89")
LEFT = 56
RIGHT = 539
MAX_LINES_SHOWN = 22

# Helvetica advance widths (1/1000 em) for the characters used in right-aligned
# figures; everything else is treated as average width.
_WIDTHS = {**dict.fromkeys("0123456789", 556), ".": 278, ",": 278, " ": 278, "-": 333, "€": 556}
_AVERAGE_WIDTH = 556

# pypdf may write ":", "+" and "'" of a PDF date as octal escapes (\\072, \\053, \\047).
# Short German unit labels for the visual part; the XML keeps the UN/ECE codes.
UNIT_LABELS = {
    "H87": "Stk",
    "C62": "St.",
    "XPK": "Pck",
    "HUR": "Std",
    "DAY": "Tag",
    "MON": "Mon",
    "MTK": "m²",
}

_PDF_DATE = re.compile(rb"(D(?::|\\072))\d{14}((?:\+|\\053)00(?:'|\\047)00(?:'|\\047))")
_XMP_DATE = re.compile(rb"(<xmp:(?:CreateDate|ModifyDate)>)[0-9T:-]{19}(\+00:00</xmp:)")


def to_zugferd_pdf(inv: SampleInvoice) -> bytes:
    """A Factur-X 1.0 / ZUGFeRD 2.x PDF (profile EN 16931) of the invoice, reproducibly."""
    import facturx

    xml = to_cii(inv, specification_id=EN16931)
    metadata = {
        "author": inv.seller.name,
        "keywords": "Rechnung, E-Rechnung, ZUGFeRD, Factur-X, EN 16931",
        "title": f"Rechnung {inv.number}",
        "subject": f"Rechnung {inv.number} vom {inv.issue_date:%d.%m.%Y} an {inv.buyer.name}",
    }
    generated = facturx.generate_from_binary(
        visual_pdf(inv),
        xml,
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        pdf_metadata=metadata,
        lang="de-DE",
        afrelationship="alternative",
        xmp_compression=False,
    )
    assert isinstance(generated, bytes)
    return fix_timestamps(generated, datetime.combine(inv.issue_date, time(12), tzinfo=UTC))


def fix_timestamps(pdf: bytes, instant: datetime) -> bytes:
    """Replace the generation timestamps written by ``facturx`` with ``instant``."""
    pdf_date = instant.strftime("%Y%m%d%H%M%S").encode("ascii")
    xmp_date = instant.strftime("%Y-%m-%dT%H:%M:%S").encode("ascii")
    # Only the digits change: same length, so the cross-reference offsets stay valid.
    pdf, pdf_count = _PDF_DATE.subn(lambda m: m[1] + pdf_date + m[2], pdf)
    pdf, xmp_count = _XMP_DATE.subn(lambda m: m[1] + xmp_date + m[2], pdf)
    # Info /CreationDate and /ModDate, the embedded file's /ModDate; XMP create and modify.
    if (pdf_count, xmp_count) != (3, 2):
        raise RuntimeError(
            f"unexpected timestamps in the generated PDF ({pdf_count} PDF, {xmp_count} XMP); "
            "the factur-x library may have changed"
        )
    return pdf


# --- the visual part --------------------------------------------------------


def visual_pdf(inv: SampleInvoice) -> bytes:
    """A one-page PDF 1.7 showing the invoice's main data."""
    content = _page_content(inv)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
            "/Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>"
        ).encode("ascii"),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: list[int] = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    file_id = hashlib.md5(content, usedforsecurity=False).hexdigest().upper().encode("ascii")
    out += b"trailer\n<< /Size %d /Root 1 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        file_id,
        file_id,
        xref,
    )
    return bytes(out)


class _Page:
    """Collects the content stream operators of one page."""

    def __init__(self) -> None:
        self.ops: list[bytes] = []

    def text(self, x: float, y: float, value: str, size: float = 9, bold: bool = False) -> None:
        font = b"/F2" if bold else b"/F1"
        self.ops.append(
            b"BT %s %s Tf %s %s Td (%s) Tj ET"
            % (font, _num(size), _num(x), _num(y), _pdf_string(value))
        )

    def right(self, x: float, y: float, value: str, size: float = 9, bold: bool = False) -> None:
        """Text that ends at ``x``."""
        self.text(x - _width(value, size), y, value, size, bold)

    def rule(self, y: float) -> None:
        self.ops.append(b"0.5 w %d %s m %d %s l S" % (LEFT, _num(y), RIGHT, _num(y)))

    def content(self) -> bytes:
        return b"\n".join(self.ops)


def _page_content(inv: SampleInvoice) -> bytes:
    page = _Page()
    _letterhead(page, inv)
    y = _lines_table(page, inv, 610.0)
    y = _summary(page, inv, y)
    page.text(LEFT, y - 14, "Zahlung", 10, bold=True)
    y -= 27
    for row in _payment_lines(inv):
        page.text(LEFT, y, row, 9)
        y -= 12
    page.text(
        LEFT,
        60,
        "Diese Rechnung enthält ihre strukturierten Daten als eingebettete Datei factur-x.xml "
        "(ZUGFeRD / Factur-X, Profil EN 16931).",
        7,
    )
    return page.content()


def _letterhead(page: _Page, inv: SampleInvoice) -> None:
    seller, buyer = inv.seller, inv.buyer
    page.text(LEFT, 790, seller.name, 14, bold=True)
    address = seller.address
    page.text(LEFT, 776, f"{address.street} · {address.postcode} {address.city}", 8)
    if seller.contact:
        contact = seller.contact
        page.text(LEFT, 765, f"{contact.name} · Tel. {contact.phone} · {contact.email}", 8)
    y = 700.0
    for row in (buyer.name, buyer.address.street, f"{buyer.address.postcode} {buyer.address.city}"):
        page.text(LEFT, y, row, 10)
        y -= 13
    facts = [
        ("Rechnungsnummer", inv.number),
        ("Rechnungsdatum", f"{inv.issue_date:%d.%m.%Y}"),
        ("Leitweg-ID", inv.buyer_reference or "–"),
        ("Bestellnummer", inv.order_reference or "–"),
        ("Lieferdatum", f"{inv.delivery_date:%d.%m.%Y}" if inv.delivery_date else "–"),
        ("USt-IdNr.", seller.vat_id or "–"),
    ]
    y = 712.0
    for label, value in facts:
        page.text(360, y, label, 8)
        page.text(445, y, value, 8, bold=True)
        y -= 12


def _lines_table(page: _Page, inv: SampleInvoice, y: float) -> float:
    page.text(LEFT, y, f"Rechnung {inv.number}", 16, bold=True)
    if inv.note:
        y -= 16
        page.text(LEFT, y, inv.note, 10)
    y -= 26
    page.text(LEFT, y, "Pos.", 8, bold=True)
    page.text(LEFT + 30, y, "Bezeichnung", 8, bold=True)
    for label, x in (("Menge", 370), ("Einzelpreis", 440), ("USt", 475), ("Betrag", RIGHT)):
        page.right(x, y, label, 8, bold=True)
    page.rule(y - 5)
    y -= 17
    for line in inv.lines[:MAX_LINES_SHOWN]:
        unit = UNIT_LABELS.get(line.unit_code, line.unit_code)
        page.text(LEFT, y, line.line_id, 8)
        page.text(LEFT + 30, y, _clip(line.name, 52), 8)
        page.right(370, y, f"{_german(line.quantity)} {unit}", 8)
        page.right(440, y, _euro(line.net_price), 8)
        page.right(475, y, f"{_german(line.vat_rate)} %", 8)
        page.right(RIGHT, y, _euro(line.net_amount), 8)
        y -= 12
    hidden = len(inv.lines) - MAX_LINES_SHOWN
    if hidden > 0:
        page.text(LEFT + 30, y, f"… und {hidden} weitere Positionen (vollständig in der XML)", 8)
        y -= 12
    page.rule(y + 6)
    return y - 8


def _summary(page: _Page, inv: SampleInvoice, y: float) -> float:
    summary: list[tuple[str, Decimal, bool]] = [("Summe netto", inv.line_total, False)]
    summary += [
        (f"Umsatzsteuer {_german(b.rate)} % auf {_euro(b.taxable_amount)}", b.tax_amount, False)
        for b in inv.vat_breakdown()
    ]
    summary.append(("Rechnungsbetrag", inv.payable_amount, True))
    for label, value, bold in summary:
        page.right(440, y, label, 9, bold)
        page.right(RIGHT, y, _euro(value), 9, bold)
        y -= 13
    return y


def _payment_lines(inv: SampleInvoice) -> Iterator[str]:
    yield f"SEPA-Überweisung an {inv.account_name or inv.seller.name}"
    yield f"IBAN {_grouped(inv.iban)}" + (f" · BIC {inv.bic}" if inv.bic else "")
    if inv.remittance:
        yield f"Verwendungszweck: {inv.remittance}"
    yield inv.payment_terms
    for term in inv.skonto:
        discount = inv.payable_amount * term.percent / 100
        yield (
            f"Bei Zahlung innerhalb von {term.days} Tagen {_german(term.percent)} % Skonto "
            f"({_euro(money(discount))})."
        )


def _grouped(iban: str) -> str:
    compact = iban.replace(" ", "")
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def _german(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    whole, _, fraction = text.partition(".")
    return _thousands(whole) + ("," + fraction if fraction else "")


def _euro(value: Decimal) -> str:
    whole, _, fraction = f"{value:.2f}".partition(".")
    return f"{_thousands(whole)},{fraction} €"


def _thousands(whole: str) -> str:
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups = [digits[max(0, i - 3) : i] for i in range(len(digits), 0, -3)]
    return sign + ".".join(reversed(groups))


def _clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _width(value: str, size: float) -> float:
    return sum(_WIDTHS.get(ch, _AVERAGE_WIDTH) for ch in value) * size / 1000


def _num(value: float) -> bytes:
    return (f"{value:.2f}".rstrip("0").rstrip(".")).encode("ascii")


def _cp1252(ch: str) -> bytes:
    try:
        return ch.encode("cp1252")
    except UnicodeEncodeError:
        base = unicodedata.normalize("NFKD", ch)[:1]  # e.g. "Ş" -> "S"
        return base.encode("cp1252", errors="replace")


def _pdf_string(value: str) -> bytes:
    """A PDF literal string in WinAnsi (cp1252) encoding, escaped."""
    raw = b"".join(_cp1252(ch) for ch in value)
    out = bytearray()
    for byte in raw:
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif byte < 32 or byte > 126:
            out += b"\\%03o" % byte
        else:
            out.append(byte)
    return bytes(out)
