"""The UN/CEFACT CII D16B XML Schema, as the official configuration uses it.

The KoSIT configuration checks every CII invoice of the XRechnung and EN 16931
scenarios against the D16B schema in its *decoupled code list* form: code
values are plain tokens there, the code lists are left to the Schematron
rules (BR-CL-*). The UN/CEFACT schema modules come from the installed
``trytond-edocument-uncefact`` package (a declared dependency, used as a pure
rule-artefact package: its files are read, its code is never imported), which
ships D16B in the *coupled* form, where each code is an enumeration of the
UN/CEFACT code list of 2016.

The two forms differ only in the Qualified Data Types module. This module
derives the decoupled one from the coupled one while loading, by the rules
UN/CEFACT's decoupling follows, so that the schema accepts and rejects the
same documents as the official one (checked element by element against the
official decoupled module in ``tests/unit/test_cii_schema.py``):

- a type taken from a code list or identifier list becomes ``xsd:token``;
  the three unit-of-measure codes become tokens of 1 to 3 characters;
- the enumerations of the code list agency ids and the fixed
  ``listVersionID`` values (the code list versions of 2016) are dropped.

Nothing is written to disk: the derived module is served to the schema
loader by an lxml resolver.
"""

from __future__ import annotations

import copy
import importlib.metadata
import threading
from functools import cache
from pathlib import Path

from lxml import etree

from einvoice.errors import RuleArtefactError

PACKAGE = "trytond_edocument_uncefact"
INSTALL_HINT = "pip install trytond-edocument-uncefact==8.2.0"
FOLDER = "trytond/modules/edocument_uncefact/tests/16B-CII/data/standard"
MAIN = "CrossIndustryInvoice_100pD16B.xsd"
QDT = "CrossIndustryInvoice_QualifiedDataType_100pD16B.xsd"

XS = "http://www.w3.org/2001/XMLSchema"
_LIST_NAMESPACES = (
    "urn:un:unece:uncefact:codelist:",
    "urn:un:unece:uncefact:identifierlist:",
)
_UNIT_CODE_LISTS = "MeasurementUnitCommonCode"
_UNIT_CODE_TYPE = "UnitCodeContentType"

_lock = threading.Lock()


@cache
def schema_dir() -> Path:
    """Where the installed package keeps the D16B schema modules."""
    try:
        distribution = importlib.metadata.distribution(PACKAGE)
    except importlib.metadata.PackageNotFoundError as exc:
        raise RuleArtefactError(
            "Python package 'trytond-edocument-uncefact' with the UN/CEFACT CII D16B "
            "schema is not installed. Das Regelpaket 'trytond-edocument-uncefact' mit dem "
            f"UN/CEFACT-Schema CII D16B fehlt; installieren mit: {INSTALL_HINT}"
        ) from exc
    folder = Path(str(distribution.locate_file(FOLDER)))
    if not (folder / MAIN).is_file() or not (folder / QDT).is_file():
        raise RuleArtefactError(
            f"the CII D16B schema is missing in {folder}. Das UN/CEFACT-Schema CII D16B "
            f"fehlt in {folder}; neu installieren mit: {INSTALL_HINT}"
        )
    return folder


def _is_list_type(element: etree._Element, qname: str) -> bool:
    prefix = qname.split(":", 1)[0] if ":" in qname else None
    namespace = element.nsmap.get(prefix)
    return namespace is not None and namespace.startswith(_LIST_NAMESPACES)


def decoupled(coupled: etree._Element) -> etree._Element:
    """The decoupled Qualified Data Types module derived from the coupled one."""
    root = copy.deepcopy(coupled)
    for imported in root.findall(f"{{{XS}}}import"):
        if (imported.get("namespace") or "").startswith(_LIST_NAMESPACES):
            root.remove(imported)
    needs_unit_type = False
    for element in root.iter(f"{{{XS}}}restriction", f"{{{XS}}}extension", f"{{{XS}}}attribute"):
        key = "type" if element.tag == f"{{{XS}}}attribute" else "base"
        reference = element.get(key)
        if reference is None or not _is_list_type(element, reference):
            continue
        if _UNIT_CODE_LISTS in reference:
            element.set(key, f"qdt:{_UNIT_CODE_TYPE}")
            needs_unit_type = True
        else:
            element.set(key, "xsd:token")
    for facet in list(root.iter(f"{{{XS}}}enumeration")):
        facet.getparent().remove(facet)
    for attribute in root.iter(f"{{{XS}}}attribute"):
        if attribute.get("name") == "listVersionID":
            attribute.attrib.pop("fixed", None)
    if needs_unit_type:
        unit = etree.SubElement(root, f"{{{XS}}}simpleType", name=_UNIT_CODE_TYPE)
        restriction = etree.SubElement(unit, f"{{{XS}}}restriction", base="xsd:token")
        etree.SubElement(restriction, f"{{{XS}}}minLength", value="1")
        etree.SubElement(restriction, f"{{{XS}}}maxLength", value="3")
    return root


class _DecoupledResolver(etree.Resolver):  # type: ignore[misc]
    def __init__(self, folder: Path) -> None:
        super().__init__()
        self._qdt = etree.tostring(decoupled(_parse(folder / QDT).getroot()))

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        if system_url.endswith(QDT):
            return self.resolve_string(self._qdt, context)
        return None


def _parser(folder: Path | None = None) -> etree.XMLParser:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    if folder is not None:
        parser.resolvers.add(_DecoupledResolver(folder))
    return parser


def _parse(path: Path, parser: etree.XMLParser | None = None) -> etree._ElementTree:
    try:
        return etree.parse(str(path), parser or _parser())
    except (OSError, etree.XMLSyntaxError) as exc:
        raise RuleArtefactError(f"cannot read {path}: {exc}") from exc


@cache
def schema() -> etree.XMLSchema:
    """The official D16B schema (decoupled), loaded once per process."""
    with _lock:
        folder = schema_dir()
        try:
            return etree.XMLSchema(_parse(folder / MAIN, _parser(folder)))
        except etree.XMLSchemaParseError as exc:
            raise RuleArtefactError(f"cannot load the CII D16B schema: {exc}") from exc
