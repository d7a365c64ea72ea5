"""XRechnung CVD rules (Clean Vehicles Directive): BR-DE-CVD-*, BR-TMP-CVD-01.

They run in the CVD scenario only (BT-24 names the CVD profile). A CVD
invoice states the contract (BT-12) and tender (BT-17) and marks at least one
line as a vehicle: item classification (BT-158) with scheme "CVD" holding the
vehicle category, and the item attribute (BT-160) "cva" with the value
"clean", "zero-emission" or "other" (BT-161).
"""

from __future__ import annotations

from lxml import etree

from einvoice.formats.national import codelists
from einvoice.formats.national.model import (
    CVD_ONLY,
    ERROR,
    Doc,
    ElementTest,
    Hit,
    Rule,
    compile_xpath,
    each,
    elements,
    xp,
)
from einvoice.formats.national.paths import (
    C_AGREEMENT_REL,
    C_LINES,
    C_LINES_REL,
    C_ROOT,
    U_ITEMS,
    U_ROOT,
)
from einvoice.formats.national.values import norm, normalize_space

_U_CLASSIFICATIONS = (
    "/*/cac:InvoiceLine/cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode"
    " | /*/cac:CreditNoteLine/cac:Item/cac:CommodityClassification/cbc:ItemClassificationCode"
)
_C_PRODUCTS = f"{C_LINES}/ram:SpecifiedTradeProduct"
_C_CLASSIFICATIONS = f"{_C_PRODUCTS}/ram:DesignatedProductClassification/ram:ClassCode"

_U_CVA_PROPERTIES = compile_xpath("cac:AdditionalItemProperty[cbc:Name = 'cva']")
_U_CVD_CODES = compile_xpath(
    "cac:CommodityClassification/cbc:ItemClassificationCode[@listID = 'CVD']"
)
_C_CVA_PROPERTIES = compile_xpath("ram:ApplicableProductCharacteristic[ram:Description = 'cva']")
_C_CVD_CODES = compile_xpath("ram:DesignatedProductClassification/ram:ClassCode[@listID = 'CVD']")


def _scheme_not_7143(doc: Doc, code: etree._Element) -> Hit | None:
    """BR-TMP-CVD-01 as the official rule tests it.

    Official quirk reproduced: ``contains($UNTDID-7143-CVD-CODES, concat(' ',
    normalize-space(@listID), ' '))`` with the list ``concat(' CVD ', ' AA AB ...')``
    contains a double space, so an empty, blank or missing ``@listID`` passes.
    """
    scheme = normalize_space(code.get("listID"))
    if codelists.empty_passes_joined_list(scheme):
        return None
    if scheme in codelists.UNTDID_7143_CVD:
        return None
    return Hit(code, f"Angegeben ist '{scheme}'.", f"Found '{scheme}'.")


def _vehicle_category_wrong(doc: Doc, code: etree._Element) -> Hit | None:
    if normalize_space(code.get("listID")) != "CVD":
        return None
    category = norm(code)
    if category in codelists.CVD_VEHICLE_CATEGORIES:
        return None
    return Hit(code, f"Angegeben ist '{category}'.", f"Found '{category}'.")


def _cva_value_wrong(value_path: etree.XPath) -> ElementTest:
    def check(doc: Doc, attribute: etree._Element) -> Hit | None:
        nodes = elements(value_path(attribute))
        values = [norm(node) for node in nodes]
        if any(value in codelists.CVA_VALUES for value in values):
            return None
        shown = values[0] if values else ""
        return Hit(attribute, f"Angegeben ist '{shown}'.", f"Found '{shown}'.")

    return check


def _count_mismatch(present: etree.XPath, required: etree.XPath) -> ElementTest:
    """Where ``present`` exists on an item, ``required`` must exist exactly once."""

    def check(doc: Doc, item: etree._Element) -> bool:
        if not elements(present(item)):
            return False
        return len(elements(required(item))) != 1

    return check


