"""The Peppol BIS Billing 3.0 rules that XRechnung 3.0 adopts (PEPPOL-EN16931-R*).

KoSIT merges a selection of the Peppol rules into the XRechnung Schematron.
They keep their Peppol flag (fatal), except R120 (line net amount), which
the XRechnung configuration runs as a warning in UBL and CII. R043 is split into
two ids in CII (document/line allowances ``-1``, price allowances ``-2``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal, localcontext

from lxml import etree

from einvoice.domain.findings import Syntax
from einvoice.formats.national.model import (
    ALL,
    ERROR,
    WARNING,
    Doc,
    Hit,
    Offence,
    Rule,
    compile_xpath,
    each,
    elements,
    first,
    root_if,
    xp,
)
from einvoice.formats.national.paths import (
    C_LINES,
    U_DOC_AND_LINE_ALLOWANCES,
    U_LINES,
    U_ROOT,
)
from einvoice.formats.national.values import (
    DECIMAL_PRECISION,
    decimal_of,
    divide,
    norm,
    round_half_up_2,
    text_of,
    within,
)

_SLACK = Decimal("0.02")
_SLACK_NO_DECIMALS = Decimal("0.5")  # currencies invoiced without minor units (HUF)

_U_CURRENCY = compile_xpath("/*/cbc:DocumentCurrencyCode")
_C_CURRENCY = compile_xpath(
    "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
    "/ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode"
)


def _slack(doc: Doc) -> Decimal:
    def compute() -> Decimal:
        path = _C_CURRENCY if doc.syntax is Syntax.CII else _U_CURRENCY
        codes = [text_of(node) for node in elements(path(doc.root))]
        return _SLACK_NO_DECIMALS if "HUF" in codes else _SLACK

    result: Decimal = doc.memo("peppol-slack", compute)
    return result


def _not_a_number(element: etree._Element, what_de: str, what_en: str) -> Hit:
    return Hit(
        element,
        f"{what_de} ist keine Zahl; die Rechnung lässt sich nicht nachrechnen.",
        f"{what_en} is not a number; the calculation cannot be checked.",
    )


# ---------------------------------------------------------------------------
# R040: allowance/charge amount = base amount * percentage / 100
# ---------------------------------------------------------------------------


def _percentage_check(
    amount: str, base: str, percent: str
) -> Callable[[Doc, etree._Element], Hit | None]:
    amount_path, base_path, percent_path = (compile_xpath(p) for p in (amount, base, percent))

    def check(doc: Doc, charge: etree._Element) -> Hit | None:
        base_node, percent_node = first(base_path, charge), first(percent_path, charge)
        if base_node is None or percent_node is None:
            return None
        amount_node = first(amount_path, charge)
        amount_value = decimal_of(amount_node) if amount_node is not None else Decimal(0)
        base_value, percent_value = decimal_of(base_node), decimal_of(percent_node)
        if amount_value is None or base_value is None or percent_value is None:
            return _not_a_number(
                charge, "Betrag, Basisbetrag oder Prozentsatz", "Amount, base amount or percentage"
            )
        expected = divide(base_value * percent_value, Decimal(100))
        if within(amount_value, expected, _slack(doc)):
            return None
        return Hit(
            charge,
            f"Erwartet {expected.normalize():f}, angegeben {amount_value}.",
            f"Expected {expected.normalize():f}, found {amount_value}.",
        )

    return check


# ---------------------------------------------------------------------------
# R046: net price = gross price - price discount
# ---------------------------------------------------------------------------

_PRICES_DE = "Nettopreis, Bruttopreis oder Rabatt"
_PRICES_EN = "Net price, gross price or discount"
_U_PRICE_AMOUNT = compile_xpath("../cbc:PriceAmount")
_U_AMOUNT = compile_xpath("cbc:Amount")
_U_BASE_AMOUNT = compile_xpath("cbc:BaseAmount")


def _ubl_net_price_wrong(doc: Doc, charge: etree._Element) -> Hit | None:
    gross = first(_U_BASE_AMOUNT, charge)
    if gross is None:
        return None
    net = decimal_of(first(_U_PRICE_AMOUNT, charge))
    gross_value = decimal_of(gross)
    discount = decimal_of(first(_U_AMOUNT, charge))
    if net is None or gross_value is None or discount is None:
        return _not_a_number(charge, _PRICES_DE, _PRICES_EN)
    if net == gross_value - discount:
        return None
    return _price_hit(charge, gross_value, discount, net)


_C_GROSS_AMOUNT = compile_xpath("ram:ChargeAmount")
_C_NET_AMOUNT = compile_xpath("../ram:NetPriceProductTradePrice/ram:ChargeAmount")
_C_PRICE_DISCOUNTS = compile_xpath("ram:AppliedTradeAllowanceCharge/ram:ActualAmount")


def _cii_net_price_wrong(doc: Doc, gross_price: etree._Element) -> Hit | None:
    gross = first(_C_GROSS_AMOUNT, gross_price)
    if gross is None:
        return None
    net = decimal_of(first(_C_NET_AMOUNT, gross_price))
    gross_value = decimal_of(gross)
    discounts = [decimal_of(node) for node in elements(_C_PRICE_DISCOUNTS(gross_price))]
    if net is None or gross_value is None or any(d is None for d in discounts):
        return _not_a_number(gross_price, _PRICES_DE, _PRICES_EN)
    discount = sum((d for d in discounts if d is not None), Decimal(0))
    if net == gross_value - discount:
        return None
    return _price_hit(gross_price, gross_value, discount, net)


def _price_hit(element: etree._Element, gross: Decimal, discount: Decimal, net: Decimal) -> Hit:
    return Hit(
        element,
        f"Bruttopreis {gross} - Rabatt {discount} = {gross - discount}, Nettopreis {net}.",
        f"Gross price {gross} - discount {discount} = {gross - discount}, net price {net}.",
    )


# ---------------------------------------------------------------------------
# R053..R055: VAT totals
# ---------------------------------------------------------------------------

_U_TAX_AMOUNTS = compile_xpath("cac:TaxTotal/cbc:TaxAmount")
_U_TAX_CURRENCY = compile_xpath("cbc:TaxCurrencyCode")
_U_DOC_CURRENCY = compile_xpath("cbc:DocumentCurrencyCode")


def _ubl_vat_signs_differ(doc: Doc) -> bool:
    root = doc.root
    tax_currency_nodes = elements(_U_TAX_CURRENCY(root))
    if not tax_currency_nodes:
        return False
    tax_currency = norm(tax_currency_nodes[0])
    doc_currency = norm(first(_U_DOC_CURRENCY, root))
    amounts = elements(_U_TAX_AMOUNTS(root))
    in_tax = _numbers(a for a in amounts if a.get("currencyID") == tax_currency)
    in_doc = _numbers(a for a in amounts if a.get("currencyID") == doc_currency)
    both_not_positive = any(v <= 0 for v in in_tax) and any(v <= 0 for v in in_doc)
    both_not_negative = any(v >= 0 for v in in_tax) and any(v >= 0 for v in in_doc)
    return not (both_not_positive or both_not_negative)


def _numbers(nodes: Iterator[etree._Element] | list[etree._Element]) -> list[Decimal]:
    values = (decimal_of(node) for node in nodes)
    return [value for value in values if value is not None]


_C_TAX_TOTALS = compile_xpath(
    "ram:SpecifiedTradeSettlementHeaderMonetarySummation/ram:TaxTotalAmount"
)
_C_TAX_CURRENCY = compile_xpath("ram:TaxCurrencyCode")
# The official rules compare with the document-wide parameters $documentCurrencyCode
# and $taxCurrencyCode: node sequences, compared as strings by XPath 2.0 general
# comparison (true if any pair matches; never true against an empty sequence).
_C_DOCUMENT_CURRENCIES = compile_xpath(
    "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
    "/ram:ApplicableHeaderTradeSettlement/ram:InvoiceCurrencyCode"
)
_C_TAX_CURRENCIES = compile_xpath(
    "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
    "/ram:ApplicableHeaderTradeSettlement/ram:TaxCurrencyCode"
)


def _cii_currencies(settlement: etree._Element) -> tuple[list[str], list[str]]:
    """The string values of $documentCurrencyCode and $taxCurrencyCode."""
    return (
        [text_of(n) for n in elements(_C_DOCUMENT_CURRENCIES(settlement))],
        [text_of(n) for n in elements(_C_TAX_CURRENCIES(settlement))],
    )


def _equal(attribute: str | None, values: list[str]) -> bool:
    """``@currencyID = $values`` (XPath 2.0 general comparison)."""
    return attribute is not None and any(attribute == v for v in values)


def _unequal(attribute: str | None, values: list[str]) -> bool:
    """``@currencyID != $values`` (XPath 2.0 general comparison)."""
    return attribute is not None and any(attribute != v for v in values)


def _cii_r053(doc: Doc, settlement: etree._Element) -> bool:
    document, _ = _cii_currencies(settlement)
    totals = elements(_C_TAX_TOTALS(settlement))
    return sum(1 for t in totals if _equal(t.get("currencyID"), document)) > 1


def _cii_r054(doc: Doc, settlement: etree._Element) -> bool:
    document, _ = _cii_currencies(settlement)
    totals = elements(_C_TAX_TOTALS(settlement))
    others = sum(1 for t in totals if _unequal(t.get("currencyID"), document))
    return others != (1 if first(_C_TAX_CURRENCY, settlement) is not None else 0)


def _cii_r055(doc: Doc, settlement: etree._Element) -> bool:
    document, tax = _cii_currencies(settlement)
    totals = elements(_C_TAX_TOTALS(settlement))
    in_doc_nodes = [t for t in totals if _equal(t.get("currencyID"), document)]
    if not tax or not in_doc_nodes:
        return False
    in_tax = _numbers([t for t in totals if _equal(t.get("currencyID"), tax)])
    in_doc = _numbers(in_doc_nodes)
    both_negative = any(v < 0 for v in in_tax) and any(v < 0 for v in in_doc)
    both_not_negative = any(v >= 0 for v in in_tax) and any(v >= 0 for v in in_doc)
    return not (both_negative or both_not_negative)


# ---------------------------------------------------------------------------
# R110/R111: line period within invoice period
# ---------------------------------------------------------------------------

_U_HEADER_START = compile_xpath("/*/cac:InvoicePeriod/cbc:StartDate")
_U_HEADER_END = compile_xpath("/*/cac:InvoicePeriod/cbc:EndDate")


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _ubl_line_date_outside(
    header: etree.XPath, later: bool
) -> Callable[[Doc, etree._Element], Hit | bool | None]:
    def check(doc: Doc, line_date: etree._Element) -> Hit | bool | None:
        bounds = [_iso_date(text_of(node)) for node in elements(header(doc.root))]
        value = _iso_date(text_of(line_date))
        if value is None or any(bound is None for bound in bounds):
            return Hit(
                line_date,
                "Ein Datum ist nicht lesbar (JJJJ-MM-TT).",
                "A date is not readable (YYYY-MM-DD).",
            )
        return any(value < b if later else value > b for b in bounds if b is not None)

    return check


_C_HEADER_START = compile_xpath(
    "../../../../ram:ApplicableHeaderTradeSettlement/ram:BillingSpecifiedPeriod"
    "/ram:StartDateTime/udt:DateTimeString"
)
_C_HEADER_END = compile_xpath(
    "../../../../ram:ApplicableHeaderTradeSettlement/ram:BillingSpecifiedPeriod"
    "/ram:EndDateTime/udt:DateTimeString"
)
_C_DATE_STRING = compile_xpath("udt:DateTimeString")


def _cii_line_date_outside(
    header: etree.XPath, later: bool
) -> Callable[[Doc, etree._Element], bool]:
    """Compare the date strings as strings, as the official rule does: both sides are
    untyped in XPath 2.0, so ``>=`` compares them as strings (any pair may satisfy it)."""

    def check(doc: Doc, line_date: etree._Element) -> bool:
        mine = [text_of(node) for node in elements(_C_DATE_STRING(line_date))]
        bounds = [text_of(node) for node in elements(header(line_date))]
        for value in mine:
            for bound in bounds:
                if value >= bound if later else value <= bound:
                    return False
        return True

    return check


# ---------------------------------------------------------------------------
# R120: line net amount = quantity * (price / base quantity) + charges - allowances
# ---------------------------------------------------------------------------


class _LinePaths:
    def __init__(
        self,
        amount: str,
        quantity: str,
        price: str,
        base_quantities: tuple[str, ...],
        allowances: str,
        charge_amount: str,
        indicator: str,
    ) -> None:
        self.amount = compile_xpath(amount)
        self.quantity = compile_xpath(quantity)
        self.price = compile_xpath(price)
        self.base_quantities = tuple(compile_xpath(p) for p in base_quantities)
        self.allowances = compile_xpath(allowances)
        self.charge_amount = compile_xpath(charge_amount)
        self.indicator = compile_xpath(indicator)


_U_LINE = _LinePaths(
    "cbc:LineExtensionAmount",
    "cbc:InvoicedQuantity | cbc:CreditedQuantity",
    "cac:Price/cbc:PriceAmount",
    ("cac:Price/cbc:BaseQuantity",),
    "cac:AllowanceCharge",
    "cbc:Amount",
    "cbc:ChargeIndicator",
)
_C_LINE = _LinePaths(
    "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation"
    "/ram:LineTotalAmount",
    "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity",
    "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount",
    (
        "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:BasisQuantity",
        "ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice/ram:BasisQuantity",
    ),
    "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeAllowanceCharge",
    "ram:ActualAmount",
    "ram:ChargeIndicator/udt:Indicator",
)


def _value_or(path: etree.XPath, line: etree._Element, default: Decimal) -> Decimal | None:
    node = first(path, line)
    return default if node is None else decimal_of(node)


def _line_amount_wrong(paths: _LinePaths) -> Callable[[Doc, etree._Element], Hit | None]:
    def check(doc: Doc, line: etree._Element) -> Hit | None:
        amount = _value_or(paths.amount, line, Decimal(0))
        quantity = _value_or(paths.quantity, line, Decimal(1))
        price = _value_or(paths.price, line, Decimal(0))
        base = Decimal(1)
        for base_path in paths.base_quantities:
            node = first(base_path, line)
            if node is not None:
                value = decimal_of(node)
                if value is None:
                    return _not_a_number(
                        line, "Die Basismenge (BT-149)", "The base quantity (BT-149)"
                    )
                if value != 0:
                    base = value
                    break
        if amount is None or quantity is None or price is None:
            return _not_a_number(
                line, "Nettobetrag, Menge oder Preis", "Net amount, quantity or price"
            )
        allowances, charges = Decimal(0), Decimal(0)
        for charge in elements(paths.allowances(line)):
            indicator = norm(first(paths.indicator, charge))
            if indicator not in ("true", "false"):
                continue
            value = decimal_of(first(paths.charge_amount, charge))
            if value is None:
                return _not_a_number(
                    line, "Ein Abschlag oder Zuschlag der Position", "A line allowance or charge"
                )
            if indicator == "true":
                charges += value
            else:
                allowances += value
        with localcontext() as context:
            context.prec = DECIMAL_PRECISION
            net = quantity * divide(price, base)
            expected = net + round_half_up_2(charges) - round_half_up_2(allowances)
        if within(amount, expected, _slack(doc)):
            return None
        shown = round_half_up_2(expected)
        return Hit(
            line,
            f"Berechnet {shown}, angegeben {amount}.",
            f"Calculated {shown}, found {amount}.",
        )

    return check


# ---------------------------------------------------------------------------
# R121, R130: base quantity
# ---------------------------------------------------------------------------


_U_BASE_QUANTITY = compile_xpath("cac:Price/cbc:BaseQuantity")


def _ubl_base_quantity_not_positive(doc: Doc, line: etree._Element) -> bool:
    for node in elements(_U_BASE_QUANTITY(line)):
        value = decimal_of(node)
        if value is None or value <= 0:
            return True
    return False


_C_BASIS_QUANTITY = compile_xpath("ram:BasisQuantity")


def _cii_base_quantity_not_positive(doc: Doc, price: etree._Element) -> bool:
    for node in elements(_C_BASIS_QUANTITY(price)):
        value = decimal_of(node)
        if value is None or value <= 0:
            return True
    return False


_U_LINE_QUANTITY = compile_xpath("../../cbc:InvoicedQuantity | ../../cbc:CreditedQuantity")


def _ubl_unit_differs(doc: Doc, base_quantity: etree._Element) -> bool:
    quantities = elements(_U_LINE_QUANTITY(base_quantity))
    if not quantities:
        return False
    return all(q.get("unitCode") != base_quantity.get("unitCode") for q in quantities)


_C_BILLED_QUANTITY = compile_xpath("../../../ram:SpecifiedLineTradeDelivery/ram:BilledQuantity")


def _cii_unit_differs(doc: Doc, base_quantity: etree._Element) -> bool:
    quantities = elements(_C_BILLED_QUANTITY(base_quantity))
    return all(q.get("unitCode") != base_quantity.get("unitCode") for q in quantities)


# ---------------------------------------------------------------------------
# R008: empty elements
# ---------------------------------------------------------------------------

_XML_WHITESPACE = " \t\r\n"
_RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
_CII_DELIVERY_TAG = f"{{{_RAM}}}ApplicableHeaderTradeDelivery"


def _empty_leaves(root: etree._Element) -> list[etree._Element]:
    """``//*[not(*) and not(normalize-space())]``, as one fast pass over the tree."""
    found: list[etree._Element] = []
    for element in root.iter(etree.Element):
        if len(element) == 0:
            if not (element.text or "").strip(_XML_WHITESPACE):
                found.append(element)
        elif element.find("*") is None and not text_of(element).strip(_XML_WHITESPACE):
            found.append(element)  # only comments or processing instructions inside
    return found


