"""Markup in an invoice's own text is shown as text, never interpreted.

The invoice is built by reflection over the model: EVERY text field (now and
in future fields) holds its own numbered ``<script>`` and ``<b>`` payload, so
the test also proves that each text field is shown somewhere on the page.
"""

from __future__ import annotations

import dataclasses
import itertools
import types
import typing
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from lxml import etree
from markupsafe import escape

from einvoice.domain.findings import Syntax
from einvoice.domain.invoice import EmbeddedDocument, Invoice
from einvoice.formats.extract import extract
from einvoice.presentation.render import render_html
from tests.helpers import ROOT

#: Text fields that are deliberately not shown (the base64 content of an attachment).
NOT_SHOWN = {(EmbeddedDocument, "encoded")}

#: Every tag the invoice templates write; anything else must come from invoice data.
TEMPLATE_TAGS = {
    "html", "head", "meta", "title", "style", "body", "article", "header", "footer",
    "section", "div", "p", "span", "strong", "h1", "h2", "h3", "dl", "dt", "dd", "ul",
    "li", "table", "caption", "thead", "tbody", "tr", "th", "td", "code",
}  # fmt: skip


def payload(n: int) -> str:
    return f"<script>alert({n})</script><b>x{n}</b>\"'&"


class _Builder:
    """Builds a model instance with a unique payload in every ``str`` field."""

    def __init__(self) -> None:
        self.counter = itertools.count(1)
        self.payloads: dict[str, str] = {}  # payload -> "Class.field"

    def build(self, cls: type[Any], stack: tuple[type[Any], ...] = ()) -> Any:
        hints = typing.get_type_hints(cls)
        values = {
            f.name: self.value(hints[f.name], cls, f.name, (*stack, cls))
            for f in dataclasses.fields(cls)
        }
        return cls(**values)

    def value(self, tp: Any, owner: type[Any], name: str, stack: tuple[type[Any], ...]) -> Any:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin in (typing.Union, types.UnionType):
            return self.value(next(a for a in args if a is not type(None)), owner, name, stack)
        if tp is str:
            text = payload(next(self.counter))
            if (owner, name) not in NOT_SHOWN:
                self.payloads[text] = f"{owner.__name__}.{name}"
            return text
        if tp is bool:
            return False
        if tp is int:
            return 14
        if tp is Decimal:
            return Decimal("1234.56")
        if tp is date:
            return date(2025, 3, 14)
        if tp is Syntax:
            return Syntax.UBL_INVOICE
        if origin is tuple:
            element = args[0]
            if element in stack:  # sub-lines: one level deep is enough
                return ()
            return (self.value(element, owner, name, stack),)
        if dataclasses.is_dataclass(tp):
            return self.build(typing.cast(type[Any], tp), stack)
        raise AssertionError(f"no test value for {owner.__name__}.{name}: {tp!r}")


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _hostile() -> tuple[Invoice, dict[str, str]]:
    builder = _Builder()
    invoice = builder.build(Invoice)
    return invoice, builder.payloads


def _assert_inert(html: str) -> _Page:
    lowered = html.lower()
    assert "<script" not in lowered
    assert "<b>" not in lowered and "</b>" not in lowered
    page = _Page()
    page.feed(html)
    page.close()
    assert set(page.tags) <= TEMPLATE_TAGS, set(page.tags) - TEMPLATE_TAGS
    names = {name.lower() for name, _ in page.attributes}
    assert not {n for n in names if n.startswith("on")}
    assert not names & {"href", "src", "srcdoc", "action", "formaction", "xlink:href"}
    return page


@pytest.mark.parametrize("embed", [False, True], ids=["page", "fragment"])
def test_every_text_field_is_shown_escaped(embed: bool) -> None:
    invoice, payloads = _hostile()
    assert len(payloads) > 120  # the reflection really reached the whole model
    html = render_html(invoice, embed=embed)
    page = _assert_inert(html)
    text = "".join(page.text)
    missing = [field for p, field in payloads.items() if str(escape(p)) not in html]
    assert not missing, f"not shown (or not escaped): {missing}"
    unreadable = [field for p, field in payloads.items() if p not in text]
    assert not unreadable, f"not readable as text: {unreadable}"


def test_a_hostile_title_is_escaped() -> None:
    invoice, _ = _hostile()
    html = render_html(invoice, title="</title><script>alert('t')</script>")
    _assert_inert(html)
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;</title>" in html


def test_page_loads_nothing_from_outside() -> None:
    invoice, _ = _hostile()
    lowered = render_html(invoice).lower()
    assert "default-src 'none'" in lowered  # Content-Security-Policy
    for marker in ("<link", "<img", "<iframe", "<object", "<embed", "url(", "@import", "//fonts"):
        assert marker not in lowered, marker


FREE_TEXT = {
    "Note", "Name", "RegistrationName", "Description", "StreetName", "AdditionalStreetName",
    "CityName", "PaymentNote", "Telephone", "ElectronicMail", "BuyerReference",
}  # fmt: skip


def test_markup_in_an_xml_invoice_is_escaped() -> None:
    tree = etree.fromstring((ROOT / "samples" / "xrechnung-ubl.xml").read_bytes())
    payloads: list[str] = []
    for n, element in enumerate(tree.iter(), 1):
        if isinstance(element.tag, str) and etree.QName(element).localname in FREE_TEXT:
            element.text = payload(n)
            payloads.append(payload(n))
    assert len(payloads) > 10
    invoice = extract(etree.tostring(tree), "hostile.xml")
    html = render_html(invoice)
    _assert_inert(html)
    for p in payloads:
        assert str(escape(p)) in html, p
