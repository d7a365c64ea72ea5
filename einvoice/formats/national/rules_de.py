"""XRechnung 3.0 core rules: BR-DE-1 .. BR-DE-31, BR-DE-TMP-32, BR-TMP-2, BR-TMP-3.

One ``Rule`` per official id. The checks select the context element of the
official rule when the rule is violated. Messages are the project's own words.
"""

from __future__ import annotations

import re

from lxml import etree

from einvoice.formats.national import codelists
from einvoice.formats.national.iban import compact_iban, iban_is_valid
from einvoice.formats.national.model import (
    ALL,
    ERROR,
    INFO,
    WARNING,
    Doc,
    DocTest,
    ElementTest,
    Hit,
    Rule,
    compile_xpath,
    each,
    elements,
    first,
    root_if,
    xp,
)
from einvoice.formats.national.paths import (
    C_AGREEMENT,
    C_AGREEMENT_REL,
    C_BG19_ANY,
    C_BT89_REL,
    C_BT90_REL,
    C_BT91_REL,
    C_BUYER,
    C_DELIVERY,
    C_LINES,
    C_PAYMENT_MEANS,
    C_ROOT,
    C_SELLER,
    C_SETTLEMENT,
    U_BUYER_PARTY,
    U_PAYMENT_MEANS,
    U_ROOT,
    U_SELLER,
    U_SELLER_PARTY,
    codes_predicate,
)
from einvoice.formats.national.skonto import parse_payment_terms
from einvoice.formats.national.values import norm, normalize_space, text_of

XR_CIUS_ID = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
XR_EXTENSION_ID = XR_CIUS_ID + "#conformant#urn:xeinkauf.de:kosit:extension:xrechnung_3.0"
XR_CVD_ID = XR_CIUS_ID + "#compliant#urn:xeinkauf.de:kosit:xrechnung:cvd_0.9"
XRECHNUNG_IDS = frozenset({XR_CIUS_ID, XR_EXTENSION_ID, XR_CVD_ID})

_TELEPHONE_3_DIGITS = re.compile(r"(?:[^0-9]*[0-9]){3}")
_EMAIL = re.compile(r"[^@ \t\r\n]+@(?:[^@. \t\r\n]+\.)+[^@. \t\r\n]+")
_ABSOLUTE_URL = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]+:")

# ---------------------------------------------------------------------------
# Shared relative XPaths
# ---------------------------------------------------------------------------
_U_CUSTOMIZATION = compile_xpath("cbc:CustomizationID")
_C_GUIDELINE = compile_xpath("ram:GuidelineSpecifiedDocumentContextParameter/ram:ID")
_U_PAYMENT_NOTES = compile_xpath("cac:PaymentTerms/cbc:Note[1]")
_C_PAYMENT_NOTES = compile_xpath(
    "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
    "/ram:SpecifiedTradePaymentTerms/ram:Description[1]"
)
_U_TYPE_CODE = compile_xpath("cbc:InvoiceTypeCode | cbc:CreditNoteTypeCode")
_C_TYPE_CODE = compile_xpath("rsm:ExchangedDocument/ram:TypeCode")
_U_PAYEE_IBAN = compile_xpath("cac:PayeeFinancialAccount/cbc:ID")
_U_PAYER_IBAN = compile_xpath("cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID")
_C_PAYEE_IBAN = compile_xpath("ram:PayeePartyCreditorFinancialAccount/ram:IBANID")
_C_PAYER_IBAN = compile_xpath("ram:PayerPartyDebtorFinancialAccount/ram:IBANID")
_U_ADDITIONAL_DOCS = compile_xpath("cac:AdditionalDocumentReference")
_U_ATTACHMENT_FILENAMES = compile_xpath("cac:Attachment/cbc:EmbeddedDocumentBinaryObject/@filename")
_C_ADDITIONAL_DOCS = compile_xpath("//ram:AdditionalReferencedDocument")
_C_ATTACHMENT = compile_xpath("ram:AttachmentBinaryObject")
_U_URI = compile_xpath("cbc:URI")
_C_GROSS_BASIS = compile_xpath("ram:GrossPriceProductTradePrice/ram:BasisQuantity")
_C_NET_BASIS = compile_xpath("ram:NetPriceProductTradePrice/ram:BasisQuantity")

# BR-DE-16: where a VAT category code is used, and where the seller's tax ids are.
_U_TAX_CATEGORY_CODES = compile_xpath(
    "cac:AllowanceCharge[cbc:ChargeIndicator = 'false' or cbc:ChargeIndicator = 'true']"
    "/cac:TaxCategory/cbc:ID"
    " | cac:InvoiceLine/cac:Item/cac:ClassifiedTaxCategory/cbc:ID"
    " | cac:CreditNoteLine/cac:Item/cac:ClassifiedTaxCategory/cbc:ID"
)
_U_SELLER_TAX_IDS = compile_xpath(
    "cac:TaxRepresentativeParty"
    " | cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID"
    "[normalize-space(.)]"
)
_C_TAX_CATEGORY_CODES = compile_xpath(
    "rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"
    "/ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax[ram:TypeCode = 'VAT']"
    "/ram:CategoryCode"
    " | rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
    "/ram:SpecifiedTradeAllowanceCharge/ram:CategoryTradeTax[ram:TypeCode = 'VAT']"
    "/ram:CategoryCode"
)
_C_SELLER_TAX_IDS = compile_xpath(
    "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement/ram:SellerTradeParty"
    "/ram:SpecifiedTaxRegistration/ram:ID[@schemeID = 'VA' or @schemeID = 'FC']"
    "[normalize-space(.)]"
    " | rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeAgreement"
    "/ram:SellerTaxRepresentativeTradeParty"
)

