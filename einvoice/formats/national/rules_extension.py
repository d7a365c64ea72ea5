"""XRechnung 3.0 Extension rules BR-DEX-01 .. BR-DEX-15 (scenario "extension" only).

The extension adds sub invoice lines (BG-DEX-01) and third party payments
(BG-DEX-09) to UBL, allows XML attachments and the DiGA identifier schemes
XR01..XR03. Several BR-DEX rules replace CEN code list rules for the extension.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from lxml import etree

from einvoice.formats.national import codelists
from einvoice.formats.national.model import (
    ERROR,
    EXTENSION_ONLY,
    WARNING,
    Doc,
    ElementTest,
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
from einvoice.formats.national.paths import C_LINES
from einvoice.formats.national.values import (
    decimal_of,
    fraction_digits,
    normalize_space,
    round_half_up_2,
    text_of,
)

# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------


def _mime_not_allowed(doc: Doc, attachment: etree._Element) -> Hit | None:
    mime = attachment.get("mimeCode")
    if mime in codelists.EXTENSION_MIME_CODES:
        return None
    return Hit(attachment, f"Angegeben ist '{mime or ''}'.", f"Found '{mime or ''}'.")


def _scheme_not_in(codes: frozenset[str], *, sepa_in_parties: bool = False) -> ElementTest:
    """A scheme identifier check against ``codes`` (space-free normalized value).

    Official quirk reproduced (BR-DEX-04, -05, -06, -07, -08, UBL and CII): the
    XRechnung Schematron tests ``contains($ISO-6523-ICD-EXT-CODES, concat(' ',
    normalize-space(@schemeID), ' '))`` where the list is ``concat($DIGA-CODES,
    $ISO-6523-ICD-CODES)`` (resp. ``$CEF-EAS-CODES``): both parts start and end
    with a space, so the joined list contains a double space and an empty or
    blank ``@schemeID`` passes. The project accepts it as the official
    artefacts do (see :func:`codelists.empty_passes_joined_list`).
    """

    def check(doc: Doc, identifier: etree._Element) -> Hit | None:
        scheme = normalize_space(identifier.get("schemeID"))
        if codelists.empty_passes_joined_list(scheme):
            return None
        if " " not in scheme and scheme in codes:
            return None
        if sepa_in_parties and scheme == "SEPA" and _in_seller_or_payee(identifier):
            return None
        return Hit(identifier, f"Angegeben ist '{scheme}'.", f"Found '{scheme}'.")

    return check


_SELLER_OR_PAYEE = compile_xpath("ancestor::cac:AccountingSupplierParty | ancestor::cac:PayeeParty")


def _in_seller_or_payee(element: etree._Element) -> bool:
    return bool(elements(_SELLER_OR_PAYEE(element)))


# BR-DEX-02: amounts of (sub) lines with sub lines.
_U_LINES_WITH_SUBLINES = compile_xpath(
    "/*/cac:InvoiceLine[cac:SubInvoiceLine]"
    " | //cac:SubInvoiceLine[cac:SubInvoiceLine]"
    " | /*/cac:CreditNoteLine[cac:SubCreditNoteLine]"
    " | //cac:SubCreditNoteLine[cac:SubCreditNoteLine]"
)
_U_LINE_AMOUNT = compile_xpath("cbc:LineExtensionAmount")
_U_SUBLINE_AMOUNTS = compile_xpath(
    "cac:SubInvoiceLine/cbc:LineExtensionAmount | cac:SubCreditNoteLine/cbc:LineExtensionAmount"
)
_U_LINE_ID = compile_xpath("cbc:ID")


def _sublines_do_not_add_up(doc: Doc) -> Hit | None:
    for line in elements(_U_LINES_WITH_SUBLINES(doc.root)):
        amount = decimal_of(first(_U_LINE_AMOUNT, line))
        parts = [decimal_of(node) for node in elements(_U_SUBLINE_AMOUNTS(line))]
        total = sum((p for p in parts if p is not None), Decimal(0))
        if amount is None or any(p is None for p in parts) or amount != total:
            line_id = text_of(first(_U_LINE_ID, line)).strip()
            return Hit(
                doc.root,
                f"Position '{line_id}': {amount} statt Summe der Unterpositionen {total}.",
                f"Line '{line_id}': {amount} instead of the sub line total {total}.",
            )
    return None


# BR-DEX-09: amount due with third party payments.
_U_PAYABLE = compile_xpath("cbc:PayableAmount")
_U_TAX_INCLUSIVE = compile_xpath("cbc:TaxInclusiveAmount")
_U_PREPAID = compile_xpath("cbc:PrepaidAmount")
_U_ROUNDING = compile_xpath("cbc:PayableRoundingAmount")
_U_THIRD_PARTY = compile_xpath("../cac:PrepaidPayment/cbc:PaidAmount")


def _amount_due_wrong(doc: Doc, totals: etree._Element) -> Hit | None:
    payable = decimal_of(first(_U_PAYABLE, totals))
    inclusive = decimal_of(first(_U_TAX_INCLUSIVE, totals))
    prepaid = _optional_amount(first(_U_PREPAID, totals))
    rounding = _optional_amount(first(_U_ROUNDING, totals))
    third_party_nodes = [n for n in elements(_U_THIRD_PARTY(totals)) if normalize_space(text_of(n))]
    third_party = [decimal_of(node) for node in third_party_nodes]
    if (
        payable is None
        or inclusive is None
        or prepaid is None
        or rounding is None
        or any(value is None for value in third_party)
    ):
        return Hit(
            totals,
            "Ein Betrag fehlt oder ist keine Zahl.",
            "An amount is missing or not a number.",
        )
    paid_by_third_parties = sum((v for v in third_party if v is not None), Decimal(0))
    left = round_half_up_2(payable - rounding)
    right = round_half_up_2(inclusive - prepaid + paid_by_third_parties)
    if left == right:
        return None
    return Hit(
        totals,
        f"Erwartet {right} (ohne Rundung), angegeben {left}.",
        f"Expected {right} (before rounding), found {left}.",
    )


def _optional_amount(node: etree._Element | None) -> Decimal | None:
    return Decimal(0) if node is None else decimal_of(node)


_U_PAID_AMOUNT = compile_xpath("cbc:PaidAmount")
_U_DOCUMENT_CURRENCY = compile_xpath("../cbc:DocumentCurrencyCode")


def _too_many_decimals(doc: Doc, payment: etree._Element) -> bool:
    amount = first(_U_PAID_AMOUNT, payment)
    return amount is not None and fraction_digits(text_of(amount)) > 2


def _currency_differs(doc: Doc, payment: etree._Element) -> bool:
    currencies = {text_of(node) for node in elements(_U_DOCUMENT_CURRENCY(payment))}
    amounts = elements(_U_PAID_AMOUNT(payment))
    return not any(amount.get("currencyID") in currencies for amount in amounts)


def _any_parent_line_id(doc: Doc) -> Iterator[Offence]:
    if elements(_C_PARENT_LINE_ID(doc.root)):
        yield from elements(_C_LINE_DOCUMENTS(doc.root))


_C_PARENT_LINE_ID = compile_xpath("//ram:ParentLineID")
_C_LINE_DOCUMENTS = compile_xpath(f"{C_LINES}/ram:AssociatedDocumentLineDocument")

_ICD = codelists.ISO_6523_ICD_EXTENSION

# ---------------------------------------------------------------------------
# The rules
# ---------------------------------------------------------------------------

RULES: list[Rule] = [
    Rule(
        "BR-DEX-01",
        ERROR,
        EXTENSION_ONLY,
        ("BT-125",),
        "Ein angehängtes Dokument (BT-125) hat einen nicht erlaubten MIME-Code. Erlaubt sind "
        "application/pdf, image/png, image/jpeg, text/csv, die Tabellenformate xlsx und ods "
        "sowie in der Extension application/xml.",
        "An attached document (BT-125) has a MIME code that is not allowed. Allowed are "
        "application/pdf, image/png, image/jpeg, text/csv, the spreadsheet formats xlsx and ods "
        "and, in the extension, application/xml.",
        ubl=each("//cbc:EmbeddedDocumentBinaryObject", _mime_not_allowed),
        cii=each("//ram:AttachmentBinaryObject", _mime_not_allowed),
    ),
    Rule(
        "BR-DEX-02",
        WARNING,
        EXTENSION_ONLY,
        ("BT-131", "BG-DEX-01"),
        "Der Nettobetrag einer Position oder Unterposition (BT-131) ist nicht die Summe der "
        "Nettobeträge ihrer direkten Unterpositionen (BG-DEX-01). Rechnen Sie die Beträge nach.",
        "The net amount (BT-131) of a line or sub line is not the sum of the net amounts of its "
        "direct sub lines (BG-DEX-01). Recalculate the amounts.",
        ubl=root_if(_sublines_do_not_add_up),
    ),
    Rule(
        "BR-DEX-03",
        ERROR,
        EXTENSION_ONLY,
        ("BG-DEX-01", "BG-DEX-06"),
        "Jede Unterposition (BG-DEX-01) braucht genau eine Umsatzsteuerangabe (BG-DEX-06, "
        "ClassifiedTaxCategory). Ergänzen Sie sie bzw. entfernen Sie doppelte Angaben.",
        "Every sub invoice line (BG-DEX-01) needs exactly one VAT information (BG-DEX-06, "
        "ClassifiedTaxCategory). Add it or remove duplicates.",
        ubl=xp(
            "/*[//cac:SubInvoiceLine/cac:Item[count(cac:ClassifiedTaxCategory) != 1]"
            " or //cac:SubCreditNoteLine/cac:Item[count(cac:ClassifiedTaxCategory) != 1]]"
        ),
    ),
    Rule(
        "BR-DEX-04",
        ERROR,
        EXTENSION_ONLY,
        ("BT-29", "BT-46", "BT-60"),
        "Das Schema einer Partei-Kennung (BT-29, BT-46, BT-60; schemeID) ist nicht in der Liste "
        "ISO 6523 ICD (in der Extension ergänzt um XR01, XR02, XR03; beim Verkäufer und "
        "Zahlungsempfänger auch SEPA). Verwenden Sie einen gültigen Code.",
        "The scheme of a party identifier (BT-29, BT-46, BT-60; schemeID) is not in the ISO 6523 "
        "ICD list (extended by XR01, XR02, XR03; for seller and payee also SEPA). Use a valid "
        "code.",
        ubl=each(
            "//cac:PartyIdentification/cbc:ID[@schemeID]",
            _scheme_not_in(_ICD, sepa_in_parties=True),
        ),
        cii=each(
            "//ram:GlobalID[@schemeID][not(ancestor::ram:SpecifiedTradeProduct)"
            " and not(ancestor::ram:ShipToTradeParty)]",
            _scheme_not_in(_ICD),
        ),
    ),
    Rule(
        "BR-DEX-05",
        ERROR,
        EXTENSION_ONLY,
        ("BT-30", "BT-47", "BT-61"),
        "Das Schema einer Registerkennung (BT-30, BT-47, BT-61; schemeID) ist nicht in der Liste "
        "ISO 6523 ICD (in der Extension ergänzt um XR01, XR02, XR03). Verwenden Sie einen gültigen "
        "Code.",
        "The scheme of a legal registration identifier (BT-30, BT-47, BT-61; schemeID) is not in "
        "the ISO 6523 ICD list (extended by XR01, XR02, XR03). Use a valid code.",
        ubl=each("//cac:PartyLegalEntity/cbc:CompanyID[@schemeID]", _scheme_not_in(_ICD)),
        cii=each(
            "//ram:ID[@schemeID][not(ancestor::ram:SpecifiedTaxRegistration)]", _scheme_not_in(_ICD)
        ),
    ),
    Rule(
        "BR-DEX-06",
        ERROR,
        EXTENSION_ONLY,
        ("BT-157",),
        "Das Schema der Artikelkennung (BT-157, schemeID) ist nicht in der Liste ISO 6523 ICD "
        "(in der Extension ergänzt um XR01, XR02, XR03). Verwenden Sie einen gültigen Code.",
        "The scheme of the item standard identifier (BT-157, schemeID) is not in the ISO 6523 "
        "ICD list (extended by XR01, XR02, XR03). Use a valid code.",
        ubl=each("//cac:StandardItemIdentification/cbc:ID[@schemeID]", _scheme_not_in(_ICD)),
        cii=each("//ram:SpecifiedTradeProduct/ram:GlobalID[@schemeID]", _scheme_not_in(_ICD)),
    ),
    Rule(
        "BR-DEX-07",
        ERROR,
        EXTENSION_ONLY,
        ("BT-34", "BT-49"),
        "Das Schema einer elektronischen Adresse (BT-34/BT-49, schemeID) ist nicht in der "
        "EAS-Liste (in der Extension ergänzt um XR01, XR02, XR03). Verwenden Sie einen gültigen "
        "Code, z. B. EM für E-Mail oder 0204 für die Leitweg-ID.",
        "The scheme of an electronic address (BT-34/BT-49, schemeID) is not in the EAS list "
        "(extended by XR01, XR02, XR03). Use a valid code, e.g. EM for e-mail or 0204 for the "
        "Leitweg-ID.",
        ubl=each("//cbc:EndpointID[@schemeID]", _scheme_not_in(codelists.CEF_EAS_EXTENSION)),
        cii=each(
            "//ram:URIUniversalCommunication/ram:URIID[@schemeID]",
            _scheme_not_in(codelists.CEF_EAS_EXTENSION),
        ),
    ),
    Rule(
        "BR-DEX-08",
        ERROR,
        EXTENSION_ONLY,
        ("BT-71",),
        "Das Schema der Lieferort-Kennung (BT-71, schemeID) ist nicht in der Liste ISO 6523 ICD "
        "(in der Extension ergänzt um XR01, XR02, XR03). Verwenden Sie einen gültigen Code.",
        "The scheme of the deliver-to location identifier (BT-71, schemeID) is not in the "
        "ISO 6523 ICD list (extended by XR01, XR02, XR03). Use a valid code.",
        ubl=each("//cac:DeliveryLocation/cbc:ID[@schemeID]", _scheme_not_in(_ICD)),
        cii=each(
            "//ram:ApplicableHeaderTradeDelivery/ram:ShipToTradeParty/ram:GlobalID[@schemeID]",
            _scheme_not_in(_ICD),
        ),
    ),
    Rule(
        "BR-DEX-09",
        ERROR,
        EXTENSION_ONLY,
        ("BT-115", "BT-112", "BT-113", "BT-114", "BT-DEX-002"),
        "Der fällige Betrag (BT-115) stimmt nicht: er muss Gesamtbetrag mit Umsatzsteuer "
        "(BT-112) minus bereits gezahlt (BT-113) plus Rundungsbetrag (BT-114) plus Summe der "
        "Zahlungen durch Dritte (BT-DEX-002) sein.",
        "The amount due for payment (BT-115) is wrong: it must be the total with VAT (BT-112) "
        "minus the paid amount (BT-113) plus the rounding amount (BT-114) plus the third party "
        "payment amounts (BT-DEX-002).",
        ubl=each("//cac:LegalMonetaryTotal", _amount_due_wrong),
    ),
    Rule(
        "BR-DEX-10",
        ERROR,
        EXTENSION_ONLY,
        ("BT-DEX-001", "BG-DEX-09"),
        "Bei einer Zahlung durch Dritte (BG-DEX-09) fehlt die Art der Zahlung (BT-DEX-001). "
        "Ergänzen Sie sie.",
        "A third party payment (BG-DEX-09) has no payment type (BT-DEX-001). Add it.",
        ubl=xp("/*/cac:PrepaidPayment[not(cbc:ID[normalize-space(.)])]"),
    ),
    Rule(
        "BR-DEX-11",
        ERROR,
        EXTENSION_ONLY,
        ("BT-DEX-002", "BG-DEX-09"),
        "Bei einer Zahlung durch Dritte (BG-DEX-09) fehlt der Betrag (BT-DEX-002). Ergänzen Sie "
        "ihn.",
        "A third party payment (BG-DEX-09) has no amount (BT-DEX-002). Add it.",
        ubl=xp("/*/cac:PrepaidPayment[not(cbc:PaidAmount[normalize-space(.)])]"),
    ),
    Rule(
        "BR-DEX-12",
        ERROR,
        EXTENSION_ONLY,
        ("BT-DEX-003", "BG-DEX-09"),
        "Bei einer Zahlung durch Dritte (BG-DEX-09) fehlt die Beschreibung (BT-DEX-003). "
        "Ergänzen Sie sie.",
        "A third party payment (BG-DEX-09) has no description (BT-DEX-003). Add it.",
        ubl=xp("/*/cac:PrepaidPayment[not(cbc:InstructionID[normalize-space(.)])]"),
    ),
    Rule(
        "BR-DEX-13",
        ERROR,
        EXTENSION_ONLY,
        ("BT-DEX-002",),
        "Der Betrag einer Zahlung durch Dritte (BT-DEX-002) hat mehr als zwei Nachkommastellen. "
        "Runden Sie auf Cent.",
        "A third party payment amount (BT-DEX-002) has more than two decimals. Round to cents.",
        ubl=each("/*/cac:PrepaidPayment", _too_many_decimals),
    ),
    Rule(
        "BR-DEX-14",
        ERROR,
        EXTENSION_ONLY,
        ("BT-DEX-002", "BT-5"),
        "Die Währung einer Zahlung durch Dritte (BT-DEX-002) ist nicht die Rechnungswährung "
        "(BT-5). Geben Sie den Betrag in Rechnungswährung an.",
        "The currency of a third party payment amount (BT-DEX-002) is not the invoice currency "
        "(BT-5). State the amount in the invoice currency.",
        ubl=each("/*/cac:PrepaidPayment", _currency_differs),
    ),
    Rule(
        "BR-DEX-15",
        WARNING,
        EXTENSION_ONLY,
        ("BG-DEX-01",),
        "Die CII-Rechnung scheint Unterpositionen (BG-DEX-01, ParentLineID) zu verwenden. "
        "XRechnung unterstützt Unterpositionen nur in UBL; senden Sie die Rechnung als UBL oder "
        "ohne Unterpositionen.",
        "The CII invoice seems to use sub invoice lines (BG-DEX-01, ParentLineID). XRechnung "
        "supports sub lines in UBL only; send the invoice as UBL or without sub lines.",
        cii=_any_parent_line_id,
    ),
]
