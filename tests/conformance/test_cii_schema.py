"""The CII D16B schema the project loads equals the official (decoupled) one.

The project derives the decoupled Qualified Data Types module from the coupled
one shipped in ``trytond-edocument-uncefact``; here it is compared, type by
type, with the official decoupled module in the oracle folder (tests only),
and the other schema modules are compared byte for byte (ignoring the
header comment). A few documents are then validated by both schemas.
"""

from __future__ import annotations

from typing import Any

import pytest
from lxml import etree

from einvoice.formats import cii_schema
from tests.helpers import require_conformance

XS = "http://www.w3.org/2001/XMLSchema"
OFFICIAL = "oracle/cii-d16b/uncefact/data/standard"
ANY_TEXT = ("restriction", "text", ())


def _simple_types(root: etree._Element) -> dict[str, etree._Element]:
    return {e.get("name"): e for e in root.findall(f"{{{XS}}}simpleType")}


def _resolve(value: str, element: etree._Element, simple: dict[str, etree._Element]) -> Any:
    """A type reference as what it accepts: built-in text, or a restriction's facets."""
    prefix, _, name = value.rpartition(":")
    namespace = element.nsmap.get(prefix or None)
    if namespace == XS and name in ("string", "token", "normalizedString"):
        return ANY_TEXT
    if name in simple and namespace == element.nsmap.get("qdt"):
        restriction = simple[name].find(f"{{{XS}}}restriction")
        assert restriction is not None
        facets = tuple(sorted((etree.QName(f).localname, f.get("value")) for f in restriction))
        base = _resolve(restriction.get("base") or "", restriction, simple)
        if not facets:
            return base
        return ("restriction", base, facets)
    return (namespace, name)


def _canonical(element: etree._Element, simple: dict[str, etree._Element]) -> Any:
    attributes = tuple(
        sorted(
            (key, _resolve(value, element, simple) if key in ("type", "base") else value)
            for key, value in element.attrib.items()
        )
    )
    children = tuple(_canonical(child, simple) for child in element if isinstance(child.tag, str))
    return (etree.QName(element).localname, attributes, children)


def _definitions(root: etree._Element) -> dict[str, Any]:
    simple = _simple_types(root)
    return {
        e.get("name"): _canonical(e, simple)
        for e in root
        if isinstance(e.tag, str) and etree.QName(e).localname in ("complexType", "element")
    }


@pytest.mark.conformance
def test_derived_qualified_data_types_equal_the_official_decoupled_module() -> None:
    conformance = require_conformance()
    official = etree.parse(str(conformance / OFFICIAL / cii_schema.QDT)).getroot()
    coupled = etree.parse(str(cii_schema.schema_dir() / cii_schema.QDT)).getroot()
    derived = _definitions(cii_schema.decoupled(coupled))
    expected = _definitions(official)
    assert len(expected) >= 50
    assert sorted(derived) == sorted(expected)
    assert [name for name in expected if derived[name] != expected[name]] == []
    # ... and the coupled module really is stricter: the derivation matters.
    assert _definitions(coupled) != expected


def _without_header(path: Any) -> bytes:
    text = path.read_bytes().replace(b"\r\n", b"\n")
    return text[text.index(b"-->") :]


@pytest.mark.conformance
@pytest.mark.parametrize(
    "name",
    [
        cii_schema.MAIN,
        "CrossIndustryInvoice_ReusableAggregateBusinessInformationEntity_100pD16B.xsd",
        "CrossIndustryInvoice_UnqualifiedDataType_100pD16B.xsd",
    ],
)
def test_other_modules_are_the_official_ones(name: str) -> None:
    conformance = require_conformance()
    assert _without_header(cii_schema.schema_dir() / name) == _without_header(
        conformance / OFFICIAL / name
    )


@pytest.mark.conformance
def test_verdicts_equal_the_official_schema_on_the_cii_test_files() -> None:
    conformance = require_conformance()
    official = etree.XMLSchema(etree.parse(str(conformance / OFFICIAL / cii_schema.MAIN)))
    ours = cii_schema.schema()
    files = sorted((conformance / "xrechnung-testsuite").rglob("*uncefact*.xml"))
    assert len(files) > 30
    for path in files:
        root = etree.parse(str(path)).getroot()
        assert ours.validate(root) is official.validate(root), path.name
        # Mutations the Factur-X schema rejected but D16B accepts (issue 16):
        # a DateTimeString without @format, a second IncludedNote/Content.
        for date in root.iter("{*}DateTimeString"):
            date.attrib.pop("format", None)
        assert ours.validate(root) is official.validate(root), path.name


@pytest.mark.conformance
def test_a_second_note_content_and_a_date_without_format_are_valid_d16b() -> None:
    conformance = require_conformance()
    path = conformance / "xrechnung-testsuite/business-cases/standard/01.01a-INVOICE_uncefact.xml"
    root = etree.parse(str(path)).getroot()
    note = next(root.iter("{*}IncludedNote"))
    content = note.find("{*}Content")
    assert content is not None
    content.addnext(etree.fromstring(etree.tostring(content)))
    next(root.iter("{*}DateTimeString")).attrib.pop("format")
    assert cii_schema.schema().validate(root), cii_schema.schema().error_log