# BR-DE-TMP-32: a delivery date or a period.
_U_DELIVERY_DATE_OR_PERIOD = compile_xpath(
    "cac:Delivery/cbc:ActualDeliveryDate | cac:InvoicePeriod"
)
_U_LINES_WITHOUT_PERIOD = compile_xpath(
    "cac:InvoiceLine[not(cac:InvoicePeriod)] | cac:CreditNoteLine[not(cac:InvoicePeriod)]"
)
_C_DELIVERY_DATE_OR_PERIOD = compile_xpath(
    "rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeDelivery"
    "/ram:ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime"
    " | rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
    "/ram:BillingSpecifiedPeriod"
)
_C_LINES_WITHOUT_PERIOD = compile_xpath(
    "rsm:SupplyChainTradeTransaction/ram:IncludedSupplyChainTradeLineItem"
    "[not(ram:SpecifiedLineTradeSettlement/ram:BillingSpecifiedPeriod)]"
)

_U_TRANSFER_MEANS = U_PAYMENT_MEANS + "[" + codes_predicate("cbc:PaymentMeansCode", "30 58") + "]"
_U_CARD_MEANS = U_PAYMENT_MEANS + "[" + codes_predicate("cbc:PaymentMeansCode", "48 54 55") + "]"
_U_DEBIT_MEANS = U_PAYMENT_MEANS + "[" + codes_predicate("cbc:PaymentMeansCode", "59") + "]"
_C_TRANSFER_MEANS = C_PAYMENT_MEANS + "[" + codes_predicate("ram:TypeCode", "30 58") + "]"
_C_CARD_MEANS = C_PAYMENT_MEANS + "[" + codes_predicate("ram:TypeCode", "48 54 55") + "]"
_C_DEBIT_MEANS = C_PAYMENT_MEANS + "[" + codes_predicate("ram:TypeCode", "59") + "]"
_C_BG19_ELEMENTS = f"{C_BG19_ANY} or ram:PayerPartyDebtorFinancialAccount/ram:IBANID"


# ---------------------------------------------------------------------------
# Checks with real logic
# ---------------------------------------------------------------------------


def _bt24_wrong(path: etree.XPath) -> ElementTest:
    def check(doc: Doc, context: etree._Element) -> Hit | None:
        values = [text_of(node) for node in elements(path(context))]
        if any(value in XRECHNUNG_IDS for value in values):
            return None
        shown = values[0] if values else ""
        return Hit(
            context,
            f"Angegeben ist '{shown}'." if values else "BT-24 fehlt.",
            f"Found '{shown}'." if values else "BT-24 is missing.",
        )

    return check


def _skonto(notes: etree.XPath) -> DocTest:
    def check(doc: Doc) -> Hit | None:
        details_de: list[str] = []
        details_en: list[str] = []
        for note in elements(notes(doc.root)):
            parsed = parse_payment_terms(text_of(note))
            for problem in parsed.problems:
                where_de = f"Zeile {problem.line} '{problem.text}': " if problem.line else ""
                where_en = f"Line {problem.line} '{problem.text}': " if problem.line else ""
                details_de.append(where_de + problem.reason_de)
                details_en.append(where_en + problem.reason_en)
        if not details_de:
            return None
        return Hit(doc.root, " ".join(details_de), " ".join(details_en))

    return check


def _seller_tax_id_missing(codes: etree.XPath, tax_ids: etree.XPath) -> DocTest:
    def check(doc: Doc) -> bool:
        used = {text_of(node) for node in elements(codes(doc.root))}
        if not used & codes_needing_id:
            return False
        return not elements(tax_ids(doc.root))

    codes_needing_id = codelists.VAT_CODES_NEEDING_SELLER_TAX_ID
    return check


def _type_code_unusual(type_code: etree.XPath) -> DocTest:
    def check(doc: Doc) -> Hit | None:
        values = [norm(node) for node in elements(type_code(doc.root))]
        if any(value in codelists.XRECHNUNG_TYPE_CODES for value in values):
            return None
        shown = values[0] if values else ""
        return Hit(doc.root, f"Angegeben ist '{shown}'.", f"Found '{shown}'.")

    return check


def _iban_wrong(account: etree.XPath, code_path: str, code: str) -> ElementTest:
    code_xpath = compile_xpath(code_path)

    def check(doc: Doc, means: etree._Element) -> Hit | None:
        if norm(first(code_xpath, means)) != code:
            return None
        node = first(account, means)
        value = text_of(node) if node is not None else ""
        if iban_is_valid(value):
            return None
        if not compact_iban(value):
            return Hit(means, "Es ist keine IBAN angegeben.", "No IBAN is given.")
        return Hit(
            means,
            f"'{value.strip()}' ist keine gültige IBAN (Prüfziffer oder Aufbau falsch).",
            f"'{value.strip()}' is not a valid IBAN (wrong check digits or format).",
        )

    return check


