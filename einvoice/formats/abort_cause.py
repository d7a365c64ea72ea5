"""Why an official rule layer aborted, in words a supplier understands (issue 27).

The official Schematron artefacts (CEN XSLT, XRechnung XSLT) stop with a
dynamic error on some malformed documents: a duplicated element passed to
``normalize-space()`` or ``cast as`` ("A sequence of more than one item ... is
not allowed"), an empty or malformed value cast to a number or date ("Cannot
convert string "" to xs:decimal"). The verdict stays the official one
(rejected, ``LAYER-FAILED``); this module adds what the supplier has to fix:
which element of the document is duplicated, empty or malformed, with its
business term, found in the document from the values Saxon names.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from lxml import etree

from einvoice.domain.findings import Finding, Layer, Severity
from einvoice.domain.terms import term_label
from einvoice.formats.xmldoc import prefix_for

_SEQUENCE = re.compile(r"sequence of more than one item \{ \((.*?)\) \}", re.S)
_ITEM = re.compile(r'u?"((?:[^"\\]|\\.)*)"|([^,\s][^,]*)')
_CONVERT = re.compile(r'Cannot convert string "((?:[^"\\]|\\.)*)" to (?:xs:)?(\w+)')
_INVALID_DATE = re.compile(r'Invalid (date|dateTime) "((?:[^"\\]|\\.)*)"')
_CAST = re.compile(r'The string "((?:[^"\\]|\\.)*)" cannot be cast to an? (\w+)')
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_NUMERIC_NAME = re.compile(r"Amount|Quantity|Percent|Numeric|Rate|Measure|Price")
_DATE_NAME = re.compile(r"Date")
_BOOLEAN_NAME = re.compile(r"Indicator")
_LINES = {"InvoiceLine", "CreditNoteLine", "IncludedSupplyChainTradeLineItem"}
_MAX_NAMED = 3

# Business terms by the element's local name and its parent's (None: any parent), for
# the elements the official rules cast or normalize. Line-level terms where the element
# sits inside an invoice line. UBL and CII names do not collide where it matters.
_HEADER: dict[tuple[str | None, str], str] = {
    (None, "IssueDate"): "BT-2",
    ("IssueDateTime", "DateTimeString"): "BT-2",
    (None, "InvoiceTypeCode"): "BT-3",
    (None, "CreditNoteTypeCode"): "BT-3",
    (None, "DocumentCurrencyCode"): "BT-5",
    (None, "InvoiceCurrencyCode"): "BT-5",
    (None, "TaxCurrencyCode"): "BT-6",
    (None, "TaxPointDate"): "BT-7",
    (None, "DueDate"): "BT-9",
    (None, "PaymentDueDate"): "BT-9",
    ("DueDateDateTime", "DateTimeString"): "BT-9",
    (None, "BuyerReference"): "BT-10",
    ("InvoiceDocumentReference", "IssueDate"): "BT-26",
    (None, "ActualDeliveryDate"): "BT-72",
    ("OccurrenceDateTime", "DateTimeString"): "BT-72",
    ("StartDateTime", "DateTimeString"): "BT-73",
    ("EndDateTime", "DateTimeString"): "BT-74",
    ("InvoicePeriod", "StartDate"): "BT-73",
    ("InvoicePeriod", "EndDate"): "BT-74",
    (None, "PaymentMeansCode"): "BT-81",
    ("LegalMonetaryTotal", "LineExtensionAmount"): "BT-106",
    (None, "LineTotalAmount"): "BT-106",
    (None, "AllowanceTotalAmount"): "BT-107",
    (None, "ChargeTotalAmount"): "BT-108",
    (None, "TaxExclusiveAmount"): "BT-109",
    (None, "TaxBasisTotalAmount"): "BT-109",
    ("TaxTotal", "TaxAmount"): "BT-110",
    (None, "TaxTotalAmount"): "BT-110",
    (None, "TaxInclusiveAmount"): "BT-112",
    (None, "GrandTotalAmount"): "BT-112",
    (None, "PrepaidAmount"): "BT-113",
    (None, "TotalPrepaidAmount"): "BT-113",
    (None, "PayableRoundingAmount"): "BT-114",
    (None, "RoundingAmount"): "BT-114",
    (None, "PayableAmount"): "BT-115",
    (None, "DuePayableAmount"): "BT-115",
    ("TaxSubtotal", "TaxableAmount"): "BT-116",
    (None, "BasisAmount"): "BT-116",
    ("TaxSubtotal", "TaxAmount"): "BT-117",
    (None, "CalculatedAmount"): "BT-117",
    ("TaxCategory", "ID"): "BT-118",
    (None, "CategoryCode"): "BT-118",
    ("TaxCategory", "Percent"): "BT-119",
    (None, "RateApplicablePercent"): "BT-119",
    ("AllowanceCharge", "Amount"): "BG-20",
    ("AllowanceCharge", "BaseAmount"): "BG-20",
    ("AllowanceCharge", "MultiplierFactorNumeric"): "BG-20",
    ("SpecifiedTradeAllowanceCharge", "ActualAmount"): "BG-20",
    ("SpecifiedTradeAllowanceCharge", "CalculationPercent"): "BG-20",
    # groups, for a repeated group
    (None, "LegalMonetaryTotal"): "BG-22",
    (None, "SpecifiedTradeSettlementHeaderMonetarySummation"): "BG-22",
    (None, "AccountingSupplierParty"): "BG-4",
    (None, "SellerTradeParty"): "BG-4",
    (None, "AccountingCustomerParty"): "BG-7",
    (None, "BuyerTradeParty"): "BG-7",
    (None, "TaxSubtotal"): "BG-23",
    (None, "InvoicePeriod"): "BG-14",
    (None, "PaymentMeans"): "BG-16",
}
_LINE: dict[tuple[str | None, str], str] = {
    ("InvoiceLine", "ID"): "BT-126",
    ("CreditNoteLine", "ID"): "BT-126",
    (None, "LineID"): "BT-126",
    (None, "InvoicedQuantity"): "BT-129",
    (None, "CreditedQuantity"): "BT-129",
    (None, "BilledQuantity"): "BT-129",
    ("InvoiceLine", "LineExtensionAmount"): "BT-131",
    ("CreditNoteLine", "LineExtensionAmount"): "BT-131",
    (None, "LineTotalAmount"): "BT-131",
    ("InvoicePeriod", "StartDate"): "BT-134",
    ("InvoicePeriod", "EndDate"): "BT-135",
    ("StartDateTime", "DateTimeString"): "BT-134",
    ("EndDateTime", "DateTimeString"): "BT-135",
    ("AllowanceCharge", "Amount"): "BG-27",
    ("SpecifiedTradeAllowanceCharge", "ActualAmount"): "BG-27",
    ("Price", "PriceAmount"): "BT-146",
    ("NetPriceProductTradePrice", "ChargeAmount"): "BT-146",
    ("AppliedTradeAllowanceCharge", "ActualAmount"): "BT-147",
    ("GrossPriceProductTradePrice", "ChargeAmount"): "BT-148",
    (None, "BaseQuantity"): "BT-149",
    (None, "BasisQuantity"): "BT-149",
    ("ClassifiedTaxCategory", "ID"): "BT-151",
    ("ApplicableTradeTax", "CategoryCode"): "BT-151",
    ("ClassifiedTaxCategory", "Percent"): "BT-152",
    ("ApplicableTradeTax", "RateApplicablePercent"): "BT-152",
}


@dataclass(frozen=True, slots=True)
class Cause:
    """What the official error says: the kind and the values it names."""

    kind: str  # "duplicate", "empty", "malformed"
    values: tuple[str, ...]
    target: str = ""  # the type a value was cast to: "decimal", "date", ...


def parse(error: str) -> Cause | None:
    """The cause named by a Saxon error message, or None if it names none we know."""
    sequence = _SEQUENCE.search(error)
    if sequence is not None:
        # quoted strings ("1", u"336.9") or atomized numbers (314.86, 314.86)
        values = tuple(
            _unescape(quoted) if quoted or not bare else bare.strip()
            for quoted, bare in _ITEM.findall(sequence.group(1))
        )
        return Cause("duplicate", values)
    converted = _CONVERT.search(error)
    if converted is not None:
        value = _unescape(converted.group(1))
        return Cause("empty" if not value.strip() else "malformed", (value,), converted.group(2))
    cast = _CAST.search(error)
    if cast is not None:
        value = _unescape(cast.group(1))
        return Cause("empty" if not value.strip() else "malformed", (value,), cast.group(2))
    invalid = _INVALID_DATE.search(error)
    if invalid is not None:
        value = _unescape(invalid.group(2))
        return Cause("empty" if not value.strip() else "malformed", (value,), invalid.group(1))
    return None


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\\\", "\\")


def explain(root: etree._Element, layer: Layer, layer_name: str, error: str) -> list[Finding]:
    """German findings naming the duplicated, empty or malformed elements behind ``error``."""
    cause = parse(error)
    if cause is None:
        return []
    if cause.kind == "duplicate":
        return _duplicates(root, layer, layer_name, cause)
    return _bad_values(root, layer, layer_name, cause)


# --- duplicated elements ------------------------------------------------------------------


def _duplicates(root: etree._Element, layer: Layer, name: str, cause: Cause) -> list[Finding]:
    found = _repeated_siblings(root, cause.values) or _repeated_anywhere(root, cause.values)
    if not found:
        return []
    first = found[0]
    group = _duplicated_group(found)
    shown = " und ".join(f"'{_short(v)}'" for v in cause.values[:_MAX_NAMED])
    if group is not None:
        what = f"Die Gruppe {_label(group)}"
        where = _where(group)
        fix = "Sie darf nur einmal vorkommen; entfernen Sie die Wiederholung."
    else:
        what = f"Das Element {_label(first)}"
        where = _where(first)
        fix = "Es darf nur einmal vorkommen; entfernen Sie die Wiederholung."
    de = (
        f"{what}{where} kommt mehrfach vor (Werte {shown}). {fix} Die offizielle "
        f"Prüfung ({name}) bricht an dieser Stelle ab."
    )
    en = (
        f"{_english(group if group is not None else first)} occurs more than once "
        f"(values {shown}); it is allowed once. The official rules ({name}) abort on it."
    )
    element = group if group is not None else first
    return [_finding("INPUT-DUPLICATE", layer, de, en, element)]


def _repeated_siblings(root: etree._Element, values: tuple[str, ...]) -> list[etree._Element]:
    """Siblings of one tag whose texts are ``values`` (in order)."""
    wanted = [_canonical(v) for v in values]
    if len(wanted) < 2:
        return []
    for parent in root.iter():
        if len(parent) < 2:
            continue
        by_tag: dict[object, list[etree._Element]] = defaultdict(list)
        for child in parent:
            if isinstance(child.tag, str):
                by_tag[child.tag].append(child)
        for same in by_tag.values():
            if len(same) >= 2 and _texts(same)[: len(wanted)] == wanted:
                return same
    return []


def _repeated_anywhere(root: etree._Element, values: tuple[str, ...]) -> list[etree._Element]:
    """Elements of one tag anywhere whose texts, in document order, are ``values``."""
    by_tag: dict[object, list[etree._Element]] = defaultdict(list)
    for element in root.iter():
        if isinstance(element.tag, str) and len(element) == 0:
            by_tag[element.tag].append(element)
    wanted = [_canonical(v) for v in values]
    for same in by_tag.values():
        if len(same) < len(wanted) or len(wanted) < 2:
            continue
        texts = _texts(same)
        for start in range(len(same) - len(wanted) + 1):
            if texts[start : start + len(wanted)] == wanted:
                return same[start : start + len(wanted)]
    return []


def _duplicated_group(found: list[etree._Element]) -> etree._Element | None:
    """The repeated ancestor when the elements are not siblings (a duplicated group)."""
    parents = [e.getparent() for e in found]
    if any(p is None for p in parents) or len({id(p) for p in parents}) == 1:
        return None
    while True:
        if len({id(p) for p in parents}) == 1:
            return None  # the paths meet: no repeated group, the elements differ in place
        tags = {p.tag for p in parents if p is not None}
        grand = {id(p.getparent()) for p in parents if p is not None}
        if len(tags) == 1 and len(grand) == 1:
            return parents[1]
        parents = [p.getparent() if p is not None else None for p in parents]
        if any(p is None for p in parents):
            return None


def _texts(elements: list[etree._Element]) -> list[str]:
    return [_canonical(" ".join("".join(e.itertext()).split())) for e in elements]


def _canonical(text: str) -> str:
    """A number as Saxon prints an atomized decimal (``314.860`` -> ``314.86``)."""
    if _NUMBER.fullmatch(text):
        number = Decimal(text).normalize()
        return format(number, "f") if number else "0"
    return text


# --- empty or malformed values ------------------------------------------------------------


def _bad_values(root: etree._Element, layer: Layer, name: str, cause: Cause) -> list[Finding]:
    value = cause.values[0]
    wanted = (
        _DATE_NAME
        if cause.target.startswith("date")
        else _BOOLEAN_NAME
        if cause.target == "boolean"
        else _NUMERIC_NAME
    )
    matches = _matcher(value)
    candidates = [
        e for e in _leaves(root) if matches(e) and wanted.search(etree.QName(e).localname)
    ]
    if not candidates:
        candidates = [e for e in _leaves(root) if matches(e)]
    findings = []
    for element in candidates[:_MAX_NAMED]:
        expected = _expected(cause.target)
        if cause.kind == "empty":
            de = (
                f"Das Element {_label(element)}{_where(element)} ist leer; "
                f"erwartet wird {expected}."
            )
            en = f"{_english(element)} is empty; expected {expected}."
            rule = "INPUT-EMPTY-VALUE"
        else:
            de = (
                f"Das Element {_label(element)}{_where(element)} enthält '{_short(value)}', "
                f"das ist kein gültiger Wert; erwartet wird {expected}."
            )
            en = f"{_english(element)} holds '{_short(value)}', not valid; expected {expected}."
            rule = "INPUT-MALFORMED-VALUE"
        de += f" Die offizielle Prüfung ({name}) bricht an dieser Stelle ab."
        en += f" The official rules ({name}) abort on it."
        findings.append(_finding(rule, layer, de, en, element))
    return findings


def _matcher(value: str) -> Callable[[etree._Element], bool]:
    """Does an element hold ``value``? Saxon shortens long values to ``"aaaa..."``."""
    wanted = value.strip()
    if wanted.endswith("...") and len(wanted) > 3:
        prefix = wanted[:-3]
        return lambda e: (e.text or "").strip().startswith(prefix)
    return lambda e: (e.text or "").strip() == wanted


def _leaves(root: etree._Element) -> Iterator[etree._Element]:
    for element in root.iter():
        if isinstance(element.tag, str) and len(element) == 0:
            yield element


def _expected(target: str) -> str:
    if target == "boolean":
        return "true oder false"
    if target.startswith("date"):
        return "ein gültiges Kalenderdatum (z. B. 2024-03-31 bzw. 20240331)"
    if target in ("decimal", "double", "float", "integer"):
        return "eine Zahl (z. B. 1234.56, Dezimalpunkt)"
    return f"ein Wert vom Typ {target}"


# --- wording ------------------------------------------------------------------------------


def term_of(element: etree._Element) -> str | None:
    """The business term (or group) an element carries, from its name and parent."""
    local = etree.QName(element).localname
    parent = element.getparent()
    parent_local = etree.QName(parent).localname if parent is not None else None
    in_line = any(
        isinstance(a.tag, str) and etree.QName(a).localname in _LINES
        for a in element.iterancestors()
    )
    tables = (_LINE, _HEADER) if in_line else (_HEADER,)
    for table in tables:
        for key in ((parent_local, local), (None, local)):
            if key in table:
                return table[key]
    if local in ("ID",) and parent is not None and parent.getparent() is None:
        return "BT-1"  # cbc:ID / rsm:ExchangedDocument/ram:ID of the document
    if local == "ID" and parent_local == "ExchangedDocument":
        return "BT-1"
    return None


def _label(element: etree._Element) -> str:
    """``cbc:PayableAmount (BT-115 Zu zahlender Betrag)``."""
    qname = etree.QName(element)
    prefix = prefix_for(qname.namespace or "")
    name = f"{prefix}:{qname.localname}" if prefix else qname.localname
    term = term_of(element)
    return f"{name} ({term_label(term)})" if term else name


def _english(element: etree._Element) -> str:
    term = term_of(element)
    name = etree.QName(element).localname
    return f"{name} ({term_label(term, 'en')})" if term else name


def _where(element: etree._Element) -> str:
    """`` in Position 2`` for an element inside invoice line 2, else nothing."""
    for ancestor in element.iterancestors():
        if isinstance(ancestor.tag, str) and etree.QName(ancestor).localname in _LINES:
            line_id = _line_id(ancestor)
            return f" in Position '{line_id}'" if line_id else " in einer Rechnungsposition"
    return ""


def _line_id(line: etree._Element) -> str:
    for child in line:
        if not isinstance(child.tag, str):
            continue
        local = etree.QName(child).localname
        if local == "ID":
            return (child.text or "").strip()
        if local == "AssociatedDocumentLineDocument":
            for inner in child:
                if isinstance(inner.tag, str) and etree.QName(inner).localname == "LineID":
                    return (inner.text or "").strip()
    return ""


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:37] + "..."


def _finding(rule: str, layer: Layer, de: str, en: str, element: etree._Element) -> Finding:
    term = term_of(element)
    return Finding(
        rule,
        Severity.ERROR,
        layer,
        de,
        en,
        str(element.getroottree().getpath(element)),
        (term,) if term else (),
    )
