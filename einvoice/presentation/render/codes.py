"""German names for the codes an invoice carries (document type, VAT category, units ...).

Only the codes that occur in practice are named; an unknown code is shown as
it is written, so nothing is hidden behind a wrong name.
"""

from __future__ import annotations

from einvoice.domain.invoice import CREDIT_NOTE_TYPE_CODES

#: UNTDID 1001 document types (BT-3).
DOCUMENT_TYPES = {
    "326": "Teilrechnung",
    "380": "Rechnung",
    "381": "Gutschrift",
    "383": "Belastungsanzeige",
    "384": "Korrekturrechnung",
    "386": "Vorauszahlungsrechnung",
    "389": "Rechnung im Gutschriftsverfahren",
    "393": "Factoring-Rechnung",
    "875": "Teilrechnung (Bauleistung)",
    "876": "Teilschlussrechnung (Bauleistung)",
    "877": "Schlussrechnung (Bauleistung)",
    "261": "Selbst ausgestellte Gutschrift",
    "751": "Rechnungsinformation für Buchungszwecke",
}

#: UNTDID 5305 VAT categories (BT-95, BT-102, BT-118, BT-151).
VAT_CATEGORIES = {
    "S": "Normalsatz",
    "Z": "Nullsatz",
    "E": "Steuerbefreit",
    "AE": "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge)",
    "K": "Innergemeinschaftliche Lieferung",
    "G": "Ausfuhr in Drittländer",
    "O": "Nicht steuerbar",
    "L": "Kanarische Inseln (IGIC)",
    "M": "Ceuta und Melilla (IPSI)",
}

#: UNTDID 4461 payment means (BT-81).
PAYMENT_MEANS = {
    "1": "Nicht angegeben",
    "10": "Barzahlung",
    "20": "Scheck",
    "30": "Überweisung",
    "31": "Debit Transfer",
    "42": "Zahlung auf Bankkonto",
    "48": "Kartenzahlung",
    "49": "Lastschrift",
    "54": "Kreditkarte",
    "55": "Debitkarte",
    "57": "Dauerauftrag",
    "58": "SEPA-Überweisung",
    "59": "SEPA-Lastschrift",
    "97": "Verrechnung",
    "ZZZ": "Sonstige",
}

#: UN/ECE Recommendation 20/21 units (BT-130, BT-150).
UNITS = {
    "C62": "Stück",
    "H87": "Stück",
    "EA": "Stück",
    "XPK": "Packung",
    "XPA": "Päckchen",
    "XBX": "Karton",
    "XRO": "Rolle",
    "SET": "Satz",
    "PR": "Paar",
    "LS": "Pauschale",
    "HUR": "Stunde",
    "MIN": "Minute",
    "DAY": "Tag",
    "WEE": "Woche",
    "MON": "Monat",
    "ANN": "Jahr",
    "KGM": "kg",
    "GRM": "g",
    "TNE": "t",
    "MTR": "m",
    "KMT": "km",
    "CMT": "cm",
    "MMT": "mm",
    "MTK": "m²",
    "MTQ": "m³",
    "LTR": "l",
    "KWH": "kWh",
    "P1": "%",
}

#: UNTDID 4451 subjects of an invoice note (BT-21).
NOTE_SUBJECTS = {
    "AAI": "Allgemeine Information",
    "SUR": "Anmerkung des Verkäufers",
    "REG": "Regulatorische Information",
    "ABL": "Rechtliche Information",
    "TXD": "Steuerliche Angabe",
    "CUS": "Zollangabe",
    "PMT": "Zahlungsinformation",
    "PMD": "Zahlungsdetail",
}

#: ISO 3166-1 countries that German public buyers see most.
COUNTRIES = {
    "DE": "Deutschland",
    "AT": "Österreich",
    "CH": "Schweiz",
    "FR": "Frankreich",
    "NL": "Niederlande",
    "BE": "Belgien",
    "LU": "Luxemburg",
    "DK": "Dänemark",
    "PL": "Polen",
    "CZ": "Tschechien",
    "IT": "Italien",
    "ES": "Spanien",
    "GB": "Vereinigtes Königreich",
    "US": "Vereinigte Staaten",
}


def document_kind(type_code: str, is_credit_note: bool) -> str:
    """Rechnung, Gutschrift, Korrekturrechnung ... by BT-3 (an unnamed credit note: Gutschrift)."""
    code = type_code.strip()
    if code in DOCUMENT_TYPES:
        return DOCUMENT_TYPES[code]
    return "Gutschrift" if is_credit_note or code in CREDIT_NOTE_TYPE_CODES else "Rechnung"


def name_of(table: dict[str, str], code: str | None) -> str:
    """The German name of ``code`` in ``table``, or ``""`` when unknown."""
    if code is None:
        return ""
    return table.get(code.strip().upper(), table.get(code.strip(), ""))