def _duplicate_filenames_ubl(doc: Doc) -> Hit | None:
    """BR-DE-22 (UBL) as the official test: ``count(cac:AdditionalDocumentReference) =
    count(cac:AdditionalDocumentReference[not(./cac:Attachment/cbc:EmbeddedDocumentBinaryObject
    /@filename = preceding-sibling::cac:AdditionalDocumentReference/...@filename)])``.

    Official behaviour reproduced: only file names of *sibling* references are
    compared; two attachments inside one reference (schema-invalid) do not count.
    """
    references = elements(_U_ADDITIONAL_DOCS(doc.root))
    return _first_repeated_across(
        doc.root, [[str(name) for name in _U_ATTACHMENT_FILENAMES(ref)] for ref in references]
    )


def _duplicate_filenames_cii(doc: Doc) -> Hit | None:
    """As the official test: a document reference whose attachment file name equals one
    of a *preceding sibling* reference (several names inside one reference do not count)."""
    by_parent: dict[int, list[list[str]]] = {}
    for reference in elements(_C_ADDITIONAL_DOCS(doc.root)):
        names = [
            name
            for attachment in elements(_C_ATTACHMENT(reference))
            if (name := attachment.get("filename")) is not None
        ]
        by_parent.setdefault(id(reference.getparent()), []).append(names)
    for siblings in by_parent.values():
        hit = _first_repeated_across(doc.root, siblings)
        if hit is not None:
            return hit
    return None


def _first_repeated_across(root: etree._Element, groups: list[list[str]]) -> Hit | None:
    """The first name of a group that an *earlier* group already has (not within one group)."""
    earlier: set[str] = set()
    for names in groups:
        for name in names:
            if name in earlier:
                return Hit(root, f"Doppelt: '{name}'.", f"Duplicate: '{name}'.")
        earlier.update(names)
    return None


def _telephone_too_short(doc: Doc, contact: etree._Element, path: etree.XPath) -> bool:
    number = normalize_space(" ".join(text_of(node) for node in elements(path(contact))[:1]))
    return _TELEPHONE_3_DIGITS.match(number) is None


def _email_malformed(doc: Doc, contact: etree._Element, path: etree.XPath) -> Hit | None:
    nodes = elements(path(contact))
    address = normalize_space(text_of(nodes[0])) if nodes else ""
    if _EMAIL.fullmatch(address):
        return None
    return Hit(contact, f"Angegeben ist '{address}'.", f"Found '{address}'.")


_U_TELEPHONE = compile_xpath("cbc:Telephone")
_U_EMAIL = compile_xpath("cbc:ElectronicMail")
_C_TELEPHONE = compile_xpath("ram:TelephoneUniversalCommunication/ram:CompleteNumber")
_C_EMAIL = compile_xpath("ram:EmailURIUniversalCommunication/ram:URIID")


def _no_delivery_date(date_or_period: etree.XPath, lines_without: etree.XPath) -> DocTest:
    def check(doc: Doc) -> bool:
        if elements(date_or_period(doc.root)):
            return False
        return bool(elements(lines_without(doc.root)))

    return check


def _gross_net_basis_differ(doc: Doc, agreement: etree._Element) -> Hit | None:
    gross = first(_C_GROSS_BASIS, agreement)
    net = first(_C_NET_BASIS, agreement)
    if gross is None or net is None:
        return None
    gross_value, net_value = text_of(gross).strip(), text_of(net).strip()
    if gross_value != net_value:
        return Hit(
            agreement,
            f"Bruttopreis: {gross_value}, Nettopreis: {net_value}.",
            f"Gross price: {gross_value}, net price: {net_value}.",
        )
    gross_unit, net_unit = gross.get("unitCode"), net.get("unitCode")
    if gross_unit is not None and net_unit is not None and gross_unit != net_unit:
        return Hit(
            agreement,
            f"Einheiten: '{gross_unit}' (Bruttopreis) und '{net_unit}' (Nettopreis).",
            f"Units: '{gross_unit}' (gross price) and '{net_unit}' (net price).",
        )
    return None


def _uri_not_absolute(doc: Doc, reference: etree._Element) -> Hit | None:
    nodes = elements(_U_URI(reference))
    uri = text_of(nodes[0]) if nodes else ""
    return _uri_hit(reference, uri)


def _uri_hit(element: etree._Element, uri: str) -> Hit | None:
    if _ABSOLUTE_URL.match(uri):
        return None
    return Hit(element, f"Angegeben ist '{uri}'.", f"Found '{uri}'.")


def _cii_uri_not_absolute(doc: Doc, uri: etree._Element) -> Hit | None:
    return _uri_hit(uri, text_of(uri))


def _cii_bg19_incomplete(missing: str, others: tuple[str, str]) -> DocTest:
    """BR-DE-30/31 in CII: once any part of BG-19 exists, ``missing`` must exist too."""
    compiled_missing = compile_xpath(missing)
    compiled_others = [compile_xpath(path) for path in others]

    def check(doc: Doc) -> bool:
        if elements(compiled_missing(doc.root)):
            return False
        return any(elements(path(doc.root)) for path in compiled_others)

    return check


# ---------------------------------------------------------------------------
# The rules
# ---------------------------------------------------------------------------