def _empty_elements_ubl(doc: Doc) -> list[Offence]:
    return list(_empty_leaves(doc.root))


def _empty_elements_cii(doc: Doc) -> list[Offence]:
    # KoSIT exempts the (often empty) header delivery group in CII.
    return [e for e in _empty_leaves(doc.root) if e.tag != _CII_DELIVERY_TAG]


# ---------------------------------------------------------------------------
# The rules
# ---------------------------------------------------------------------------

_C_ALLOWANCES = "//ram:SpecifiedTradeAllowanceCharge"
# Amount, base amount and percentage of document and line allowances and charges.
_DOCUMENT_ALLOWANCE_TERMS = ("BT-92", "BT-93", "BT-94", "BT-99", "BT-100", "BT-101")
_LINE_ALLOWANCE_TERMS = ("BT-136", "BT-137", "BT-138", "BT-141", "BT-142", "BT-143")
_ALLOWANCE_TERMS: tuple[str, ...] = _DOCUMENT_ALLOWANCE_TERMS + _LINE_ALLOWANCE_TERMS
_DIRECT_DEBIT = "normalize-space({0}) = '49' or normalize-space({0}) = '59'"

RULES: list[Rule] = [
    Rule(
        "PEPPOL-EN16931-R001",
        ERROR,
        ALL,
        ("BT-23",),
        "Der Geschäftsprozesstyp (BT-23) fehlt. Geben Sie ihn an, üblicherweise "
        "'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0'.",
        "The business process type (BT-23) is missing. Provide it, usually "
        "'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0'.",
        ubl=xp(f"{U_ROOT}[not(cbc:ProfileID)]"),
        cii=xp(
            "//rsm:ExchangedDocumentContext[not(ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID)]"
        ),
    ),
    Rule(
        "PEPPOL-EN16931-R005",
        ERROR,
        ALL,
        ("BT-6", "BT-5"),
        "Die Steuerwährung (BT-6) ist gleich der Rechnungswährung (BT-5). BT-6 darf nur "
        "angegeben werden, wenn die Umsatzsteuer in einer anderen Währung auszuweisen ist; "
        "sonst weglassen.",
        "The VAT accounting currency (BT-6) equals the invoice currency (BT-5). Give BT-6 only "
        "when VAT must be stated in another currency; otherwise leave it out.",
        ubl=xp(
            "//cbc:TaxCurrencyCode"
            "[normalize-space(text()) = normalize-space(../cbc:DocumentCurrencyCode/text())]"
        ),
        cii=xp(
            "//ram:ApplicableHeaderTradeSettlement[ram:TaxCurrencyCode and "
            "normalize-space(ram:TaxCurrencyCode/text())"
            " = normalize-space(ram:InvoiceCurrencyCode/text())]"
        ),
    ),
    Rule(
        "PEPPOL-EN16931-R008",
        ERROR,
        ALL,
        (),
        "Die Rechnung enthält ein leeres Element. Füllen Sie es mit einem Wert oder lassen Sie "
        "es ganz weg.",
        "The invoice contains an empty element. Give it a value or leave it out.",
        ubl=_empty_elements_ubl,
        cii=_empty_elements_cii,
    ),
    Rule(
        "PEPPOL-EN16931-R010",
        ERROR,
        ALL,
        ("BT-49",),
        "Die elektronische Adresse des Käufers (BT-49) fehlt. Geben Sie sie mit Schema an "
        "(z. B. die Leitweg-ID mit schemeID 0204 oder eine E-Mail-Adresse mit schemeID EM).",
        "The buyer electronic address (BT-49) is missing. Provide it with its scheme (e.g. the "
        "Leitweg-ID with schemeID 0204 or an e-mail address with schemeID EM).",
        ubl=xp("//cac:AccountingCustomerParty/cac:Party[not(cbc:EndpointID)]"),
        cii=xp("//ram:BuyerTradeParty[not(ram:URIUniversalCommunication/ram:URIID)]"),
    ),
    Rule(
        "PEPPOL-EN16931-R020",
        ERROR,
        ALL,
        ("BT-34",),
        "Die elektronische Adresse des Verkäufers (BT-34) fehlt. Geben Sie sie mit Schema an "
        "(z. B. eine E-Mail-Adresse mit schemeID EM).",
        "The seller electronic address (BT-34) is missing. Provide it with its scheme (e.g. an "
        "e-mail address with schemeID EM).",
        ubl=xp("//cac:AccountingSupplierParty/cac:Party[not(cbc:EndpointID)]"),
        cii=xp("//ram:SellerTradeParty[not(ram:URIUniversalCommunication/ram:URIID)]"),
    ),
    Rule(
        "PEPPOL-EN16931-R040",
        ERROR,
        ALL,
        _ALLOWANCE_TERMS,
        "Der Betrag eines Abschlags oder Zuschlags passt nicht zu Basisbetrag mal Prozentsatz "
        "durch 100 (Toleranz 0,02, in HUF 0,5). Korrigieren Sie Betrag, Basisbetrag oder "
        "Prozentsatz.",
        "An allowance or charge amount does not equal base amount times percentage divided by "
        "100 (tolerance 0.02, in HUF 0.5). Correct the amount, the base amount or the percentage.",
        ubl=each(
            U_DOC_AND_LINE_ALLOWANCES,
            _percentage_check("cbc:Amount", "cbc:BaseAmount", "cbc:MultiplierFactorNumeric"),
        ),
        cii=each(
            _C_ALLOWANCES,
            _percentage_check("ram:ActualAmount", "ram:BasisAmount", "ram:CalculationPercent"),
        ),
    ),
    Rule(
        "PEPPOL-EN16931-R041",
        ERROR,
        ALL,
        ("BT-93", "BT-100", "BT-137", "BT-142"),
        "Bei einem Abschlag oder Zuschlag ist ein Prozentsatz angegeben, aber kein Basisbetrag. "
        "Ergänzen Sie den Basisbetrag.",
        "An allowance or charge gives a percentage but no base amount. Add the base amount.",
        ubl=xp(
            " | ".join(
                f"{p.strip()}[cbc:MultiplierFactorNumeric and not(cbc:BaseAmount)]"
                for p in U_DOC_AND_LINE_ALLOWANCES.split("|")
            )
        ),
        cii=xp(f"{_C_ALLOWANCES}[ram:CalculationPercent and not(ram:BasisAmount)]"),
    ),
    Rule(
        "PEPPOL-EN16931-R042",
        ERROR,
        ALL,
        ("BT-94", "BT-101", "BT-138", "BT-143"),
        "Bei einem Abschlag oder Zuschlag ist ein Basisbetrag angegeben, aber kein Prozentsatz. "
        "Ergänzen Sie den Prozentsatz oder lassen Sie den Basisbetrag weg.",
        "An allowance or charge gives a base amount but no percentage. Add the percentage or "
        "leave out the base amount.",
        ubl=xp(
            " | ".join(
                f"{p.strip()}[not(cbc:MultiplierFactorNumeric) and cbc:BaseAmount]"
                for p in U_DOC_AND_LINE_ALLOWANCES.split("|")
            )
        ),
        cii=xp(f"{_C_ALLOWANCES}[not(ram:CalculationPercent) and ram:BasisAmount]"),
    ),
    Rule(
        "PEPPOL-EN16931-R043",
        ERROR,
        ALL,
        (),
        "Der Indikator für Abschlag/Zuschlag (ChargeIndicator) muss 'true' (Zuschlag) oder "
        "'false' (Abschlag) lauten.",
        "The allowance/charge indicator (ChargeIndicator) must be 'true' (charge) or 'false' "
        "(allowance).",
        ubl=xp(
            " | ".join(
                f"{p.strip()}[not(normalize-space(cbc:ChargeIndicator/text()) = 'true'"
                " or normalize-space(cbc:ChargeIndicator/text()) = 'false')]"
                for p in U_DOC_AND_LINE_ALLOWANCES.split("|")
            )
        ),
    ),
    Rule(
        "PEPPOL-EN16931-R043-1",
        ERROR,
        ALL,
        (),
        "Der Indikator eines Abschlags/Zuschlags auf Dokument- oder Positionsebene muss 'true' "
        "(Zuschlag) oder 'false' (Abschlag) lauten.",
        "The indicator of a document or line allowance/charge must be 'true' (charge) or "
        "'false' (allowance).",
        cii=xp(
            f"{_C_ALLOWANCES}[not("
            "normalize-space(ram:ChargeIndicator/udt:Indicator/text()) = 'true'"
            " or normalize-space(ram:ChargeIndicator/udt:Indicator/text()) = 'false')]"
        ),
    ),
    Rule(
        "PEPPOL-EN16931-R043-2",
        ERROR,
        ALL,
        (),
        "Der Indikator eines Rabatts auf den Artikelpreis muss 'true' oder 'false' lauten.",
        "The indicator of an item price discount must be 'true' or 'false'.",
        cii=xp(
            "//ram:AppliedTradeAllowanceCharge[not("
            "normalize-space(ram:ChargeIndicator/udt:Indicator/text()) = 'true'"
            " or normalize-space(ram:ChargeIndicator/udt:Indicator/text()) = 'false')]"
        ),
    ),
    Rule(
        "PEPPOL-EN16931-R044",
        ERROR,
        ALL,
        ("BT-147",),
        "Auf Preisebene sind nur Rabatte erlaubt, keine Zuschläge: der Indikator muss 'false' "
        "sein. Weisen Sie Zuschläge auf Positions- oder Dokumentebene aus.",
        "Only discounts are allowed at price level, no charges: the indicator must be 'false'. "
        "Put charges at line or document level.",
        ubl=xp(
            "//cac:Price/cac:AllowanceCharge[not(normalize-space(cbc:ChargeIndicator) = 'false')]"
        ),
        cii=xp(
            f"{C_LINES}/ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice"
            "[ram:AppliedTradeAllowanceCharge[not(ram:ChargeIndicator/udt:Indicator = 'false')]]"
        ),
    ),
    Rule(
        "PEPPOL-EN16931-R046",
        ERROR,
        ALL,
        ("BT-146", "BT-147", "BT-148"),
        "Der Nettopreis (BT-146) ist nicht Bruttopreis (BT-148) minus Rabatt (BT-147). "
        "Korrigieren Sie die Preisangaben.",
        "The item net price (BT-146) is not the gross price (BT-148) minus the discount "
        "(BT-147). Correct the prices.",
        ubl=each("//cac:Price/cac:AllowanceCharge", _ubl_net_price_wrong),
        cii=each(
            f"{C_LINES}/ram:SpecifiedLineTradeAgreement/ram:GrossPriceProductTradePrice",
            _cii_net_price_wrong,
        ),
    ),
    Rule(
        "PEPPOL-EN16931-R053",
        ERROR,
        ALL,
        ("BT-110",),
        "Die Gesamtsumme der Umsatzsteuer in Rechnungswährung (BT-110, mit Aufschlüsselung) "
        "muss genau einmal angegeben werden.",
        "The invoice total VAT amount in the invoice currency (BT-110, with the VAT breakdown) "
        "must be given exactly once.",
        ubl=xp(f"{U_ROOT}[count(cac:TaxTotal[cac:TaxSubtotal]) != 1]"),
        cii=each("//ram:ApplicableHeaderTradeSettlement", _cii_r053),
    ),
    Rule(
        "PEPPOL-EN16931-R054",
        ERROR,
        ALL,
        ("BT-111", "BT-6"),
        "Die Umsatzsteuer in Steuerwährung (BT-111) muss genau dann einmal angegeben werden, "
        "wenn eine Steuerwährung (BT-6) genannt ist, sonst gar nicht.",
        "The VAT total in accounting currency (BT-111) must be given exactly once when a VAT "
        "accounting currency (BT-6) is stated, and not otherwise.",
        ubl=xp(
            f"{U_ROOT}[count(cac:TaxTotal[not(cac:TaxSubtotal)]) != count(cbc:TaxCurrencyCode[1])]"
        ),
        cii=each("//ram:ApplicableHeaderTradeSettlement", _cii_r054),
    ),
    Rule(
        "PEPPOL-EN16931-R055",
        ERROR,
        ALL,
        ("BT-110", "BT-111"),
        "Die Umsatzsteuer in Rechnungswährung (BT-110) und in Steuerwährung (BT-111) haben "
        "unterschiedliche Vorzeichen. Beide müssen positiv oder beide negativ sein.",
        "The VAT total in invoice currency (BT-110) and in accounting currency (BT-111) have "
        "different signs. Both must be positive or both negative.",
        ubl=root_if(_ubl_vat_signs_differ),
        cii=each("//ram:ApplicableHeaderTradeSettlement", _cii_r055),
    ),
    Rule(
        "PEPPOL-EN16931-R061",
        ERROR,
        ALL,
        ("BT-89", "BT-81"),
        "Bei Zahlungsart Lastschrift (BT-81 = 49 oder 59) fehlt die Mandatsreferenz (BT-89). "
        "Geben Sie die Kennung des SEPA-Mandats an.",
        "Payment means is a direct debit (BT-81 = 49 or 59) but the mandate reference (BT-89) "
        "is missing. Give the SEPA mandate reference.",
        ubl=xp(
            f"//cac:PaymentMeans[{_DIRECT_DEBIT.format('cbc:PaymentMeansCode')}][not(cac:PaymentMandate/cbc:ID)]"
        ),
        cii=xp(
            f"//ram:SpecifiedTradeSettlementPaymentMeans[{_DIRECT_DEBIT.format('ram:TypeCode')}]"
            "[not(../ram:SpecifiedTradePaymentTerms/ram:DirectDebitMandateID)]"
        ),
    ),
    Rule(
        "PEPPOL-EN16931-R101",
        ERROR,
        ALL,
        ("BT-128",),
        "Eine Dokumentreferenz in einer Rechnungsposition ist nur als Objektkennung (BT-128, "
        "Dokumenttyp 130) erlaubt. Setzen Sie den Typcode 130 oder entfernen Sie die Referenz.",
        "A document reference in an invoice line is only allowed as invoice line object "
        "identifier (BT-128, type code 130). Use type code 130 or remove the reference.",
        ubl=xp(
            " | ".join(
                f"/*/{line}[cac:DocumentReference"
                " and not(cac:DocumentReference/cbc:DocumentTypeCode = '130')]"
                for line in ("cac:InvoiceLine", "cac:CreditNoteLine")
            )
        ),
        cii=xp(
            "//ram:IncludedSupplyChainTradeLineItem"
            "[ram:SpecifiedLineTradeSettlement/ram:AdditionalReferencedDocument"
            " and not(ram:SpecifiedLineTradeSettlement"
            "/ram:AdditionalReferencedDocument/ram:TypeCode = '130')]"
        ),
    ),
    Rule(
        "PEPPOL-EN16931-R110",
        ERROR,
        ALL,
        ("BT-134", "BT-73"),
        "Der Beginn des Leistungszeitraums einer Position (BT-134) liegt vor dem Beginn des "
        "Rechnungszeitraums (BT-73). Der Positionszeitraum muss im Rechnungszeitraum liegen.",
        "The start of an invoice line period (BT-134) is before the start of the invoicing "
        "period (BT-73). The line period must lie within the invoicing period.",
        ubl=each(
            "/*[cac:InvoicePeriod/cbc:StartDate]/cac:InvoiceLine/cac:InvoicePeriod/cbc:StartDate"
            " | /*[cac:InvoicePeriod/cbc:StartDate]"
            "/cac:CreditNoteLine/cac:InvoicePeriod/cbc:StartDate",
            _ubl_line_date_outside(_U_HEADER_START, later=True),
        ),
        cii=each(
            "//rsm:SupplyChainTradeTransaction[ram:ApplicableHeaderTradeSettlement/ram:BillingSpecifiedPeriod/ram:StartDateTime]/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement/ram:BillingSpecifiedPeriod/ram:StartDateTime",
            _cii_line_date_outside(_C_HEADER_START, later=True),
        ),
    ),
    Rule(
        "PEPPOL-EN16931-R111",
        ERROR,
        ALL,
        ("BT-135", "BT-74"),
        "Das Ende des Leistungszeitraums einer Position (BT-135) liegt nach dem Ende des "
        "Rechnungszeitraums (BT-74). Der Positionszeitraum muss im Rechnungszeitraum liegen.",
        "The end of an invoice line period (BT-135) is after the end of the invoicing period "
        "(BT-74). The line period must lie within the invoicing period.",
        ubl=each(
            "/*[cac:InvoicePeriod/cbc:EndDate]/cac:InvoiceLine/cac:InvoicePeriod/cbc:EndDate"
            " | /*[cac:InvoicePeriod/cbc:EndDate]/cac:CreditNoteLine/cac:InvoicePeriod/cbc:EndDate",
            _ubl_line_date_outside(_U_HEADER_END, later=False),
        ),
        cii=each(
            "//rsm:SupplyChainTradeTransaction[ram:ApplicableHeaderTradeSettlement/ram:BillingSpecifiedPeriod/ram:EndDateTime]/ram:IncludedSupplyChainTradeLineItem/ram:SpecifiedLineTradeSettlement/ram:BillingSpecifiedPeriod/ram:EndDateTime",
            _cii_line_date_outside(_C_HEADER_END, later=False),
        ),
    ),
    Rule(
        "PEPPOL-EN16931-R120",
        WARNING,  # the XRechnung Schematron runs it as a warning in UBL and CII
        ALL,
        ("BT-131", "BT-129", "BT-146", "BT-149", "BT-136", "BT-141"),
        "Der Nettobetrag einer Position (BT-131) ist nicht Menge (BT-129) mal Nettopreis "
        "(BT-146) durch Basismenge (BT-149) plus Zuschläge minus Abschläge der Position "
        "(Toleranz 0,02, in HUF 0,5). Rechnen Sie die Position nach.",
        "An invoice line net amount (BT-131) is not quantity (BT-129) times net price (BT-146) "
        "divided by base quantity (BT-149) plus line charges minus line allowances (tolerance "
        "0.02, in HUF 0.5). Recalculate the line.",
        ubl=each(U_LINES, _line_amount_wrong(_U_LINE)),
        cii=each("//ram:IncludedSupplyChainTradeLineItem", _line_amount_wrong(_C_LINE)),
    ),
    Rule(
        "PEPPOL-EN16931-R121",
        ERROR,
        ALL,
        ("BT-149",),
        "Die Basismenge des Artikelpreises (BT-149) muss größer als null sein.",
        "The item price base quantity (BT-149) must be greater than zero.",
        ubl=each(U_LINES, _ubl_base_quantity_not_positive),
        cii=each(
            "//ram:NetPriceProductTradePrice | //ram:GrossPriceProductTradePrice",
            _cii_base_quantity_not_positive,
        ),
    ),
    Rule(
        "PEPPOL-EN16931-R130",
        ERROR,
        ALL,
        ("BT-150", "BT-130"),
        "Die Einheit der Basismenge (BT-150) weicht von der Einheit der fakturierten Menge "
        "(BT-130) ab. Verwenden Sie dieselbe Einheit.",
        "The unit of the price base quantity (BT-150) differs from the unit of the invoiced "
        "quantity (BT-130). Use the same unit.",
        ubl=each("//cac:Price/cbc:BaseQuantity[@unitCode]", _ubl_unit_differs),
        cii=each(
            "//ram:NetPriceProductTradePrice/ram:BasisQuantity[@unitCode]"
            " | //ram:GrossPriceProductTradePrice/ram:BasisQuantity[@unitCode]",
            _cii_unit_differs,
        ),
    ),
]