RULES: list[Rule] = [
    Rule(
        "BR-DE-CVD-01",
        ERROR,
        CVD_ONLY,
        ("BT-12",),
        "In einer CVD-Rechnung fehlt die Vertragsnummer (BT-12). Geben Sie die Nummer des "
        "Vertrags an, unter dem das Fahrzeug beschafft wurde.",
        "The contract reference (BT-12) is missing in a CVD invoice. Give the number of the "
        "contract under which the vehicle was procured.",
        ubl=xp(f"{U_ROOT}[not(cac:ContractDocumentReference/cbc:ID[normalize-space(.)])]"),
        cii=xp(
            f"{C_ROOT}[not({C_AGREEMENT_REL}/ram:ContractReferencedDocument"
            "/ram:IssuerAssignedID[normalize-space(.)])]"
        ),
    ),
    Rule(
        "BR-DE-CVD-02",
        ERROR,
        CVD_ONLY,
        ("BT-17",),
        "In einer CVD-Rechnung fehlt die Vergabe- bzw. Losnummer (BT-17). Geben Sie die Kennung "
        "des Vergabeverfahrens an.",
        "The tender or lot reference (BT-17) is missing in a CVD invoice. Give the identifier "
        "of the procurement procedure.",
        ubl=xp(f"{U_ROOT}[not(cac:OriginatorDocumentReference/cbc:ID[normalize-space(.)])]"),
        cii=xp(
            f"{C_ROOT}[not({C_AGREEMENT_REL}/ram:AdditionalReferencedDocument"
            "[ram:TypeCode = '50']/ram:IssuerAssignedID[normalize-space(.)])]"
        ),
    ),
    Rule(
        "BR-DE-CVD-03",
        ERROR,
        CVD_ONLY,
        ("BG-25", "BT-158", "BT-160"),
        "Eine CVD-Rechnung braucht mindestens eine Position (BG-25) mit der Artikelklassifizierung "
        "(BT-158) im Schema 'CVD' und der Artikeleigenschaft (BT-160) 'cva'. Kennzeichnen Sie "
        "die Fahrzeugposition so.",
        "A CVD invoice needs at least one line (BG-25) whose item classification (BT-158) uses the "
        "scheme 'CVD' and whose item attribute name (BT-160) is 'cva'. Mark the vehicle line "
        "that way.",
        ubl=xp(
            f"{U_ROOT}[not((cac:InvoiceLine/cac:Item | cac:CreditNoteLine/cac:Item)"
            "[cac:CommodityClassification/cbc:ItemClassificationCode/@listID = 'CVD'"
            " and cac:AdditionalItemProperty/cbc:Name = 'cva'])]"
        ),
        cii=xp(
            f"{C_ROOT}[not({C_LINES_REL}/ram:SpecifiedTradeProduct"
            "[ram:DesignatedProductClassification/ram:ClassCode/@listID = 'CVD'"
            " and ram:ApplicableProductCharacteristic/ram:Description = 'cva'])]"
        ),
    ),
    Rule(
        "BR-DE-CVD-04",
        ERROR,
        CVD_ONLY,
        ("BT-158",),
        "Eine Artikelklassifizierung (BT-158) im Schema 'CVD' muss eine Fahrzeugklasse enthalten: "
        "M1, M2, M3, N1, N2 oder N3.",
        "An item classification (BT-158) with scheme 'CVD' must hold a vehicle category: M1, "
        "M2, M3, N1, N2 or N3.",
        ubl=each(_U_CLASSIFICATIONS, _vehicle_category_wrong),
        cii=each(_C_CLASSIFICATIONS, _vehicle_category_wrong),
    ),
    Rule(
        "BR-DE-CVD-05",
        ERROR,
        CVD_ONLY,
        ("BT-161", "BG-32"),
        "Der Wert der Artikeleigenschaft 'cva' (BT-161 in BG-32) muss 'clean', 'zero-emission' "
        "oder 'other' sein.",
        "The value of the item attribute 'cva' (BT-161 in BG-32) must be 'clean', 'zero-emission' "
        "or 'other'.",
        ubl=each(
            "/*/cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty[cbc:Name = 'cva']"
            " | /*/cac:CreditNoteLine/cac:Item/cac:AdditionalItemProperty[cbc:Name = 'cva']",
            _cva_value_wrong(compile_xpath("cbc:Value")),
        ),
        cii=each(
            f"{_C_PRODUCTS}/ram:ApplicableProductCharacteristic[ram:Description = 'cva']",
            _cva_value_wrong(compile_xpath("ram:Value")),
        ),
    ),
    Rule(
        "BR-DE-CVD-06-a",
        ERROR,
        CVD_ONLY,
        ("BT-158", "BT-160"),
        "Eine Position mit Artikelklassifizierung im Schema 'CVD' (BT-158) braucht genau eine "
        "Artikeleigenschaft 'cva' (BT-160).",
        "A line with an item classification in scheme 'CVD' (BT-158) needs exactly one item "
        "attribute 'cva' (BT-160).",
        ubl=each(U_ITEMS, _count_mismatch(_U_CVD_CODES, _U_CVA_PROPERTIES)),
        cii=each(_C_PRODUCTS, _count_mismatch(_C_CVD_CODES, _C_CVA_PROPERTIES)),
    ),
    Rule(
        "BR-DE-CVD-06-b",
        ERROR,
        CVD_ONLY,
        ("BT-158", "BT-160"),
        "Eine Position mit der Artikeleigenschaft 'cva' (BT-160) braucht genau eine "
        "Artikelklassifizierung im Schema 'CVD' (BT-158).",
        "A line with the item attribute 'cva' (BT-160) needs exactly one item classification in "
        "scheme 'CVD' (BT-158).",
        ubl=each(U_ITEMS, _count_mismatch(_U_CVA_PROPERTIES, _U_CVD_CODES)),
        cii=each(_C_PRODUCTS, _count_mismatch(_C_CVA_PROPERTIES, _C_CVD_CODES)),
    ),
    Rule(
        "BR-TMP-CVD-01",
        ERROR,
        CVD_ONLY,
        ("BT-158",),
        "Das Schema einer Artikelklassifizierung (BT-158, listID) muss aus der Codeliste "
        "UNTDID 7143 stammen oder 'CVD' sein.",
        "The scheme of an item classification (BT-158, listID) must come from the UNTDID 7143 "
        "code list or be 'CVD'.",
        ubl=each(_U_CLASSIFICATIONS, _scheme_not_7143),
        cii=each(_C_CLASSIFICATIONS, _scheme_not_7143),
    ),
]