RULES: list[Rule] = [
    Rule(
        "BR-DE-1",
        ERROR,
        ALL,
        ("BG-16",),
        "Die Zahlungsanweisungen (BG-16) fehlen. Geben Sie an, wie bezahlt werden soll "
        "(Zahlungsart BT-81, z. B. 58 für SEPA-Überweisung, mit Bankverbindung).",
        "The payment instructions (BG-16) are missing. State how the invoice is to be paid "
        "(payment means code BT-81, e.g. 58 for SEPA credit transfer, with the account).",
        ubl=xp(f"{U_ROOT}[not(cac:PaymentMeans)]"),
        cii=xp(
            f"{C_ROOT}[not(rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
            "/ram:SpecifiedTradeSettlementPaymentMeans)]"
        ),
    ),
    Rule(
        "BR-DE-2",
        ERROR,
        ALL,
        ("BG-6",),
        "Die Kontaktangaben des Verkäufers (BG-6) fehlen. Nennen Sie eine Ansprechstelle mit "
        "Telefonnummer und E-Mail-Adresse.",
        "The seller contact (BG-6) is missing. Give a contact point with telephone number and "
        "e-mail address.",
        ubl=xp(f"{U_SELLER}[not(cac:Party/cac:Contact)]"),
        cii=xp(f"{C_SELLER}[not(ram:DefinedTradeContact)]"),
    ),
    Rule(
        "BR-DE-3",
        ERROR,
        ALL,
        ("BT-37",),
        "Der Ort in der Anschrift des Verkäufers (BT-37) fehlt oder ist leer. Tragen Sie den "
        "Ort ein.",
        "The seller's city (BT-37) is missing or empty. Enter the city of the seller's address.",
        ubl=xp(f"{U_SELLER_PARTY}/cac:PostalAddress[not(cbc:CityName[normalize-space(.)])]"),
        cii=xp(f"{C_SELLER}/ram:PostalTradeAddress[not(ram:CityName[normalize-space(.)])]"),
    ),
    Rule(
        "BR-DE-4",
        ERROR,
        ALL,
        ("BT-38",),
        "Die Postleitzahl des Verkäufers (BT-38) fehlt oder ist leer. Tragen Sie die PLZ ein.",
        "The seller's post code (BT-38) is missing or empty. Enter the post code.",
        ubl=xp(f"{U_SELLER_PARTY}/cac:PostalAddress[not(cbc:PostalZone[normalize-space(.)])]"),
        cii=xp(f"{C_SELLER}/ram:PostalTradeAddress[not(ram:PostcodeCode[normalize-space(.)])]"),
    ),
    Rule(
        "BR-DE-5",
        ERROR,
        ALL,
        ("BT-41",),
        "Die Kontaktstelle des Verkäufers (BT-41, Name einer Person oder Abteilung) fehlt oder "
        "ist leer. Nennen Sie, wer Rückfragen zur Rechnung beantwortet.",
        "The seller contact point (BT-41, a person or department) is missing or empty. Name "
        "who answers questions about the invoice.",
        ubl=xp(f"{U_SELLER_PARTY}/cac:Contact[not(cbc:Name[normalize-space(.)])]"),
        cii=xp(
            f"{C_SELLER}/ram:DefinedTradeContact"
            "[not(ram:PersonName[normalize-space(.)] | ram:DepartmentName[normalize-space(.)])]"
        ),
    ),
    Rule(
        "BR-DE-6",
        ERROR,
        ALL,
        ("BT-42",),
        "Die Telefonnummer des Verkäufer-Kontakts (BT-42) fehlt oder ist leer. Tragen Sie eine "
        "Telefonnummer ein.",
        "The seller contact telephone number (BT-42) is missing or empty. Enter a telephone "
        "number.",
        ubl=xp(f"{U_SELLER_PARTY}/cac:Contact[not(cbc:Telephone[normalize-space(.)])]"),
        cii=xp(
            f"{C_SELLER}/ram:DefinedTradeContact[not(ram:TelephoneUniversalCommunication"
            "/ram:CompleteNumber[normalize-space(.)])]"
        ),
    ),
    Rule(
        "BR-DE-7",
        ERROR,
        ALL,
        ("BT-43",),
        "Die E-Mail-Adresse des Verkäufer-Kontakts (BT-43) fehlt oder ist leer. Tragen Sie eine "
        "E-Mail-Adresse ein.",
        "The seller contact e-mail address (BT-43) is missing or empty. Enter an e-mail address.",
        ubl=xp(f"{U_SELLER_PARTY}/cac:Contact[not(cbc:ElectronicMail[normalize-space(.)])]"),
        cii=xp(
            f"{C_SELLER}/ram:DefinedTradeContact[not(ram:EmailURIUniversalCommunication"
            "/ram:URIID[normalize-space(.)])]"
        ),
    ),
    Rule(
        "BR-DE-8",
        ERROR,
        ALL,
        ("BT-52",),
        "Der Ort in der Anschrift des Käufers (BT-52) fehlt oder ist leer. Tragen Sie den Ort "
        "der Rechnungsempfängerin ein.",
        "The buyer's city (BT-52) is missing or empty. Enter the city of the buyer's address.",
        ubl=xp(f"{U_BUYER_PARTY}/cac:PostalAddress[not(cbc:CityName[normalize-space(.)])]"),
        cii=xp(f"{C_BUYER}/ram:PostalTradeAddress[not(ram:CityName[normalize-space(.)])]"),
    ),
    Rule(
        "BR-DE-9",
        ERROR,
        ALL,
        ("BT-53",),
        "Die Postleitzahl des Käufers (BT-53) fehlt oder ist leer. Tragen Sie die PLZ der "
        "Rechnungsempfängerin ein.",
        "The buyer's post code (BT-53) is missing or empty. Enter the buyer's post code.",
        ubl=xp(f"{U_BUYER_PARTY}/cac:PostalAddress[not(cbc:PostalZone[normalize-space(.)])]"),
        cii=xp(f"{C_BUYER}/ram:PostalTradeAddress[not(ram:PostcodeCode[normalize-space(.)])]"),
    ),
    Rule(
        "BR-DE-10",
        ERROR,
        ALL,
        ("BT-77", "BG-15"),
        "Eine Lieferanschrift (BG-15) ist angegeben, aber ohne Ort (BT-77). Ergänzen Sie den "
        "Ort oder lassen Sie die Lieferanschrift ganz weg.",
        "A deliver-to address (BG-15) is given without a city (BT-77). Add the city or leave "
        "out the deliver-to address.",
        ubl=xp(
            "/*/cac:Delivery/cac:DeliveryLocation/cac:Address[not(cbc:CityName[normalize-space(.)])]"
        ),
        cii=xp(
            f"{C_DELIVERY}/ram:ShipToTradeParty/ram:PostalTradeAddress"
            "[not(ram:CityName[normalize-space(.)])]"
        ),
    ),
    Rule(
        "BR-DE-11",
        ERROR,
        ALL,
        ("BT-78", "BG-15"),
        "Eine Lieferanschrift (BG-15) ist angegeben, aber ohne Postleitzahl (BT-78). Ergänzen "
        "Sie die PLZ oder lassen Sie die Lieferanschrift ganz weg.",
        "A deliver-to address (BG-15) is given without a post code (BT-78). Add the post code "
        "or leave out the deliver-to address.",
        ubl=xp(
            "/*/cac:Delivery/cac:DeliveryLocation/cac:Address[not(cbc:PostalZone[normalize-space(.)])]"
        ),
        cii=xp(
            f"{C_DELIVERY}/ram:ShipToTradeParty/ram:PostalTradeAddress"
            "[not(ram:PostcodeCode[normalize-space(.)])]"
        ),
    ),
    Rule(
        "BR-DE-14",
        ERROR,
        ALL,
        ("BT-119", "BG-23"),
        "In der Umsatzsteueraufschlüsselung (BG-23) fehlt der Steuersatz (BT-119). Geben Sie "
        "den Prozentsatz an, auch 0 bei steuerfreien Umsätzen.",
        "A VAT breakdown (BG-23) has no VAT category rate (BT-119). Give the percentage, "
        "0 for exempt or zero-rated amounts.",
        ubl=xp(
            "/*/cac:TaxTotal/cac:TaxSubtotal[not(cac:TaxCategory/cbc:Percent[normalize-space(.)])]"
        ),
        cii=xp(
            f"{C_SETTLEMENT}/ram:ApplicableTradeTax[not(ram:RateApplicablePercent[normalize-space(.)])]"
        ),
    ),
    Rule(
        "BR-DE-15",
        ERROR,
        ALL,
        ("BT-10",),
        "Die Käuferreferenz (BT-10, Leitweg-ID) fehlt oder ist leer. Tragen Sie die Leitweg-ID "
        "ein, die Ihnen die bestellende Stelle genannt hat (z. B. 04011000-1234512345-06); ohne "
        "sie kann die Rechnung nicht zugeordnet werden.",
        "The buyer reference (BT-10, Leitweg-ID) is missing or empty. Enter the Leitweg-ID the "
        "ordering office gave you (e.g. 04011000-1234512345-06); without it the invoice cannot "
        "be routed.",
        ubl=xp(f"{U_ROOT}[not(cbc:BuyerReference[normalize-space(.)])]"),
        cii=xp(f"{C_ROOT}[not({C_AGREEMENT_REL}/ram:BuyerReference[normalize-space(.)])]"),
    ),
    Rule(
        "BR-DE-16",
        ERROR,
        ALL,
        ("BT-31", "BT-32", "BG-11", "BT-95", "BT-102", "BT-151"),
        "Die Rechnung verwendet eine Umsatzsteuerkategorie S, Z, E, AE, K, G, L oder M (in BT-95, "
        "BT-102 oder BT-151), nennt aber weder die USt-IdNr. (BT-31) noch die Steuernummer (BT-32) "
        "des Verkäufers noch einen Steuervertreter (BG-11). Ergänzen Sie eine dieser Angaben.",
        "The invoice uses VAT category S, Z, E, AE, K, G, L or M (in BT-95, BT-102 or BT-151) but "
        "gives neither the seller VAT identifier (BT-31), the seller tax registration identifier "
        "(BT-32) nor a tax representative (BG-11). Add one of them.",
        ubl=root_if(_seller_tax_id_missing(_U_TAX_CATEGORY_CODES, _U_SELLER_TAX_IDS)),
        cii=root_if(_seller_tax_id_missing(_C_TAX_CATEGORY_CODES, _C_SELLER_TAX_IDS)),
    ),
    Rule(
        "BR-DE-17",
        WARNING,
        ALL,
        ("BT-3",),
        "Der Rechnungsartcode (BT-3) ist für XRechnung nicht vorgesehen. Verwenden Sie 326 "
        "(Teilrechnung), 380 (Rechnung), 384 (korrigierte Rechnung), 389 (Gutschriftsverfahren), "
        "381 (Gutschrift), 875, 876 oder 877 (Bau-Abschlags-/Schlussrechnungen).",
        "The invoice type code (BT-3) is not one XRechnung expects. Use 326 (partial), 380 "
        "(commercial invoice), 384 (corrected), 389 (self-billed), 381 (credit note), 875, 876 "
        "or 877 (construction invoices).",
        ubl=root_if(_type_code_unusual(_U_TYPE_CODE)),
        cii=root_if(_type_code_unusual(_C_TYPE_CODE)),
    ),
    Rule(
        "BR-DE-18",
        ERROR,
        ALL,
        ("BT-20",),
        "Eine Skonto-Angabe in den Zahlungsbedingungen (BT-20) ist falsch aufgebaut. Jede "
        "Skonto-Zeile lautet genau #SKONTO#TAGE=14#PROZENT=2.00# (optional mit "
        "BASISBETRAG=123.45# am Ende), in Großbuchstaben, ohne Leerzeichen, und endet mit einem "
        "Zeilenumbruch.",
        "A Skonto (cash discount) entry in the payment terms (BT-20) is malformed. Each entry "
        "reads exactly #SKONTO#TAGE=14#PROZENT=2.00# (optionally ending BASISBETRAG=123.45#), "
        "upper case, without spaces, and is followed by a line break.",
        ubl=root_if(_skonto(_U_PAYMENT_NOTES)),
        cii=root_if(_skonto(_C_PAYMENT_NOTES)),
    ),
    Rule(
        "BR-DE-19",
        WARNING,
        ALL,
        ("BT-84", "BT-81"),
        "Bei Zahlungsart 58 (SEPA-Überweisung, BT-81) soll die Kontokennung (BT-84) eine "
        "gültige IBAN sein. Prüfen Sie die IBAN (Leerzeichen sind erlaubt).",
        "With payment means code 58 (SEPA credit transfer, BT-81) the payment account "
        "identifier (BT-84) should be a valid IBAN. Check the IBAN (spaces are allowed).",
        ubl=each(_U_TRANSFER_MEANS, _iban_wrong(_U_PAYEE_IBAN, "cbc:PaymentMeansCode", "58")),
        cii=each(_C_TRANSFER_MEANS, _iban_wrong(_C_PAYEE_IBAN, "ram:TypeCode", "58")),
    ),
    Rule(
        "BR-DE-20",
        WARNING,
        ALL,
        ("BT-91", "BT-81"),
        "Bei Zahlungsart 59 (SEPA-Lastschrift, BT-81) soll das zu belastende Konto (BT-91) eine "
        "gültige IBAN sein. Prüfen Sie die IBAN des Käuferkontos.",
        "With payment means code 59 (SEPA direct debit, BT-81) the debited account identifier "
        "(BT-91) should be a valid IBAN. Check the buyer's IBAN.",
        ubl=each(_U_DEBIT_MEANS, _iban_wrong(_U_PAYER_IBAN, "cbc:PaymentMeansCode", "59")),
        cii=each(_C_DEBIT_MEANS, _iban_wrong(_C_PAYER_IBAN, "ram:TypeCode", "59")),
    ),
    Rule(
        "BR-DE-21",
        WARNING,
        ALL,
        ("BT-24",),
        "Die Spezifikationskennung (BT-24) ist nicht die von XRechnung 3.0. Verwenden Sie "
        f"'{XR_CIUS_ID}' (bzw. die Kennung der Extension oder des CVD-Profils).",
        "The specification identifier (BT-24) is not the XRechnung 3.0 one. Use "
        f"'{XR_CIUS_ID}' (or the identifier of the extension or the CVD profile).",
        ubl=each(U_ROOT, _bt24_wrong(_U_CUSTOMIZATION)),
        cii=each(f"{C_ROOT}/rsm:ExchangedDocumentContext", _bt24_wrong(_C_GUIDELINE)),
    ),
    Rule(
        "BR-DE-22",
        ERROR,
        ALL,
        ("BT-125",),
        "Zwei angehängte Dokumente (BT-125) haben denselben Dateinamen. Geben Sie jedem Anhang "
        "einen eindeutigen Dateinamen (Attribut filename).",
        "Two attached documents (BT-125) have the same file name. Give every attachment a "
        "unique file name (attribute filename).",
        ubl=root_if(_duplicate_filenames_ubl),
        cii=root_if(_duplicate_filenames_cii),
    ),
    Rule(
        "BR-DE-23-a",
        ERROR,
        ALL,
        ("BG-17", "BT-81"),
        "Zahlungsart Überweisung (BT-81 = 30 oder 58), aber die Überweisungsdaten (BG-17, "
        "Konto des Zahlungsempfängers) fehlen. Geben Sie die IBAN an.",
        "Payment means is a credit transfer (BT-81 = 30 or 58) but the credit transfer "
        "details (BG-17, the payee account) are missing. Give the IBAN.",
        ubl=xp(f"{_U_TRANSFER_MEANS}[not(cac:PayeeFinancialAccount)]"),
        cii=xp(f"{_C_TRANSFER_MEANS}[not(ram:PayeePartyCreditorFinancialAccount)]"),
    ),
    Rule(
        "BR-DE-23-b",
        ERROR,
        ALL,
        ("BG-18", "BG-19", "BT-81"),
        "Zahlungsart Überweisung (BT-81 = 30 oder 58), aber die Rechnung enthält auch "
        "Kartendaten (BG-18) oder Lastschriftdaten (BG-19). Entfernen Sie diese Angaben oder "
        "wählen Sie die passende Zahlungsart.",
        "Payment means is a credit transfer (BT-81 = 30 or 58) but the invoice also carries "
        "payment card (BG-18) or direct debit (BG-19) details. Remove them or choose the "
        "matching payment means.",
        ubl=xp(f"{_U_TRANSFER_MEANS}[cac:CardAccount or cac:PaymentMandate]"),
        cii=xp(
            f"{_C_TRANSFER_MEANS}[ram:ApplicableTradeSettlementFinancialCard or {_C_BG19_ELEMENTS}]"
        ),
    ),
    Rule(
        "BR-DE-24-a",
        ERROR,
        ALL,
        ("BG-18", "BT-81"),
        "Zahlungsart Kartenzahlung (BT-81 = 48, 54 oder 55), aber die Kartendaten (BG-18) "
        "fehlen. Geben Sie die Kartenangaben an.",
        "Payment means is a card payment (BT-81 = 48, 54 or 55) but the payment card details "
        "(BG-18) are missing. Give the card details.",
        ubl=xp(f"{_U_CARD_MEANS}[not(cac:CardAccount)]"),
        cii=xp(f"{_C_CARD_MEANS}[not(ram:ApplicableTradeSettlementFinancialCard)]"),
    ),
    Rule(
        "BR-DE-24-b",
        ERROR,
        ALL,
        ("BG-17", "BG-19", "BT-81"),
        "Zahlungsart Kartenzahlung (BT-81 = 48, 54 oder 55), aber die Rechnung enthält auch "
        "Überweisungsdaten (BG-17) oder Lastschriftdaten (BG-19). Entfernen Sie diese Angaben.",
        "Payment means is a card payment (BT-81 = 48, 54 or 55) but the invoice also carries "
        "credit transfer (BG-17) or direct debit (BG-19) details. Remove them.",
        ubl=xp(f"{_U_CARD_MEANS}[cac:PayeeFinancialAccount or cac:PaymentMandate]"),
        cii=xp(f"{_C_CARD_MEANS}[ram:PayeePartyCreditorFinancialAccount or {_C_BG19_ELEMENTS}]"),
    ),
    Rule(
        "BR-DE-25-a",
        ERROR,
        ALL,
        ("BG-19", "BT-89", "BT-90", "BT-91", "BT-81"),
        "Zahlungsart Lastschrift (BT-81 = 59), aber die Lastschriftdaten (BG-19: Mandatsreferenz "
        "BT-89, Gläubiger-ID BT-90, IBAN des Käufers BT-91) fehlen. Ergänzen Sie sie.",
        "Payment means is a direct debit (BT-81 = 59) but the direct debit details (BG-19: "
        "mandate reference BT-89, creditor identifier BT-90, debited account BT-91) are missing. "
        "Add them.",
        ubl=xp(f"{_U_DEBIT_MEANS}[not(cac:PaymentMandate)]"),
        # CII has no BG-19 element: any of BT-89, BT-90, BT-91 counts as present
        # (BR-DE-30, BR-DE-31 and PEPPOL-EN16931-R061 ask for the missing parts).
        cii=xp(f"{_C_DEBIT_MEANS}[not({_C_BG19_ELEMENTS})]"),
    ),
    Rule(
        "BR-DE-25-b",
        ERROR,
        ALL,
        ("BG-17", "BG-18", "BT-86", "BT-81"),
        "Zahlungsart Lastschrift (BT-81 = 59), aber die Rechnung enthält auch Überweisungsdaten "
        "(BG-17, auch BIC BT-86) oder Kartendaten (BG-18). Entfernen Sie diese Angaben.",
        "Payment means is a direct debit (BT-81 = 59) but the invoice also carries credit "
        "transfer (BG-17, including the BIC BT-86) or payment card (BG-18) details. Remove them.",
        ubl=xp(f"{_U_DEBIT_MEANS}[cac:PayeeFinancialAccount or cac:CardAccount]"),
        cii=xp(
            f"{_C_DEBIT_MEANS}[ram:PayeePartyCreditorFinancialAccount"
            " or ram:ApplicableTradeSettlementFinancialCard"
            " or ram:PayeeSpecifiedCreditorFinancialInstitution"
            " or ram:PayerSpecifiedDebtorFinancialInstitution]"
        ),
    ),
    Rule(
        "BR-DE-26",
        WARNING,
        ALL,
        ("BT-3", "BG-3", "BT-25"),
        "Die Rechnung ist als korrigierte Rechnung (BT-3 = 384) gekennzeichnet, verweist aber "
        "auf keine vorausgegangene Rechnung (BG-3). Geben Sie die Nummer der korrigierten "
        "Rechnung (BT-25) an.",
        "The invoice is marked as corrected invoice (BT-3 = 384) but refers to no preceding "
        "invoice (BG-3). Give the number of the invoice being corrected (BT-25).",
        ubl=xp(
            f"{U_ROOT}[(normalize-space(cbc:InvoiceTypeCode) = '384'"
            " or normalize-space(cbc:CreditNoteTypeCode) = '384')"
            " and not(cac:BillingReference/cac:InvoiceDocumentReference)]"
        ),
        cii=xp(
            f"{C_ROOT}[normalize-space(rsm:ExchangedDocument/ram:TypeCode) = '384'"
            " and not(rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement"
            "/ram:InvoiceReferencedDocument)]"
        ),
    ),
    Rule(
        "BR-DE-27",
        WARNING,
        ALL,
        ("BT-42",),
        "Die Telefonnummer des Verkäufer-Kontakts (BT-42) enthält weniger als drei Ziffern. "
        "Geben Sie eine vollständige Telefonnummer an.",
        "The seller contact telephone number (BT-42) has fewer than three digits. Give a "
        "complete telephone number.",
        ubl=each(
            f"{U_SELLER_PARTY}/cac:Contact",
            lambda doc, contact: _telephone_too_short(doc, contact, _U_TELEPHONE),
        ),
        cii=each(
            f"{C_SELLER}/ram:DefinedTradeContact",
            lambda doc, contact: _telephone_too_short(doc, contact, _C_TELEPHONE),
        ),
    ),
    Rule(
        "BR-DE-28",
        WARNING,
        ALL,
        ("BT-43",),
        "Die E-Mail-Adresse des Verkäufer-Kontakts (BT-43) ist nicht plausibel: sie braucht "
        "genau ein @, davor und danach Zeichen ohne Leerzeichen, und eine Domain mit Punkt, die "
        "nicht mit einem Punkt beginnt oder endet.",
        "The seller contact e-mail address (BT-43) is not plausible: it needs exactly one @, "
        "characters without spaces on both sides and a domain with a dot that neither starts "
        "nor ends with a dot.",
        ubl=each(
            f"{U_SELLER_PARTY}/cac:Contact",
            lambda doc, contact: _email_malformed(doc, contact, _U_EMAIL),
        ),
        cii=each(
            f"{C_SELLER}/ram:DefinedTradeContact",
            lambda doc, contact: _email_malformed(doc, contact, _C_EMAIL),
        ),
    ),
    Rule(
        "BR-DE-30",
        ERROR,
        ALL,
        ("BT-90", "BG-19"),
        "Lastschriftdaten (BG-19) sind angegeben, aber die Gläubiger-Identifikationsnummer "
        "(BT-90) fehlt. Tragen Sie Ihre Gläubiger-ID ein (UBL: Kennung mit schemeID 'SEPA').",
        "Direct debit details (BG-19) are given but the bank assigned creditor identifier "
        "(BT-90) is missing. Enter your creditor identifier (UBL: identifier with schemeID "
        "'SEPA').",
        ubl=xp(
            f"{U_ROOT}[cac:PaymentMeans/cac:PaymentMandate"
            " and not(cac:AccountingSupplierParty/cac:Party/cac:PartyIdentification"
            "/cbc:ID[@schemeID = 'SEPA']"
            " | cac:PayeeParty/cac:PartyIdentification/cbc:ID[@schemeID = 'SEPA'])]"
        ),
        cii=root_if(_cii_bg19_incomplete(C_BT90_REL, (C_BT89_REL, C_BT91_REL))),
    ),
    Rule(
        "BR-DE-31",
        ERROR,
        ALL,
        ("BT-91", "BG-19"),
        "Lastschriftdaten (BG-19) sind angegeben, aber das zu belastende Konto (BT-91, IBAN des "
        "Käufers) fehlt. Tragen Sie die IBAN ein.",
        "Direct debit details (BG-19) are given but the debited account identifier (BT-91, "
        "the buyer's IBAN) is missing. Enter the IBAN.",
        ubl=xp(
            f"{U_ROOT}[cac:PaymentMeans/cac:PaymentMandate"
            " and not(cac:PaymentMeans/cac:PaymentMandate/cac:PayerFinancialAccount/cbc:ID)]"
        ),
        cii=root_if(_cii_bg19_incomplete(C_BT91_REL, (C_BT89_REL, C_BT90_REL))),
    ),
    Rule(
        "BR-DE-TMP-32",
        INFO,
        ALL,
        ("BT-72", "BG-14", "BG-26"),
        "Die Rechnung nennt kein Liefer- oder Leistungsdatum: weder das Lieferdatum (BT-72) noch "
        "einen Rechnungszeitraum (BG-14) noch in jeder Position einen Leistungszeitraum (BG-26). "
        "Geben Sie eines davon an.",
        "The invoice states no date of delivery or service: neither the actual delivery date "
        "(BT-72), an invoicing period (BG-14) nor an invoice line period (BG-26) on every line. "
        "Give one of them.",
        ubl=root_if(_no_delivery_date(_U_DELIVERY_DATE_OR_PERIOD, _U_LINES_WITHOUT_PERIOD)),
        cii=root_if(_no_delivery_date(_C_DELIVERY_DATE_OR_PERIOD, _C_LINES_WITHOUT_PERIOD)),
    ),
    Rule(
        "BR-TMP-2",
        WARNING,
        ALL,
        ("BT-124",),
        "Der externe Speicherort eines Anhangs (BT-124) ist keine absolute URL. Geben Sie die "
        "vollständige Adresse mit Schema an (z. B. https://...).",
        "The external document location (BT-124) is not an absolute URL. Give the complete "
        "address including its scheme (e.g. https://...).",
        ubl=each(
            "/*/cac:AdditionalDocumentReference/cac:Attachment/cac:ExternalReference",
            _uri_not_absolute,
        ),
        cii=each(
            f"{C_AGREEMENT}/ram:AdditionalReferencedDocument/ram:URIID", _cii_uri_not_absolute
        ),
    ),
    Rule(
        "BR-TMP-3",
        ERROR,
        ALL,
        ("BT-149", "BT-150"),
        "Die Basismenge des Artikelpreises (BT-149) bzw. ihre Einheit (BT-150) ist beim "
        "Bruttopreis und beim Nettopreis unterschiedlich angegeben. Verwenden Sie an beiden "
        "Stellen denselben Wert und dieselbe Einheit.",
        "The item price base quantity (BT-149) or its unit (BT-150) differs between the gross "
        "price and the net price. Use the same value and unit in both places.",
        cii=each(f"{C_LINES}/ram:SpecifiedLineTradeAgreement", _gross_net_basis_differ),
    ),
]
