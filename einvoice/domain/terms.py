"""Business terms (BT) and business groups (BG) of EN 16931-1 with German and English names.

The ids and English names follow EN 16931-1; the German names are the ones used in German
e-invoicing practice (XRechnung, ZUGFeRD). The XRechnung extension terms (BG-DEX-*, BT-DEX-*)
are listed where their meaning is settled. Pure data, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Term:
    """One business term or business group."""

    id: str
    name_de: str
    name_en: str


_ROWS: tuple[tuple[str, str, str], ...] = (
    # --- Invoice (document level) ---------------------------------------------------------
    ("BT-1", "Rechnungsnummer", "Invoice number"),
    ("BT-2", "Rechnungsdatum", "Invoice issue date"),
    ("BT-3", "Code für den Rechnungstyp", "Invoice type code"),
    ("BT-5", "Code für die Rechnungswährung", "Invoice currency code"),
    ("BT-6", "Code für die Umsatzsteuer-Buchungswährung", "VAT accounting currency code"),
    ("BT-7", "Abrechnungsdatum der Umsatzsteuer", "Value added tax point date"),
    ("BT-8", "Code für das Abrechnungsdatum der Umsatzsteuer", "Value added tax point date code"),
    ("BT-9", "Fälligkeitsdatum der Zahlung", "Payment due date"),
    ("BT-10", "Käuferreferenz", "Buyer reference"),
    ("BT-11", "Projektreferenz", "Project reference"),
    ("BT-12", "Vertragsreferenz", "Contract reference"),
    ("BT-13", "Bestellreferenz", "Purchase order reference"),
    ("BT-14", "Auftragsreferenz", "Sales order reference"),
    ("BT-15", "Wareneingangsreferenz", "Receiving advice reference"),
    ("BT-16", "Versandanzeigenreferenz", "Despatch advice reference"),
    ("BT-17", "Ausschreibungs- oder Losreferenz", "Tender or lot reference"),
    ("BT-18", "Objektkennung", "Invoiced object identifier"),
    ("BT-19", "Buchungsreferenz des Käufers", "Buyer accounting reference"),
    ("BT-20", "Zahlungsbedingungen", "Payment terms"),
    # --- BG-1 Invoice note ----------------------------------------------------------------
    ("BG-1", "Rechnungsbemerkung", "Invoice note"),
    ("BT-21", "Code für den Betreff der Rechnungsbemerkung", "Invoice note subject code"),
    ("BT-22", "Text der Rechnungsbemerkung", "Invoice note"),
    # --- BG-2 Process control -------------------------------------------------------------
    ("BG-2", "Prozesssteuerung", "Process control"),
    ("BT-23", "Geschäftsprozesstyp", "Business process type"),
    ("BT-24", "Spezifikationskennung", "Specification identifier"),
    # --- BG-3 Preceding invoice reference -------------------------------------------------
    ("BG-3", "Referenz auf eine vorausgegangene Rechnung", "Preceding invoice reference"),
    ("BT-25", "Nummer der vorausgegangenen Rechnung", "Preceding Invoice reference"),
    ("BT-26", "Datum der vorausgegangenen Rechnung", "Preceding Invoice issue date"),
    # --- BG-4 Seller ----------------------------------------------------------------------
    ("BG-4", "Verkäufer", "Seller"),
    ("BT-27", "Name des Verkäufers", "Seller name"),
    ("BT-28", "Handelsname des Verkäufers", "Seller trading name"),
    ("BT-29", "Kennung des Verkäufers", "Seller identifier"),
    (
        "BT-30",
        "Kennung der rechtlichen Registrierung des Verkäufers",
        "Seller legal registration identifier",
    ),
    ("BT-31", "Umsatzsteuer-Identifikationsnummer des Verkäufers", "Seller VAT identifier"),
    ("BT-32", "Steuernummer des Verkäufers", "Seller tax registration identifier"),
    (
        "BT-33",
        "Weitere rechtliche Informationen zum Verkäufer",
        "Seller additional legal information",
    ),
    ("BT-34", "Elektronische Adresse des Verkäufers", "Seller electronic address"),
    ("BG-5", "Postanschrift des Verkäufers", "Seller postal address"),
    ("BT-35", "Zeile 1 der Verkäuferanschrift", "Seller address line 1"),
    ("BT-36", "Zeile 2 der Verkäuferanschrift", "Seller address line 2"),
    ("BT-162", "Zeile 3 der Verkäuferanschrift", "Seller address line 3"),
    ("BT-37", "Ort der Verkäuferanschrift", "Seller city"),
    ("BT-38", "Postleitzahl der Verkäuferanschrift", "Seller post code"),
    ("BT-39", "Region der Verkäuferanschrift", "Seller country subdivision"),
    ("BT-40", "Ländercode der Verkäuferanschrift", "Seller country code"),
    ("BG-6", "Kontaktdaten des Verkäufers", "Seller contact"),
    ("BT-41", "Kontaktstelle des Verkäufers", "Seller contact point"),
    (
        "BT-42",
        "Telefonnummer der Kontaktstelle des Verkäufers",
        "Seller contact telephone number",
    ),
    (
        "BT-43",
        "E-Mail-Adresse der Kontaktstelle des Verkäufers",
        "Seller contact email address",
    ),
    # --- BG-7 Buyer -----------------------------------------------------------------------
    ("BG-7", "Käufer", "Buyer"),
    ("BT-44", "Name des Käufers", "Buyer name"),
    ("BT-45", "Handelsname des Käufers", "Buyer trading name"),
    ("BT-46", "Kennung des Käufers", "Buyer identifier"),
    (
        "BT-47",
        "Kennung der rechtlichen Registrierung des Käufers",
        "Buyer legal registration identifier",
    ),
    ("BT-48", "Umsatzsteuer-Identifikationsnummer des Käufers", "Buyer VAT identifier"),
    ("BT-49", "Elektronische Adresse des Käufers", "Buyer electronic address"),
    ("BG-8", "Postanschrift des Käufers", "Buyer postal address"),
    ("BT-50", "Zeile 1 der Käuferanschrift", "Buyer address line 1"),
    ("BT-51", "Zeile 2 der Käuferanschrift", "Buyer address line 2"),
    ("BT-163", "Zeile 3 der Käuferanschrift", "Buyer address line 3"),
    ("BT-52", "Ort der Käuferanschrift", "Buyer city"),
    ("BT-53", "Postleitzahl der Käuferanschrift", "Buyer post code"),
    ("BT-54", "Region der Käuferanschrift", "Buyer country subdivision"),
    ("BT-55", "Ländercode der Käuferanschrift", "Buyer country code"),
    ("BG-9", "Kontaktdaten des Käufers", "Buyer contact"),
    ("BT-56", "Kontaktstelle des Käufers", "Buyer contact point"),
    ("BT-57", "Telefonnummer der Kontaktstelle des Käufers", "Buyer contact telephone number"),
    ("BT-58", "E-Mail-Adresse der Kontaktstelle des Käufers", "Buyer contact email address"),
    # --- BG-10 Payee ----------------------------------------------------------------------
    ("BG-10", "Zahlungsempfänger", "Payee"),
    ("BT-59", "Name des Zahlungsempfängers", "Payee name"),
    ("BT-60", "Kennung des Zahlungsempfängers", "Payee identifier"),
    (
        "BT-61",
        "Kennung der rechtlichen Registrierung des Zahlungsempfängers",
        "Payee legal registration identifier",
    ),
    # --- BG-11 Seller tax representative --------------------------------------------------
    ("BG-11", "Steuervertreter des Verkäufers", "Seller tax representative party"),
    ("BT-62", "Name des Steuervertreters des Verkäufers", "Seller tax representative name"),
    (
        "BT-63",
        "Umsatzsteuer-Identifikationsnummer des Steuervertreters des Verkäufers",
        "Seller tax representative VAT identifier",
    ),
    (
        "BG-12",
        "Postanschrift des Steuervertreters des Verkäufers",
        "Seller tax representative postal address",
    ),
    ("BT-64", "Zeile 1 der Anschrift des Steuervertreters", "Tax representative address line 1"),
    ("BT-65", "Zeile 2 der Anschrift des Steuervertreters", "Tax representative address line 2"),
    ("BT-164", "Zeile 3 der Anschrift des Steuervertreters", "Tax representative address line 3"),
    ("BT-66", "Ort der Anschrift des Steuervertreters", "Tax representative city"),
    ("BT-67", "Postleitzahl der Anschrift des Steuervertreters", "Tax representative post code"),
    (
        "BT-68",
        "Region der Anschrift des Steuervertreters",
        "Tax representative country subdivision",
    ),
    ("BT-69", "Ländercode der Anschrift des Steuervertreters", "Tax representative country code"),
    # --- BG-13 Delivery information -------------------------------------------------------
    ("BG-13", "Lieferinformationen", "Delivery information"),
    ("BT-70", "Name des Waren- oder Dienstleistungsempfängers", "Deliver to party name"),
    ("BT-71", "Kennung des Lieferorts", "Deliver to location identifier"),
    ("BT-72", "Tatsächliches Lieferdatum", "Actual delivery date"),
    ("BG-14", "Rechnungszeitraum", "Invoicing period"),
    ("BT-73", "Anfangsdatum des Rechnungszeitraums", "Invoicing period start date"),
    ("BT-74", "Enddatum des Rechnungszeitraums", "Invoicing period end date"),
    ("BG-15", "Lieferanschrift", "Deliver to address"),
    ("BT-75", "Zeile 1 der Lieferanschrift", "Deliver to address line 1"),
    ("BT-76", "Zeile 2 der Lieferanschrift", "Deliver to address line 2"),
    ("BT-165", "Zeile 3 der Lieferanschrift", "Deliver to address line 3"),
    ("BT-77", "Ort der Lieferanschrift", "Deliver to city"),
    ("BT-78", "Postleitzahl der Lieferanschrift", "Deliver to post code"),
    ("BT-79", "Region der Lieferanschrift", "Deliver to country subdivision"),
    ("BT-80", "Ländercode der Lieferanschrift", "Deliver to country code"),
    # --- BG-16 Payment instructions -------------------------------------------------------
    ("BG-16", "Zahlungsanweisungen", "Payment instructions"),
    ("BT-81", "Code für die Zahlungsart", "Payment means type code"),
    ("BT-82", "Zahlungsart (Text)", "Payment means text"),
    ("BT-83", "Verwendungszweck", "Remittance information"),
    ("BG-17", "Überweisung", "Credit transfer"),
    ("BT-84", "Kennung des Zahlungskontos", "Payment account identifier"),
    ("BT-85", "Name des Zahlungskontos", "Payment account name"),
    ("BT-86", "Kennung des Zahlungsdienstleisters", "Payment service provider identifier"),
    ("BG-18", "Zahlungskarteninformationen", "Payment card information"),
    ("BT-87", "Nummer der Zahlungskarte", "Payment card primary account number"),
    ("BT-88", "Name des Karteninhabers", "Payment card holder name"),
    ("BG-19", "Lastschrift", "Direct debit"),
    ("BT-89", "Kennung der Mandatsreferenz", "Mandate reference identifier"),
    ("BT-90", "Gläubiger-Identifikationsnummer", "Bank assigned creditor identifier"),
    ("BT-91", "Kennung des zu belastenden Kontos", "Debited account identifier"),
    # --- BG-20 Document level allowances --------------------------------------------------
    ("BG-20", "Nachlässe auf Dokumentenebene", "Document level allowances"),
    ("BT-92", "Betrag des Nachlasses auf Dokumentenebene", "Document level allowance amount"),
    (
        "BT-93",
        "Grundbetrag des Nachlasses auf Dokumentenebene",
        "Document level allowance base amount",
    ),
    (
        "BT-94",
        "Prozentsatz des Nachlasses auf Dokumentenebene",
        "Document level allowance percentage",
    ),
    (
        "BT-95",
        "Code der Umsatzsteuerkategorie des Nachlasses auf Dokumentenebene",
        "Document level allowance VAT category code",
    ),
    (
        "BT-96",
        "Umsatzsteuersatz des Nachlasses auf Dokumentenebene",
        "Document level allowance VAT rate",
    ),
    ("BT-97", "Grund für den Nachlass auf Dokumentenebene", "Document level allowance reason"),
    (
        "BT-98",
        "Code für den Grund des Nachlasses auf Dokumentenebene",
        "Document level allowance reason code",
    ),
    # --- BG-21 Document level charges -----------------------------------------------------
    ("BG-21", "Zuschläge auf Dokumentenebene", "Document level charges"),
    ("BT-99", "Betrag des Zuschlags auf Dokumentenebene", "Document level charge amount"),
    (
        "BT-100",
        "Grundbetrag des Zuschlags auf Dokumentenebene",
        "Document level charge base amount",
    ),
    (
        "BT-101",
        "Prozentsatz des Zuschlags auf Dokumentenebene",
        "Document level charge percentage",
    ),
    (
        "BT-102",
        "Code der Umsatzsteuerkategorie des Zuschlags auf Dokumentenebene",
        "Document level charge VAT category code",
    ),
    (
        "BT-103",
        "Umsatzsteuersatz des Zuschlags auf Dokumentenebene",
        "Document level charge VAT rate",
    ),
    ("BT-104", "Grund für den Zuschlag auf Dokumentenebene", "Document level charge reason"),
    (
        "BT-105",
        "Code für den Grund des Zuschlags auf Dokumentenebene",
        "Document level charge reason code",
    ),
    # --- BG-22 Document totals ------------------------------------------------------------
    ("BG-22", "Gesamtbeträge der Rechnung", "Document totals"),
    (
        "BT-106",
        "Summe der Nettobeträge aller Rechnungspositionen",
        "Sum of Invoice line net amount",
    ),
    (
        "BT-107",
        "Summe der Nachlässe auf Dokumentenebene",
        "Sum of allowances on document level",
    ),
    ("BT-108", "Summe der Zuschläge auf Dokumentenebene", "Sum of charges on document level"),
    (
        "BT-109",
        "Gesamtbetrag der Rechnung ohne Umsatzsteuer",
        "Invoice total amount without VAT",
    ),
    ("BT-110", "Gesamtbetrag der Umsatzsteuer", "Invoice total VAT amount"),
    (
        "BT-111",
        "Gesamtbetrag der Umsatzsteuer in Buchungswährung",
        "Invoice total VAT amount in accounting currency",
    ),
    (
        "BT-112",
        "Gesamtbetrag der Rechnung einschließlich Umsatzsteuer",
        "Invoice total amount with VAT",
    ),
    ("BT-113", "Bereits gezahlter Betrag", "Paid amount"),
    ("BT-114", "Rundungsbetrag", "Rounding amount"),
    ("BT-115", "Fälliger Zahlungsbetrag", "Amount due for payment"),
    # --- BG-23 VAT breakdown --------------------------------------------------------------
    ("BG-23", "Umsatzsteueraufschlüsselung", "VAT breakdown"),
    (
        "BT-116",
        "Steuerbemessungsgrundlage der Umsatzsteuerkategorie",
        "VAT category taxable amount",
    ),
    ("BT-117", "Umsatzsteuerbetrag der Umsatzsteuerkategorie", "VAT category tax amount"),
    ("BT-118", "Code der Umsatzsteuerkategorie", "VAT category code"),
    ("BT-119", "Umsatzsteuersatz der Umsatzsteuerkategorie", "VAT category rate"),
    ("BT-120", "Grund der Umsatzsteuerbefreiung (Text)", "VAT exemption reason text"),
    ("BT-121", "Code für den Grund der Umsatzsteuerbefreiung", "VAT exemption reason code"),
    # --- BG-24 Additional supporting documents --------------------------------------------
    ("BG-24", "Rechnungsbegründende Unterlagen", "Additional supporting documents"),
    (
        "BT-122",
        "Kennung der rechnungsbegründenden Unterlage",
        "Supporting document reference",
    ),
    (
        "BT-123",
        "Beschreibung der rechnungsbegründenden Unterlage",
        "Supporting document description",
    ),
    ("BT-124", "Speicherort des externen Dokuments", "External document location"),
    ("BT-125", "Angehängtes Dokument", "Attached document"),
    # --- BG-25 Invoice line ---------------------------------------------------------------
    ("BG-25", "Rechnungsposition", "Invoice line"),
    ("BT-126", "Kennung der Rechnungsposition", "Invoice line identifier"),
    ("BT-127", "Freitext zur Rechnungsposition", "Invoice line note"),
    ("BT-128", "Objektkennung der Rechnungsposition", "Invoice line object identifier"),
    ("BT-129", "In Rechnung gestellte Menge", "Invoiced quantity"),
    (
        "BT-130",
        "Einheit der in Rechnung gestellten Menge",
        "Invoiced quantity unit of measure code",
    ),
    ("BT-131", "Nettobetrag der Rechnungsposition", "Invoice line net amount"),
    (
        "BT-132",
        "Referenz auf die Bestellposition",
        "Referenced purchase order line reference",
    ),
    (
        "BT-133",
        "Buchungsreferenz des Käufers für die Rechnungsposition",
        "Invoice line Buyer accounting reference",
    ),
    ("BG-26", "Zeitraum der Rechnungsposition", "Invoice line period"),
    (
        "BT-134",
        "Anfangsdatum des Zeitraums der Rechnungsposition",
        "Invoice line period start date",
    ),
    (
        "BT-135",
        "Enddatum des Zeitraums der Rechnungsposition",
        "Invoice line period end date",
    ),
    ("BG-27", "Nachlässe auf Ebene der Rechnungsposition", "Invoice line allowances"),
    (
        "BT-136",
        "Betrag des Nachlasses auf Ebene der Rechnungsposition",
        "Invoice line allowance amount",
    ),
    (
        "BT-137",
        "Grundbetrag des Nachlasses auf Ebene der Rechnungsposition",
        "Invoice line allowance base amount",
    ),
    (
        "BT-138",
        "Prozentsatz des Nachlasses auf Ebene der Rechnungsposition",
        "Invoice line allowance percentage",
    ),
    (
        "BT-139",
        "Grund für den Nachlass auf Ebene der Rechnungsposition",
        "Invoice line allowance reason",
    ),
    (
        "BT-140",
        "Code für den Grund des Nachlasses auf Ebene der Rechnungsposition",
        "Invoice line allowance reason code",
    ),
    ("BG-28", "Zuschläge auf Ebene der Rechnungsposition", "Invoice line charges"),
    (
        "BT-141",
        "Betrag des Zuschlags auf Ebene der Rechnungsposition",
        "Invoice line charge amount",
    ),
    (
        "BT-142",
        "Grundbetrag des Zuschlags auf Ebene der Rechnungsposition",
        "Invoice line charge base amount",
    ),
    (
        "BT-143",
        "Prozentsatz des Zuschlags auf Ebene der Rechnungsposition",
        "Invoice line charge percentage",
    ),
    (
        "BT-144",
        "Grund für den Zuschlag auf Ebene der Rechnungsposition",
        "Invoice line charge reason",
    ),
    (
        "BT-145",
        "Code für den Grund des Zuschlags auf Ebene der Rechnungsposition",
        "Invoice line charge reason code",
    ),
    # --- BG-29 Price details --------------------------------------------------------------
    ("BG-29", "Preiseinzelheiten", "Price details"),
    ("BT-146", "Nettopreis des Artikels", "Item net price"),
    ("BT-147", "Rabatt auf den Artikelpreis", "Item price discount"),
    ("BT-148", "Bruttopreis des Artikels", "Item gross price"),
    ("BT-149", "Basismenge zum Artikelpreis", "Item price base quantity"),
    (
        "BT-150",
        "Code der Maßeinheit der Basismenge zum Artikelpreis",
        "Item price base quantity unit of measure code",
    ),
    # --- BG-30 Line VAT information -------------------------------------------------------
    ("BG-30", "Umsatzsteuerinformationen zur Rechnungsposition", "Line VAT information"),
    (
        "BT-151",
        "Code der Umsatzsteuerkategorie des in Rechnung gestellten Artikels",
        "Invoiced item VAT category code",
    ),
    (
        "BT-152",
        "Umsatzsteuersatz des in Rechnung gestellten Artikels",
        "Invoiced item VAT rate",
    ),
    # --- BG-31 Item information -----------------------------------------------------------
    ("BG-31", "Artikelinformationen", "Item information"),
    ("BT-153", "Artikelname", "Item name"),
    ("BT-154", "Artikelbeschreibung", "Item description"),
    ("BT-155", "Artikelkennung des Verkäufers", "Item Seller's identifier"),
    ("BT-156", "Artikelkennung des Käufers", "Item Buyer's identifier"),
    ("BT-157", "Standardkennung des Artikels", "Item standard identifier"),
    ("BT-158", "Kennung der Artikelklassifizierung", "Item classification identifier"),
    ("BT-159", "Ursprungsland des Artikels", "Item country of origin"),
    ("BG-32", "Artikelattribute", "Item attributes"),
    ("BT-160", "Name des Artikelattributs", "Item attribute name"),
    ("BT-161", "Wert des Artikelattributs", "Item attribute value"),
    # --- XRechnung extension: sub invoice lines -------------------------------------------
    ("BG-DEX-01", "Unterposition der Rechnung", "Sub invoice line"),
    ("BG-DEX-02", "Artikelinformationen der Unterposition", "Sub invoice item information"),
    ("BG-DEX-03", "Nachlässe auf Ebene der Unterposition", "Sub invoice line allowances"),
    ("BG-DEX-04", "Zuschläge auf Ebene der Unterposition", "Sub invoice line charges"),
    ("BG-DEX-05", "Zeitraum der Unterposition", "Sub invoice line period"),
    (
        "BG-DEX-06",
        "Umsatzsteuerinformationen zur Unterposition",
        "Sub invoice line VAT information",
    ),
    ("BG-DEX-07", "Preiseinzelheiten der Unterposition", "Sub invoice price details"),
    ("BG-DEX-08", "Artikelattribute der Unterposition", "Sub invoice item attributes"),
    # --- XRechnung extension: third party payment -----------------------------------------
    ("BG-DEX-09", "Zahlung durch Dritte", "Third party payment"),
    ("BT-DEX-001", "Art der Zahlung durch Dritte", "Third party payment type"),
    ("BT-DEX-002", "Betrag der Zahlung durch Dritte", "Third party payment amount"),
    ("BT-DEX-003", "Beschreibung der Zahlung durch Dritte", "Third party payment description"),
)

TERMS: dict[str, Term] = {row[0]: Term(*row) for row in _ROWS}
"""All known terms and groups by id ("BT-10", "BG-4", "BT-DEX-001")."""

# "BT-10", "BG-4", "BT-DEX-001"; a suffix such as "-1" in "BT-10-1" or "-0" in "BT-118-0"
# (sub-elements and attributes in some specifications) is not part of the id.
_TERM_ID = re.compile(r"(?<![A-Za-z0-9-])(B[TG])-(?:DEX-(\d+)|(\d+))(?![0-9])")


def _normalise(term_id: str) -> str:
    match = _TERM_ID.fullmatch(term_id.strip().upper())
    if match is None:
        return term_id.strip()
    kind, dex, number = match.groups()
    if dex is not None:
        return f"{kind}-DEX-{dex}"
    return f"{kind}-{int(number)}"


def term_label(term_id: str, lang: str = "de") -> str:
    """``"BT-10 Käuferreferenz"`` (``lang="en"``: ``"BT-10 Buyer reference"``).

    An unknown id is returned as it is.
    """
    key = _normalise(term_id)
    term = TERMS.get(key)
    if term is None:
        return term_id
    name = term.name_en if lang.lower().startswith("en") else term.name_de
    return f"{term.id} {name}"


def terms_in(text: str) -> tuple[str, ...]:
    """All BT/BG ids mentioned in ``text``, in order of first mention, each once.

    ``"BT-10-1"`` counts as ``BT-10``; leading zeros are dropped (``"BT-01"`` -> ``BT-1``).
    Ids are reported whether or not ``TERMS`` knows them.
    """
    found: dict[str, None] = {}
    for match in _TERM_ID.finditer(text):
        kind, dex, number = match.groups()
        key = f"{kind}-DEX-{dex}" if dex is not None else f"{kind}-{int(number)}"
        found.setdefault(key, None)
    return tuple(found)
