"""Plain-language explanations of the official EN 16931 rules (CEN Schematron).

The official rule artefacts report findings with an id (BR-01, BR-CO-10, BR-S-08, ...) and a
short English text. Suppliers and clerks get here, per rule id, what is wrong, which business
terms are concerned and how to fix it, in German and English. The ids and what each rule
requires are taken from EN 16931; the wording is this project's own.

The hundreds of syntax rules (UBL-CR-*, CII-SR-*, UBL-SR-*, UBL-DT-*, CII-DT-*) are not listed
one by one: :func:`explain` returns one shared explanation per family.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RuleText:
    """Explanation of one rule: German text, English text, business terms concerned."""

    de: str
    en: str
    terms: tuple[str, ...]


RULE_TEXTS: dict[str, RuleText] = {
    # --- BR --------------------------------------------------------------------------------------
    "BR-01": RuleText(
        de=(
            "Die Spezifikationskennung (BT-24) fehlt. Sie sagt, nach welchem Regelwerk die "
            "Rechnung aufgebaut ist. Bitte die Kennung eintragen, für XRechnung 3.0 zum Beispiel "
            "„urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0“."
        ),
        en=(
            "The specification identifier (BT-24) is missing. It tells which rule set the invoice "
            "is built on. Fill it in, for XRechnung 3.0 for example "
            "'urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0'."
        ),
        terms=("BT-24",),
    ),
    "BR-02": RuleText(
        de=(
            "Die Rechnungsnummer (BT-1) fehlt. Bitte die Nummer angeben, unter der die Rechnung in "
            "Ihrer Buchhaltung geführt wird; sie muss die Rechnung eindeutig bezeichnen."
        ),
        en=(
            "The invoice number (BT-1) is missing. Give the number under which the invoice is kept "
            "in your accounts; it must identify the invoice uniquely."
        ),
        terms=("BT-1",),
    ),
    "BR-03": RuleText(
        de=(
            "Das Rechnungsdatum (BT-2) fehlt. Bitte das Datum angeben, an dem die Rechnung "
            "ausgestellt wurde."
        ),
        en=(
            "The invoice issue date (BT-2) is missing. Give the date on which the invoice was "
            "issued."
        ),
        terms=("BT-2",),
    ),
    "BR-04": RuleText(
        de=(
            "Der Code für den Rechnungstyp (BT-3) fehlt. Bitte die Art des Dokuments als Code "
            "angeben, zum Beispiel 380 für eine Rechnung oder 381 für eine Gutschrift."
        ),
        en=(
            "The invoice type code (BT-3) is missing. State the kind of document as a code, for "
            "example 380 for an invoice or 381 for a credit note."
        ),
        terms=("BT-3",),
    ),
    "BR-05": RuleText(
        de=(
            "Der Code für die Rechnungswährung (BT-5) fehlt. Bitte die Währung als dreistelligen "
            "ISO-4217-Code angeben, in der Regel „EUR“."
        ),
        en=(
            "The invoice currency code (BT-5) is missing. State the currency as a three-letter ISO "
            "4217 code, usually 'EUR'."
        ),
        terms=("BT-5",),
    ),
    "BR-06": RuleText(
        de=(
            "Der Name des Verkäufers (BT-27) fehlt. Bitte den vollständigen Namen Ihres "
            "Unternehmens angeben, so wie er im Handelsregister oder bei der Steuerbehörde geführt "
            "wird."
        ),
        en=(
            "The seller name (BT-27) is missing. Give the full name of your business as registered "
            "in the trade register or with the tax authority."
        ),
        terms=("BT-27", "BG-4"),
    ),
    "BR-07": RuleText(
        de=(
            "Der Name des Käufers (BT-44) fehlt. Bitte den Namen der Stelle angeben, an die die "
            "Rechnung gerichtet ist."
        ),
        en=(
            "The buyer name (BT-44) is missing. Give the name of the body the invoice is addressed "
            "to."
        ),
        terms=("BT-44", "BG-7"),
    ),
    "BR-08": RuleText(
        de=(
            "Die Postanschrift des Verkäufers (BG-5) fehlt. Bitte Ihre Anschrift angeben, "
            "mindestens mit Ländercode; für XRechnung sind außerdem Ort und Postleitzahl Pflicht."
        ),
        en=(
            "The seller postal address (BG-5) is missing. Give your address, at least with the "
            "country code; XRechnung also requires city and post code."
        ),
        terms=("BG-5", "BG-4"),
    ),
    "BR-09": RuleText(
        de=(
            "In der Anschrift des Verkäufers (BG-5) fehlt der Ländercode (BT-40). Bitte den "
            "zweistelligen Code nach ISO 3166-1 angeben, für Deutschland „DE“."
        ),
        en=(
            "The seller postal address (BG-5) lacks the country code (BT-40). Give the two-letter "
            "ISO 3166-1 code, 'DE' for Germany."
        ),
        terms=("BT-40", "BG-5"),
    ),
    "BR-10": RuleText(
        de=(
            "Die Postanschrift des Käufers (BG-8) fehlt. Bitte die Rechnungsanschrift des Käufers "
            "angeben."
        ),
        en="The buyer postal address (BG-8) is missing. Give the buyer's billing address.",
        terms=("BG-8", "BG-7"),
    ),
    "BR-11": RuleText(
        de=(
            "In der Anschrift des Käufers (BG-8) fehlt der Ländercode (BT-55). Bitte den "
            "zweistelligen Code nach ISO 3166-1 angeben, zum Beispiel „DE“."
        ),
        en=(
            "The buyer postal address (BG-8) lacks the country code (BT-55). Give the two-letter "
            "ISO 3166-1 code, for example 'DE'."
        ),
        terms=("BT-55", "BG-8"),
    ),
    "BR-12": RuleText(
        de=(
            "Die Summe der Nettobeträge aller Rechnungspositionen (BT-106) fehlt. Bitte die Summe "
            "der Positionsnettobeträge (BT-131) in den Gesamtbeträgen angeben."
        ),
        en=(
            "The sum of invoice line net amounts (BT-106) is missing. Add the total of the line "
            "net amounts (BT-131) to the document totals."
        ),
        terms=("BT-106", "BG-22"),
    ),
    "BR-13": RuleText(
        de=(
            "Der Gesamtbetrag der Rechnung ohne Umsatzsteuer (BT-109) fehlt. Bitte den Nettobetrag "
            "der Rechnung in den Gesamtbeträgen angeben."
        ),
        en=(
            "The invoice total amount without VAT (BT-109) is missing. Add the net total to the "
            "document totals."
        ),
        terms=("BT-109", "BG-22"),
    ),
    "BR-14": RuleText(
        de=(
            "Der Gesamtbetrag der Rechnung einschließlich Umsatzsteuer (BT-112) fehlt. Bitte den "
            "Bruttobetrag der Rechnung in den Gesamtbeträgen angeben."
        ),
        en=(
            "The invoice total amount with VAT (BT-112) is missing. Add the gross total to the "
            "document totals."
        ),
        terms=("BT-112", "BG-22"),
    ),
    "BR-15": RuleText(
        de=(
            "Der fällige Zahlungsbetrag (BT-115) fehlt. Bitte den Betrag angeben, der noch zu "
            "zahlen ist (bei vollständig bezahlten Rechnungen 0)."
        ),
        en=(
            "The amount due for payment (BT-115) is missing. Give the amount still to be paid (0 "
            "if the invoice is fully paid)."
        ),
        terms=("BT-115", "BG-22"),
    ),
    "BR-16": RuleText(
        de=(
            "Die Rechnung enthält keine Rechnungsposition (BG-25). Jede Rechnung braucht "
            "mindestens eine Position mit Menge, Preis und Nettobetrag."
        ),
        en=(
            "The invoice has no invoice line (BG-25). Every invoice needs at least one line with "
            "quantity, price and net amount."
        ),
        terms=("BG-25",),
    ),
    "BR-17": RuleText(
        de=(
            "Ein abweichender Zahlungsempfänger (BG-10) ist angegeben, aber ohne Namen (BT-59). "
            "Bitte den Namen ergänzen; ist der Zahlungsempfänger der Verkäufer selbst, die Gruppe "
            "ganz weglassen."
        ),
        en=(
            "A separate payee (BG-10) is given, but without a name (BT-59). Add the name; if the "
            "payee is the seller, leave the group out altogether."
        ),
        terms=("BT-59", "BG-10", "BG-4"),
    ),
    "BR-18": RuleText(
        de=(
            "Ein Steuervertreter des Verkäufers (BG-11) ist angegeben, aber ohne Namen (BT-62). "
            "Bitte den Namen des Steuervertreters ergänzen."
        ),
        en=(
            "A seller tax representative (BG-11) is given, but without a name (BT-62). Add the "
            "representative's name."
        ),
        terms=("BT-62", "BG-11", "BG-4"),
    ),
    "BR-19": RuleText(
        de=(
            "Ein Steuervertreter des Verkäufers (BG-11) ist angegeben, aber ohne Postanschrift "
            "(BG-12). Bitte die Anschrift des Steuervertreters ergänzen."
        ),
        en=(
            "A seller tax representative (BG-11) is given, but without a postal address (BG-12). "
            "Add the representative's address."
        ),
        terms=("BG-12", "BG-11", "BG-4"),
    ),
    "BR-20": RuleText(
        de=(
            "In der Anschrift des Steuervertreters (BG-12) fehlt der Ländercode (BT-69). Bitte den "
            "zweistelligen Code nach ISO 3166-1 angeben."
        ),
        en=(
            "The tax representative's address (BG-12) lacks the country code (BT-69). Give the "
            "two-letter ISO 3166-1 code."
        ),
        terms=("BT-69", "BG-12", "BG-11", "BG-4"),
    ),
    "BR-21": RuleText(
        de=(
            "Eine Rechnungsposition (BG-25) hat keine Kennung (BT-126). Bitte jede Position "
            "nummerieren, zum Beispiel fortlaufend 1, 2, 3."
        ),
        en=(
            "An invoice line (BG-25) has no identifier (BT-126). Number every line, for example 1, "
            "2, 3."
        ),
        terms=("BT-126", "BG-25"),
    ),
    "BR-22": RuleText(
        de=(
            "Eine Rechnungsposition (BG-25) hat keine Menge (BT-129). Bitte die berechnete Menge "
            "angeben, bei Pauschalen zum Beispiel 1."
        ),
        en=(
            "An invoice line (BG-25) has no invoiced quantity (BT-129). Give the quantity charged, "
            "for a lump sum for example 1."
        ),
        terms=("BT-129", "BG-25"),
    ),
    "BR-23": RuleText(
        de=(
            "Eine Rechnungsposition (BG-25) hat keine Mengeneinheit (BT-130). Bitte einen Code "
            "nach UN/ECE Empfehlung 20/21 angeben, zum Beispiel H87 (Stück), C62 (Einheit), HUR "
            "(Stunde) oder KGM (Kilogramm)."
        ),
        en=(
            "An invoice line (BG-25) has no unit of measure (BT-130). Give a UN/ECE Recommendation "
            "20/21 code, for example H87 (piece), C62 (one), HUR (hour) or KGM (kilogram)."
        ),
        terms=("BT-130", "BG-25"),
    ),
    "BR-24": RuleText(
        de=(
            "Eine Rechnungsposition (BG-25) hat keinen Nettobetrag (BT-131). Bitte den Betrag der "
            "Position ohne Umsatzsteuer angeben (Menge mal Nettopreis, abzüglich Nachlässe, "
            "zuzüglich Zuschläge der Position)."
        ),
        en=(
            "An invoice line (BG-25) has no net amount (BT-131). Give the line amount without VAT "
            "(quantity times net price, less line allowances, plus line charges)."
        ),
        terms=("BT-131", "BG-25"),
    ),
    "BR-25": RuleText(
        de=(
            "Eine Rechnungsposition (BG-25) hat keinen Artikelnamen (BT-153). Bitte die gelieferte "
            "Ware oder erbrachte Leistung benennen."
        ),
        en=(
            "An invoice line (BG-25) has no item name (BT-153). Name the goods delivered or the "
            "service rendered."
        ),
        terms=("BT-153", "BG-31", "BG-25"),
    ),
    "BR-26": RuleText(
        de=(
            "Eine Rechnungsposition (BG-25) hat keinen Nettopreis (BT-146). Bitte den Preis je "
            "Einheit ohne Umsatzsteuer angeben."
        ),
        en=(
            "An invoice line (BG-25) has no item net price (BT-146). Give the price per unit "
            "without VAT."
        ),
        terms=("BT-146", "BG-29", "BG-25"),
    ),
    "BR-27": RuleText(
        de=(
            "Der Nettopreis eines Artikels (BT-146) ist negativ. Preise dürfen nicht negativ sein: "
            "Rückbuchungen bitte über eine negative Menge (BT-129) oder als Gutschrift abbilden, "
            "Rabatte als Nachlass (BG-27)."
        ),
        en=(
            "The item net price (BT-146) is negative. Prices must not be negative: show reversals "
            "with a negative quantity (BT-129) or as a credit note, discounts as an allowance "
            "(BG-27)."
        ),
        terms=("BT-146", "BG-29"),
    ),
    "BR-28": RuleText(
        de=(
            "Der Bruttopreis eines Artikels (BT-148) ist negativ. Bitte einen Preis von 0 oder "
            "mehr angeben; Rückbuchungen über eine negative Menge (BT-129) abbilden."
        ),
        en=(
            "The item gross price (BT-148) is negative. Give a price of 0 or more; show reversals "
            "with a negative quantity (BT-129)."
        ),
        terms=("BT-148", "BG-29"),
    ),
    "BR-29": RuleText(
        de=(
            "Das Enddatum des Rechnungszeitraums (BT-74) liegt vor dem Anfangsdatum (BT-73). Bitte "
            "die beiden Daten prüfen und gegebenenfalls tauschen."
        ),
        en=(
            "The invoicing period end date (BT-74) is earlier than its start date (BT-73). Check "
            "the two dates and swap them if needed."
        ),
        terms=("BT-73", "BT-74", "BG-14"),
    ),
    "BR-30": RuleText(
        de=(
            "Das Enddatum des Zeitraums einer Rechnungsposition (BT-135) liegt vor dem "
            "Anfangsdatum (BT-134). Bitte die Daten der Position prüfen."
        ),
        en=(
            "The end date of an invoice line period (BT-135) is earlier than its start date "
            "(BT-134). Check the dates of that line."
        ),
        terms=("BT-134", "BT-135", "BG-26"),
    ),
    "BR-31": RuleText(
        de=(
            "Ein Nachlass auf Dokumentenebene (BG-20) hat keinen Betrag (BT-92). Bitte den "
            "Nachlassbetrag ohne Umsatzsteuer angeben."
        ),
        en=(
            "A document level allowance (BG-20) has no amount (BT-92). Give the allowance amount "
            "without VAT."
        ),
        terms=("BT-92", "BG-20"),
    ),
    "BR-32": RuleText(
        de=(
            "Ein Nachlass auf Dokumentenebene (BG-20) hat keine Umsatzsteuerkategorie (BT-95). "
            "Bitte die Kategorie angeben, die für den Nachlass gilt (zum Beispiel S für den "
            "Normalsatz)."
        ),
        en=(
            "A document level allowance (BG-20) has no VAT category code (BT-95). Give the "
            "category that applies to the allowance (for example S for standard rate)."
        ),
        terms=("BT-95", "BG-20"),
    ),
    "BR-33": RuleText(
        de=(
            "Ein Nachlass auf Dokumentenebene (BG-20) hat weder einen Grund als Text (BT-97) noch "
            "als Code (BT-98). Bitte mindestens eines davon angeben, zum Beispiel „Skonto“ oder "
            "„Rabatt“."
        ),
        en=(
            "A document level allowance (BG-20) has neither a reason text (BT-97) nor a reason "
            "code (BT-98). Give at least one of them."
        ),
        terms=("BT-97", "BT-98", "BG-20"),
    ),
    "BR-36": RuleText(
        de=(
            "Ein Zuschlag auf Dokumentenebene (BG-21) hat keinen Betrag (BT-99). Bitte den "
            "Zuschlagsbetrag ohne Umsatzsteuer angeben."
        ),
        en=(
            "A document level charge (BG-21) has no amount (BT-99). Give the charge amount without "
            "VAT."
        ),
        terms=("BT-99", "BG-21"),
    ),
    "BR-37": RuleText(
        de=(
            "Ein Zuschlag auf Dokumentenebene (BG-21) hat keine Umsatzsteuerkategorie (BT-102). "
            "Bitte die Kategorie angeben, die für den Zuschlag gilt."
        ),
        en=(
            "A document level charge (BG-21) has no VAT category code (BT-102). Give the category "
            "that applies to the charge."
        ),
        terms=("BT-102", "BG-21"),
    ),
    "BR-38": RuleText(
        de=(
            "Ein Zuschlag auf Dokumentenebene (BG-21) hat weder einen Grund als Text (BT-104) noch "
            "als Code (BT-105). Bitte mindestens eines davon angeben, zum Beispiel „Fracht“."
        ),
        en=(
            "A document level charge (BG-21) has neither a reason text (BT-104) nor a reason code "
            "(BT-105). Give at least one of them."
        ),
        terms=("BT-104", "BT-105", "BG-21"),
    ),
    "BR-41": RuleText(
        de=(
            "Ein Nachlass auf Ebene einer Rechnungsposition (BG-27) hat keinen Betrag (BT-136). "
            "Bitte den Nachlassbetrag ohne Umsatzsteuer angeben."
        ),
        en=(
            "An invoice line allowance (BG-27) has no amount (BT-136). Give the allowance amount "
            "without VAT."
        ),
        terms=("BT-136", "BG-27"),
    ),
    "BR-42": RuleText(
        de=(
            "Ein Nachlass auf Ebene einer Rechnungsposition (BG-27) hat weder einen Grund als Text "
            "(BT-139) noch als Code (BT-140). Bitte mindestens eines davon angeben."
        ),
        en=(
            "An invoice line allowance (BG-27) has neither a reason text (BT-139) nor a reason "
            "code (BT-140). Give at least one of them."
        ),
        terms=("BT-139", "BT-140", "BG-27"),
    ),
    "BR-43": RuleText(
        de=(
            "Ein Zuschlag auf Ebene einer Rechnungsposition (BG-28) hat keinen Betrag (BT-141). "
            "Bitte den Zuschlagsbetrag ohne Umsatzsteuer angeben."
        ),
        en=(
            "An invoice line charge (BG-28) has no amount (BT-141). Give the charge amount without "
            "VAT."
        ),
        terms=("BT-141", "BG-28"),
    ),
    "BR-44": RuleText(
        de=(
            "Ein Zuschlag auf Ebene einer Rechnungsposition (BG-28) hat weder einen Grund als Text "
            "(BT-144) noch als Code (BT-145). Bitte mindestens eines davon angeben."
        ),
        en=(
            "An invoice line charge (BG-28) has neither a reason text (BT-144) nor a reason code "
            "(BT-145). Give at least one of them."
        ),
        terms=("BT-144", "BT-145", "BG-28"),
    ),
    "BR-45": RuleText(
        de=(
            "In einer Umsatzsteueraufschlüsselung (BG-23) fehlt die Bemessungsgrundlage (BT-116). "
            "Bitte je Kategorie und Steuersatz die Summe der zu versteuernden Nettobeträge "
            "angeben."
        ),
        en=(
            "A VAT breakdown (BG-23) lacks the taxable amount (BT-116). For each category and "
            "rate, give the total of the net amounts it applies to."
        ),
        terms=("BT-116", "BG-23"),
    ),
    "BR-46": RuleText(
        de=(
            "In einer Umsatzsteueraufschlüsselung (BG-23) fehlt der Steuerbetrag (BT-117). Bitte "
            "die Umsatzsteuer dieser Kategorie angeben, bei steuerfreien Kategorien 0."
        ),
        en=(
            "A VAT breakdown (BG-23) lacks the tax amount (BT-117). Give the VAT of that category, "
            "0 for categories without tax."
        ),
        terms=("BT-117", "BG-23"),
    ),
    "BR-47": RuleText(
        de=(
            "In einer Umsatzsteueraufschlüsselung (BG-23) fehlt der Code der Umsatzsteuerkategorie "
            "(BT-118). Bitte die Kategorie angeben, zum Beispiel S (Normalsatz) oder E "
            "(steuerbefreit)."
        ),
        en=(
            "A VAT breakdown (BG-23) lacks the VAT category code (BT-118). Give the category, for "
            "example S (standard rate) or E (exempt)."
        ),
        terms=("BT-118", "BG-23"),
    ),
    "BR-48": RuleText(
        de=(
            "In einer Umsatzsteueraufschlüsselung (BG-23) fehlt der Steuersatz (BT-119). Er darf "
            "nur bei der Kategorie O (nicht steuerbar) fehlen; sonst bitte den Satz angeben, bei "
            "steuerfreien Umsätzen 0."
        ),
        en=(
            "A VAT breakdown (BG-23) lacks the VAT rate (BT-119). It may only be left out for "
            "category O (not subject to VAT); otherwise give the rate, 0 for tax-free supplies."
        ),
        terms=("BT-119", "BG-23"),
    ),
    "BR-49": RuleText(
        de=(
            "Bei den Zahlungsanweisungen (BG-16) fehlt der Code für die Zahlungsart (BT-81). Bitte "
            "den Code angeben, zum Beispiel 58 für SEPA-Überweisung oder 59 für SEPA-Lastschrift."
        ),
        en=(
            "The payment instructions (BG-16) lack the payment means type code (BT-81). Give the "
            "code, for example 58 for SEPA credit transfer or 59 for SEPA direct debit."
        ),
        terms=("BT-81", "BG-16"),
    ),
    "BR-50": RuleText(
        de=(
            "Angaben zur Überweisung (BG-17) sind vorhanden, aber ohne Kontokennung (BT-84). Bitte "
            "das Konto angeben, auf das gezahlt werden soll, in der Regel die IBAN."
        ),
        en=(
            "Credit transfer details (BG-17) are given, but without the payment account identifier "
            "(BT-84). Give the account to be paid into, usually the IBAN."
        ),
        terms=("BT-84", "BG-17"),
    ),
    "BR-51": RuleText(
        de=(
            "Die Nummer der Zahlungskarte (BT-87) ist zu lang. Aus Sicherheitsgründen darf die "
            "Rechnung nie die volle Kartennummer enthalten, höchstens die ersten sechs und die "
            "letzten vier Ziffern. Bitte die Nummer entsprechend kürzen."
        ),
        en=(
            "The payment card number (BT-87) is too long. For security reasons an invoice must "
            "never carry the full card number, at most its first six and last four digits. Shorten "
            "the number accordingly."
        ),
        terms=("BT-87", "BG-18"),
    ),
    "BR-52": RuleText(
        de=(
            "Eine rechnungsbegründende Unterlage (BG-24) hat keine Kennung (BT-122). Bitte jeder "
            "Unterlage eine Kennung geben, zum Beispiel ihre Belegnummer oder den Dateinamen."
        ),
        en=(
            "An additional supporting document (BG-24) has no reference (BT-122). Give each "
            "document an identifier, for example its document number or file name."
        ),
        terms=("BT-122", "BG-24"),
    ),
    "BR-53": RuleText(
        de=(
            "Eine Umsatzsteuer-Buchungswährung (BT-6) ist angegeben, aber der Gesamtbetrag der "
            "Umsatzsteuer in dieser Währung (BT-111) fehlt. Bitte den Betrag in der "
            "Buchungswährung ergänzen oder BT-6 weglassen, wenn in der Rechnungswährung (BT-5) "
            "gebucht wird."
        ),
        en=(
            "A VAT accounting currency (BT-6) is given, but the total VAT amount in that currency "
            "(BT-111) is missing. Add that amount, or leave out BT-6 if VAT is accounted in the "
            "invoice currency (BT-5)."
        ),
        terms=("BT-6", "BT-111", "BT-5"),
    ),
    "BR-54": RuleText(
        de=(
            "Ein Artikelattribut (BG-32) ist unvollständig: Name (BT-160) und Wert (BT-161) müssen "
            "beide angegeben sein."
        ),
        en=(
            "An item attribute (BG-32) is incomplete: both its name (BT-160) and its value "
            "(BT-161) are required."
        ),
        terms=("BT-160", "BT-161", "BG-32"),
    ),
    "BR-55": RuleText(
        de=(
            "Ein Verweis auf eine vorausgegangene Rechnung (BG-3) enthält keine Rechnungsnummer "
            "(BT-25). Bitte die Nummer der früheren Rechnung angeben."
        ),
        en=(
            "A preceding invoice reference (BG-3) has no invoice number (BT-25). Give the number "
            "of the earlier invoice."
        ),
        terms=("BT-25", "BG-3"),
    ),
    "BR-56": RuleText(
        de=(
            "Ein Steuervertreter des Verkäufers (BG-11) ist angegeben, aber ohne "
            "Umsatzsteuer-Identifikationsnummer (BT-63). Bitte dessen USt-IdNr. angeben."
        ),
        en=(
            "A seller tax representative (BG-11) is given, but without a VAT identifier (BT-63). "
            "Add the representative's VAT number."
        ),
        terms=("BT-63", "BG-11"),
    ),
    "BR-57": RuleText(
        de=(
            "In der Lieferanschrift (BG-15) fehlt der Ländercode (BT-80). Bitte den zweistelligen "
            "Code nach ISO 3166-1 angeben."
        ),
        en=(
            "The deliver-to address (BG-15) lacks the country code (BT-80). Give the two-letter "
            "ISO 3166-1 code."
        ),
        terms=("BT-80", "BG-15"),
    ),
    "BR-61": RuleText(
        de=(
            "Als Zahlungsart (BT-81) ist eine Überweisung angegeben (Code 30 oder 58), aber keine "
            "Kontokennung (BT-84). Bitte die IBAN des Empfängerkontos angeben."
        ),
        en=(
            "The payment means (BT-81) is a credit transfer (code 30 or 58), but no payment "
            "account identifier (BT-84) is given. Add the IBAN of the receiving account."
        ),
        terms=("BT-81", "BT-84", "BG-17"),
    ),
    "BR-62": RuleText(
        de=(
            "Bei der elektronischen Adresse des Verkäufers (BT-34) fehlt die Angabe des Schemas "
            "(Attribut schemeID). Bitte das Schema nach der EAS-Codeliste angeben, zum Beispiel "
            "„EM“ für eine E-Mail-Adresse."
        ),
        en=(
            "The seller electronic address (BT-34) has no scheme identifier (schemeID attribute). "
            "Give the scheme from the EAS code list, for example 'EM' for an e-mail address."
        ),
        terms=("BT-34",),
    ),
    "BR-63": RuleText(
        de=(
            "Bei der elektronischen Adresse des Käufers (BT-49) fehlt die Angabe des Schemas "
            "(Attribut schemeID). Bitte das Schema nach der EAS-Codeliste angeben, für eine "
            "Leitweg-ID zum Beispiel „0204“."
        ),
        en=(
            "The buyer electronic address (BT-49) has no scheme identifier (schemeID attribute). "
            "Give the scheme from the EAS code list, for a Leitweg-ID for example '0204'."
        ),
        terms=("BT-49",),
    ),
    "BR-64": RuleText(
        de=(
            "Bei der Standardkennung eines Artikels (BT-157) fehlt die Angabe des Schemas "
            "(Attribut schemeID). Bitte das Schema nach ISO 6523 angeben, für eine GTIN zum "
            "Beispiel „0160“."
        ),
        en=(
            "The item standard identifier (BT-157) has no scheme identifier (schemeID attribute). "
            "Give the ISO 6523 scheme, for a GTIN for example '0160'."
        ),
        terms=("BT-157", "BG-31"),
    ),
    "BR-65": RuleText(
        de=(
            "Bei der Klassifizierung eines Artikels (BT-158) fehlt die Angabe des Schemas "
            "(Attribut listID). Bitte angeben, nach welcher Klassifikation der Code vergeben ist "
            "(Code aus UNTDID 7143)."
        ),
        en=(
            "The item classification identifier (BT-158) has no scheme identifier (listID "
            "attribute). State which classification the code belongs to (a UNTDID 7143 code)."
        ),
        terms=("BT-158", "BG-31"),
    ),
    # --- BR-B ------------------------------------------------------------------------------------
    "BR-B-01": RuleText(
        de=(
            "Die Umsatzsteuerkategorie B („Split Payment“) bei Positionen (BT-151), Nachlässen "
            "(BT-95) oder Zuschlägen (BT-102) ist nur für inländische Rechnungen in Italien "
            "vorgesehen. Bitte für diese Rechnung die zutreffende Kategorie verwenden, meist S "
            "(Normalsatz)."
        ),
        en=(
            "VAT category B (split payment) on lines (BT-151), allowances (BT-95) or charges "
            "(BT-102) is only meant for domestic Italian invoices. Use the category that applies "
            "instead, usually S (standard rate)."
        ),
        terms=("BT-151", "BT-95", "BT-102"),
    ),
    "BR-B-02": RuleText(
        de=(
            "Die Rechnung mischt bei Positionen, Nachlässen oder Zuschlägen (BT-151, BT-95, "
            "BT-102) die Umsatzsteuerkategorie B („Split Payment“) mit der Kategorie S "
            "(Normalsatz). Beide dürfen nicht in derselben Rechnung vorkommen; bitte eine "
            "einheitliche Kategorie verwenden oder die Rechnung aufteilen."
        ),
        en=(
            "On lines, allowances or charges (BT-151, BT-95, BT-102) the invoice mixes VAT "
            "category B (split payment) with category S (standard rate). The two must not occur in "
            "the same invoice; use one category or split the invoice."
        ),
        terms=("BT-151", "BT-95", "BT-102", "BG-25", "BG-20", "BG-21"),
    ),
    # --- BR-CO -----------------------------------------------------------------------------------
    "BR-CO-03": RuleText(
        de=(
            "Abrechnungsdatum der Umsatzsteuer (BT-7) und dessen Code (BT-8) sind beide angegeben. "
            "Es darf nur eines von beiden vorkommen; bitte eines entfernen."
        ),
        en=(
            "Both the value added tax point date (BT-7) and its code (BT-8) are given. Only one of "
            "the two is allowed; remove one."
        ),
        terms=("BT-7", "BT-8"),
    ),
    "BR-CO-04": RuleText(
        de=(
            "Eine Rechnungsposition (BG-25) hat keine Umsatzsteuerkategorie (BT-151). Bitte für "
            "jede Position die Kategorie angeben, zum Beispiel S für den Normalsatz."
        ),
        en=(
            "An invoice line (BG-25) has no VAT category code (BT-151). Give the category for "
            "every line, for example S for the standard rate."
        ),
        terms=("BT-151", "BG-30", "BG-25"),
    ),
    "BR-CO-05": RuleText(
        de=(
            "Bei einem Nachlass auf Dokumentenebene passen der Grund als Code (BT-98) und der "
            "Grund als Text (BT-97) nicht zusammen. Bitte einen Text wählen, der zum Code passt, "
            "oder nur eines von beiden angeben."
        ),
        en=(
            "For a document level allowance the reason code (BT-98) and the reason text (BT-97) "
            "disagree. Use a text that matches the code, or give only one of them."
        ),
        terms=("BT-98", "BT-97", "BG-20"),
    ),
    "BR-CO-06": RuleText(
        de=(
            "Bei einem Zuschlag auf Dokumentenebene passen der Grund als Code (BT-105) und der "
            "Grund als Text (BT-104) nicht zusammen. Bitte einen Text wählen, der zum Code passt, "
            "oder nur eines von beiden angeben."
        ),
        en=(
            "For a document level charge the reason code (BT-105) and the reason text (BT-104) "
            "disagree. Use a text that matches the code, or give only one of them."
        ),
        terms=("BT-105", "BT-104", "BG-21"),
    ),
    "BR-CO-07": RuleText(
        de=(
            "Bei einem Nachlass auf Positionsebene passen der Grund als Code (BT-140) und der "
            "Grund als Text (BT-139) nicht zusammen. Bitte einen Text wählen, der zum Code passt, "
            "oder nur eines von beiden angeben."
        ),
        en=(
            "For an invoice line allowance the reason code (BT-140) and the reason text (BT-139) "
            "disagree. Use a text that matches the code, or give only one of them."
        ),
        terms=("BT-140", "BT-139", "BG-27"),
    ),
    "BR-CO-08": RuleText(
        de=(
            "Bei einem Zuschlag auf Positionsebene passen der Grund als Code (BT-145) und der "
            "Grund als Text (BT-144) nicht zusammen. Bitte einen Text wählen, der zum Code passt, "
            "oder nur eines von beiden angeben."
        ),
        en=(
            "For an invoice line charge the reason code (BT-145) and the reason text (BT-144) "
            "disagree. Use a text that matches the code, or give only one of them."
        ),
        terms=("BT-145", "BT-144", "BG-28"),
    ),
    "BR-CO-09": RuleText(
        de=(
            "Eine Umsatzsteuer-Identifikationsnummer (BT-31, BT-63 oder BT-48) beginnt nicht mit "
            "einem gültigen Ländercode (ISO 3166-1 Alpha-2, für Griechenland „EL“). Bitte die "
            "USt-IdNr. mit Länderpräfix angeben, zum Beispiel „DE123456789“. Eine Steuernummer "
            "gehört nicht hierher, sondern in BT-32."
        ),
        en=(
            "A VAT identifier (BT-31, BT-63 or BT-48) does not start with a valid country prefix "
            "(ISO 3166-1 alpha-2, 'EL' for Greece). Give the VAT number with its prefix, for "
            "example 'DE123456789'. A national tax number belongs in BT-32 instead."
        ),
        terms=("BT-31", "BT-63", "BT-48", "BT-32"),
    ),
    "BR-CO-10": RuleText(
        de=(
            "Die Summe der Nettobeträge aller Rechnungspositionen (BT-106) stimmt nicht mit der "
            "Summe der einzelnen Positionsnettobeträge (BT-131) überein. Bitte die Summe neu "
            "berechnen."
        ),
        en=(
            "The sum of invoice line net amounts (BT-106) does not equal the total of the "
            "individual line net amounts (BT-131). Recalculate the sum."
        ),
        terms=("BT-106", "BT-131"),
    ),
    "BR-CO-11": RuleText(
        de=(
            "Die Summe der Nachlässe auf Dokumentenebene (BT-107) stimmt nicht mit der Summe der "
            "einzelnen Nachlassbeträge (BT-92) überein. Bitte die Summe neu berechnen."
        ),
        en=(
            "The sum of document level allowances (BT-107) does not equal the total of the "
            "individual allowance amounts (BT-92). Recalculate the sum."
        ),
        terms=("BT-107", "BT-92"),
    ),
    "BR-CO-12": RuleText(
        de=(
            "Die Summe der Zuschläge auf Dokumentenebene (BT-108) stimmt nicht mit der Summe der "
            "einzelnen Zuschlagsbeträge (BT-99) überein. Bitte die Summe neu berechnen."
        ),
        en=(
            "The sum of document level charges (BT-108) does not equal the total of the individual "
            "charge amounts (BT-99). Recalculate the sum."
        ),
        terms=("BT-108", "BT-99"),
    ),
    "BR-CO-13": RuleText(
        de=(
            "Der Gesamtbetrag ohne Umsatzsteuer (BT-109) ist falsch berechnet. Er muss der Summe "
            "der Positionsnettobeträge (BT-131) abzüglich der Nachlässe (BT-107) zuzüglich der "
            "Zuschläge (BT-108) auf Dokumentenebene entsprechen."
        ),
        en=(
            "The invoice total without VAT (BT-109) is miscalculated. It must equal the sum of the "
            "line net amounts (BT-131) minus document level allowances (BT-107) plus document "
            "level charges (BT-108)."
        ),
        terms=("BT-109", "BT-131", "BT-107", "BT-108"),
    ),
    "BR-CO-14": RuleText(
        de=(
            "Der Gesamtbetrag der Umsatzsteuer (BT-110) stimmt nicht mit der Summe der "
            "Steuerbeträge in der Umsatzsteueraufschlüsselung (BT-117) überein. Bitte den "
            "Gesamtbetrag neu berechnen."
        ),
        en=(
            "The invoice total VAT amount (BT-110) does not equal the sum of the tax amounts in "
            "the VAT breakdown (BT-117). Recalculate the total."
        ),
        terms=("BT-110", "BT-117", "BG-23"),
    ),
    "BR-CO-15": RuleText(
        de=(
            "Der Gesamtbetrag einschließlich Umsatzsteuer (BT-112) ist falsch berechnet. Er muss "
            "dem Betrag ohne Umsatzsteuer (BT-109) zuzüglich der Umsatzsteuer (BT-110) "
            "entsprechen."
        ),
        en=(
            "The invoice total with VAT (BT-112) is miscalculated. It must equal the total without "
            "VAT (BT-109) plus the total VAT (BT-110)."
        ),
        terms=("BT-112", "BT-109", "BT-110"),
    ),
    "BR-CO-16": RuleText(
        de=(
            "Der fällige Zahlungsbetrag (BT-115) ist falsch berechnet. Er muss dem Bruttobetrag "
            "(BT-112) abzüglich bereits gezahlter Beträge (BT-113) zuzüglich eines Rundungsbetrags "
            "(BT-114) entsprechen."
        ),
        en=(
            "The amount due for payment (BT-115) is miscalculated. It must equal the total with "
            "VAT (BT-112) minus the paid amount (BT-113) plus any rounding amount (BT-114)."
        ),
        terms=("BT-115", "BT-112", "BT-113", "BT-114"),
    ),
    "BR-CO-17": RuleText(
        de=(
            "In der Umsatzsteueraufschlüsselung (BG-23) passt der Steuerbetrag (BT-117) nicht zu "
            "Bemessungsgrundlage (BT-116) und Steuersatz (BT-119). Er muss Bemessungsgrundlage mal "
            "Steuersatz geteilt durch 100 sein, auf zwei Nachkommastellen gerundet. Bitte die "
            "Steuer je Kategorie und Satz aus der Summe berechnen, nicht aus gerundeten "
            "Positionsbeträgen aufaddieren."
        ),
        en=(
            "In the VAT breakdown (BG-23) the tax amount (BT-117) does not match the taxable "
            "amount (BT-116) and the rate (BT-119). It must be taxable amount times rate divided "
            "by 100, rounded to two decimals. Compute the tax per category and rate from the total "
            "rather than adding up rounded line amounts."
        ),
        terms=("BT-117", "BT-116", "BT-119", "BG-23"),
    ),
    "BR-CO-18": RuleText(
        de=(
            "Die Rechnung enthält keine Umsatzsteueraufschlüsselung (BG-23). Bitte für jede "
            "vorkommende Kombination aus Umsatzsteuerkategorie und Steuersatz eine Aufschlüsselung "
            "angeben."
        ),
        en=(
            "The invoice has no VAT breakdown (BG-23). Add one breakdown for each combination of "
            "VAT category and rate that occurs."
        ),
        terms=("BG-23",),
    ),
    "BR-CO-19": RuleText(
        de=(
            "Ein Rechnungszeitraum (BG-14) ist angegeben, aber ohne Anfangs- (BT-73) und Enddatum "
            "(BT-74). Bitte mindestens eines der Daten angeben oder die Gruppe weglassen."
        ),
        en=(
            "An invoicing period (BG-14) is given, but without a start (BT-73) or end date "
            "(BT-74). Give at least one of the dates or leave the group out."
        ),
        terms=("BG-14", "BT-73", "BT-74"),
    ),
    "BR-CO-20": RuleText(
        de=(
            "Ein Zeitraum für eine Rechnungsposition (BG-26) ist angegeben, aber ohne Anfangs- "
            "(BT-134) und Enddatum (BT-135). Bitte mindestens eines der Daten angeben oder die "
            "Gruppe weglassen."
        ),
        en=(
            "An invoice line period (BG-26) is given, but without a start (BT-134) or end date "
            "(BT-135). Give at least one of the dates or leave the group out."
        ),
        terms=("BG-26", "BT-134", "BT-135"),
    ),
    "BR-CO-21": RuleText(
        de=(
            "Ein Nachlass auf Dokumentenebene (BG-20) nennt keinen Grund: weder als Text (BT-97) "
            "noch als Code (BT-98). Bitte mindestens eines davon angeben."
        ),
        en=(
            "A document level allowance (BG-20) states no reason, neither as text (BT-97) nor as "
            "code (BT-98). Give at least one of them."
        ),
        terms=("BG-20", "BT-97", "BT-98"),
    ),
    "BR-CO-22": RuleText(
        de=(
            "Ein Zuschlag auf Dokumentenebene (BG-21) nennt keinen Grund: weder als Text (BT-104) "
            "noch als Code (BT-105). Bitte mindestens eines davon angeben."
        ),
        en=(
            "A document level charge (BG-21) states no reason, neither as text (BT-104) nor as "
            "code (BT-105). Give at least one of them."
        ),
        terms=("BG-21", "BT-104", "BT-105"),
    ),
    "BR-CO-23": RuleText(
        de=(
            "Ein Nachlass auf Positionsebene (BG-27) nennt keinen Grund: weder als Text (BT-139) "
            "noch als Code (BT-140). Bitte mindestens eines davon angeben."
        ),
        en=(
            "An invoice line allowance (BG-27) states no reason, neither as text (BT-139) nor as "
            "code (BT-140). Give at least one of them."
        ),
        terms=("BG-27", "BT-139", "BT-140"),
    ),
    "BR-CO-24": RuleText(
        de=(
            "Ein Zuschlag auf Positionsebene (BG-28) nennt keinen Grund: weder als Text (BT-144) "
            "noch als Code (BT-145). Bitte mindestens eines davon angeben."
        ),
        en=(
            "An invoice line charge (BG-28) states no reason, neither as text (BT-144) nor as code "
            "(BT-145). Give at least one of them."
        ),
        terms=("BG-28", "BT-144", "BT-145"),
    ),
    "BR-CO-25": RuleText(
        de=(
            "Es ist ein Betrag zu zahlen (BT-115 größer als 0), aber weder ein Fälligkeitsdatum "
            "(BT-9) noch Zahlungsbedingungen (BT-20) sind angegeben. Bitte mindestens eines davon "
            "ergänzen."
        ),
        en=(
            "An amount is due (BT-115 greater than 0), but neither a payment due date (BT-9) nor "
            "payment terms (BT-20) are given. Add at least one of them."
        ),
        terms=("BT-115", "BT-9", "BT-20"),
    ),
    "BR-CO-26": RuleText(
        de=(
            "Der Verkäufer ist nicht maschinell identifizierbar: Es fehlen Kennung des Verkäufers "
            "(BT-29), Registernummer (BT-30) und Umsatzsteuer-Identifikationsnummer (BT-31). Bitte "
            "mindestens eine dieser Angaben machen, zum Beispiel die USt-IdNr. oder die vom Käufer "
            "vergebene Lieferantennummer. Die Steuernummer (BT-32) allein genügt nicht."
        ),
        en=(
            "The seller cannot be identified automatically: seller identifier (BT-29), legal "
            "registration identifier (BT-30) and VAT identifier (BT-31) are all missing. Give at "
            "least one of them, for example the VAT number or the supplier number the buyer "
            "assigned. The tax number (BT-32) alone is not enough."
        ),
        terms=("BT-29", "BT-30", "BT-31", "BG-4"),
    ),
    "BR-CO-27": RuleText(
        de=(
            "Das Zahlungskonto (BT-84) muss genau einmal angegeben sein: entweder als IBAN oder "
            "als sonstige Kontokennung, nicht beides und nicht keines. Bitte eine der beiden "
            "Angaben machen, bei Konten im SEPA-Raum die IBAN."
        ),
        en=(
            "The payment account (BT-84) must be given exactly once: either as IBAN or as another "
            "account identifier, not both and not neither. Give one of them, the IBAN for accounts "
            "in the SEPA area."
        ),
        terms=("BT-84", "BG-17"),
    ),
    # --- BR-CL -----------------------------------------------------------------------------------
    "BR-CL-01": RuleText(
        de=(
            "Der Code für den Rechnungstyp (BT-3) steht nicht in der zulässigen Liste (UNTDID "
            "1001). Übliche Werte: 380 Rechnung, 381 Gutschrift, 384 Rechnungskorrektur, 326 "
            "Teilrechnung, 389 Gutschriftsverfahren (Eigenabrechnung), 875/876/877 Abschlags-, "
            "Teilschluss- und Schlussrechnung im Bauwesen."
        ),
        en=(
            "The invoice type code (BT-3) is not in the allowed list (UNTDID 1001). Common values: "
            "380 invoice, 381 credit note, 384 corrected invoice, 326 partial invoice, 389 "
            "self-billed invoice, 875/876/877 construction invoices."
        ),
        terms=("BT-3",),
    ),
    "BR-CL-03": RuleText(
        de=(
            "Die Währungsangabe (Attribut currencyID) an einem Betrag ist kein gültiger "
            "ISO-4217-Code. Bitte den dreistelligen Code verwenden, in der Regel den der "
            "Rechnungswährung (BT-5) oder der Buchungswährung (BT-6), zum Beispiel „EUR“."
        ),
        en=(
            "The currency (currencyID attribute) on an amount is not a valid ISO 4217 code. Use "
            "the three-letter code, normally that of the invoice currency (BT-5) or of the VAT "
            "accounting currency (BT-6), for example 'EUR'."
        ),
        terms=("BT-5", "BT-6"),
    ),
    "BR-CL-04": RuleText(
        de=(
            "Der Code für die Rechnungswährung (BT-5) ist kein gültiger ISO-4217-Code. Bitte den "
            "dreistelligen Code verwenden, zum Beispiel „EUR“."
        ),
        en=(
            "The invoice currency code (BT-5) is not a valid ISO 4217 code. Use the three-letter "
            "code, for example 'EUR'."
        ),
        terms=("BT-5",),
    ),
    "BR-CL-05": RuleText(
        de=(
            "Der Code für die Umsatzsteuer-Buchungswährung (BT-6) ist kein gültiger ISO-4217-Code. "
            "Bitte den dreistelligen Code verwenden."
        ),
        en=(
            "The VAT accounting currency code (BT-6) is not a valid ISO 4217 code. Use the "
            "three-letter code."
        ),
        terms=("BT-6",),
    ),
    "BR-CL-06": RuleText(
        de=(
            "Der Code für das Abrechnungsdatum der Umsatzsteuer (BT-8) ist nicht zulässig. Erlaubt "
            "sind in UBL 3, 35 und 432, in CII 5, 29 und 72 (Rechnungsdatum, Lieferdatum, "
            "Zahlungsdatum)."
        ),
        en=(
            "The value added tax point date code (BT-8) is not allowed. UBL allows 3, 35 and 432, "
            "CII allows 5, 29 and 72 (invoice date, delivery date, payment date)."
        ),
        terms=("BT-8",),
    ),
    "BR-CL-07": RuleText(
        de=(
            "Das Schema der Objektkennung (BT-18) ist kein Code aus der Liste UNTDID 1153. Bitte "
            "einen Code aus dieser Liste verwenden oder das Schema weglassen."
        ),
        en=(
            "The scheme of the invoiced object identifier (BT-18) is not a UNTDID 1153 code. Use a "
            "code from that list or leave the scheme out."
        ),
        terms=("BT-18",),
    ),
    "BR-CL-08": RuleText(
        de=(
            "Der Betreff-Code einer Rechnungsbemerkung (BT-21) steht nicht in der Liste UNTDID "
            "4451. Bitte einen Code aus dieser Liste verwenden (zum Beispiel AAI für allgemeine "
            "Informationen) oder den Code weglassen."
        ),
        en=(
            "The invoice note subject code (BT-21) is not in the UNTDID 4451 list. Use a code from "
            "that list (for example AAI for general information) or leave the code out."
        ),
        terms=("BT-21", "BG-1"),
    ),
    "BR-CL-10": RuleText(
        de=(
            "Das Schema einer Kennung (Attribut schemeID, etwa bei BT-29, BT-46 oder BT-60) steht "
            "nicht in der ISO-6523-ICD-Liste. Bitte einen gültigen Code verwenden (zum Beispiel "
            "0088 für GLN) oder das Attribut weglassen, wenn die Kennung keinem Schema folgt."
        ),
        en=(
            "The scheme of an identifier (schemeID attribute, e.g. on BT-29, BT-46 or BT-60) is "
            "not in the ISO 6523 ICD list. Use a valid code (for example 0088 for GLN) or leave "
            "the attribute out if the identifier follows no scheme."
        ),
        terms=("BT-29", "BT-46", "BT-60"),
    ),
    "BR-CL-11": RuleText(
        de=(
            "Das Schema einer Registernummer (BT-30, BT-47 oder BT-61) steht nicht in der "
            "ISO-6523-ICD-Liste. Bitte einen gültigen Code verwenden oder das Attribut weglassen."
        ),
        en=(
            "The scheme of a legal registration identifier (BT-30, BT-47 or BT-61) is not in the "
            "ISO 6523 ICD list. Use a valid code or leave the attribute out."
        ),
        terms=("BT-30", "BT-47", "BT-61"),
    ),
    "BR-CL-13": RuleText(
        de=(
            "Das Schema der Artikelklassifizierung (BT-158) ist kein Code aus der Liste UNTDID "
            "7143. Bitte einen Code aus dieser Liste verwenden."
        ),
        en=(
            "The scheme of the item classification identifier (BT-158) is not a UNTDID 7143 code. "
            "Use a code from that list."
        ),
        terms=("BT-158",),
    ),
    "BR-CL-14": RuleText(
        de=(
            "Ein Ländercode in einer Anschrift (BT-40, BT-55, BT-69 oder BT-80) ist kein gültiger "
            "Code nach ISO 3166-1. Bitte den zweistelligen Code in Großbuchstaben verwenden, zum "
            "Beispiel „DE“."
        ),
        en=(
            "A country code in an address (BT-40, BT-55, BT-69 or BT-80) is not a valid ISO 3166-1 "
            "code. Use the two-letter upper-case code, for example 'DE'."
        ),
        terms=("BT-40", "BT-55", "BT-69", "BT-80"),
    ),
    "BR-CL-15": RuleText(
        de=(
            "Das Ursprungsland eines Artikels (BT-159) ist kein gültiger Code nach ISO 3166-1. "
            "Bitte den zweistelligen Code verwenden."
        ),
        en=(
            "The item country of origin (BT-159) is not a valid ISO 3166-1 code. Use the "
            "two-letter code."
        ),
        terms=("BT-159",),
    ),
    "BR-CL-16": RuleText(
        de=(
            "Der Code für die Zahlungsart (BT-81) steht nicht in der Liste UNTDID 4461. Übliche "
            "Werte: 30 Überweisung, 58 SEPA-Überweisung, 59 SEPA-Lastschrift, 48 Kartenzahlung, 10 "
            "Barzahlung."
        ),
        en=(
            "The payment means type code (BT-81) is not in the UNTDID 4461 list. Common values: 30 "
            "credit transfer, 58 SEPA credit transfer, 59 SEPA direct debit, 48 card payment, 10 "
            "cash."
        ),
        terms=("BT-81",),
    ),
    "BR-CL-17": RuleText(
        de=(
            "Ein Code der Umsatzsteuerkategorie (BT-95, BT-102, BT-118 oder BT-151) ist nicht "
            "zulässig. Erlaubt sind S, Z, E, AE, K, G, O, L, M und B. Bitte den passenden Code "
            "verwenden, zum Beispiel S für den Normalsatz."
        ),
        en=(
            "A VAT category code (BT-95, BT-102, BT-118 or BT-151) is not allowed. Permitted are "
            "S, Z, E, AE, K, G, O, L, M and B. Use the right code, for example S for the standard "
            "rate."
        ),
        terms=("BT-95", "BT-102", "BT-118", "BT-151"),
    ),
    "BR-CL-18": RuleText(
        de=(
            "Ein Code der Umsatzsteuerkategorie (BT-95, BT-102, BT-118 oder BT-151) ist nicht "
            "zulässig. Erlaubt sind S, Z, E, AE, K, G, O, L, M und B. Bitte den passenden Code "
            "verwenden, zum Beispiel S für den Normalsatz."
        ),
        en=(
            "A VAT category code (BT-95, BT-102, BT-118 or BT-151) is not allowed. Permitted are "
            "S, Z, E, AE, K, G, O, L, M and B. Use the right code, for example S for the standard "
            "rate."
        ),
        terms=("BT-95", "BT-102", "BT-118", "BT-151"),
    ),
    "BR-CL-19": RuleText(
        de=(
            "Der Code für den Grund eines Nachlasses (BT-98 oder BT-140) steht nicht in der Liste "
            "UNTDID 5189. Bitte einen Code aus dieser Liste verwenden (zum Beispiel 95 für Rabatt) "
            "oder nur den Grund als Text angeben."
        ),
        en=(
            "An allowance reason code (BT-98 or BT-140) is not in the UNTDID 5189 list. Use a code "
            "from that list (for example 95 for discount) or give the reason as text only."
        ),
        terms=("BT-98", "BT-140"),
    ),
    "BR-CL-20": RuleText(
        de=(
            "Der Code für den Grund eines Zuschlags (BT-105 oder BT-145) steht nicht in der Liste "
            "UNTDID 7161. Bitte einen Code aus dieser Liste verwenden oder nur den Grund als Text "
            "angeben."
        ),
        en=(
            "A charge reason code (BT-105 or BT-145) is not in the UNTDID 7161 list. Use a code "
            "from that list or give the reason as text only."
        ),
        terms=("BT-105", "BT-145"),
    ),
    "BR-CL-21": RuleText(
        de=(
            "Das Schema der Standardkennung eines Artikels (BT-157) steht nicht in der "
            "ISO-6523-ICD-Liste. Bitte einen gültigen Code verwenden, für eine GTIN „0160“."
        ),
        en=(
            "The scheme of the item standard identifier (BT-157) is not in the ISO 6523 ICD list. "
            "Use a valid code, '0160' for a GTIN."
        ),
        terms=("BT-157",),
    ),
    "BR-CL-22": RuleText(
        de=(
            "Der Code für den Grund der Umsatzsteuerbefreiung (BT-121) steht nicht in der "
            "VATEX-Liste. Bitte einen VATEX-Code verwenden, zum Beispiel „VATEX-EU-AE“ für Reverse "
            "Charge oder „VATEX-EU-IC“ für innergemeinschaftliche Lieferungen."
        ),
        en=(
            "The VAT exemption reason code (BT-121) is not in the VATEX list. Use a VATEX code, "
            "for example 'VATEX-EU-AE' for reverse charge or 'VATEX-EU-IC' for intra-community "
            "supply."
        ),
        terms=("BT-121",),
    ),
    "BR-CL-23": RuleText(
        de=(
            "Eine Mengeneinheit (BT-130 oder BT-150) ist kein Code nach UN/ECE Empfehlung 20/21. "
            "Bitte einen gültigen Code verwenden, zum Beispiel H87 (Stück), C62 (Einheit), HUR "
            "(Stunde), DAY (Tag) oder KGM (Kilogramm); Texte wie „Stk“ sind nicht zulässig."
        ),
        en=(
            "A unit of measure (BT-130 or BT-150) is not a UN/ECE Recommendation 20/21 code. Use a "
            "valid code, for example H87 (piece), C62 (one), HUR (hour), DAY (day) or KGM "
            "(kilogram); free text such as 'pcs' is not allowed."
        ),
        terms=("BT-130", "BT-150"),
    ),
    "BR-CL-24": RuleText(
        de=(
            "Ein angehängtes Dokument (BT-125) hat einen nicht zulässigen Dateityp (Attribut "
            "mimeCode). Erlaubt sind PDF, PNG, JPEG, CSV, Excel (XLSX) und OpenDocument-Tabellen "
            "(ODS). Bitte die Anlage in eines dieser Formate umwandeln."
        ),
        en=(
            "An attached document (BT-125) has a file type (mimeCode attribute) that is not "
            "allowed. Permitted are PDF, PNG, JPEG, CSV, Excel (XLSX) and OpenDocument "
            "spreadsheets (ODS). Convert the attachment to one of these formats."
        ),
        terms=("BT-125", "BG-24"),
    ),
    "BR-CL-25": RuleText(
        de=(
            "Das Schema einer elektronischen Adresse (BT-34 oder BT-49) steht nicht in der "
            "EAS-Codeliste. Bitte einen gültigen Code verwenden, zum Beispiel „EM“ für E-Mail oder "
            "„0204“ für eine Leitweg-ID."
        ),
        en=(
            "The scheme of an electronic address (BT-34 or BT-49) is not in the EAS code list. Use "
            "a valid code, for example 'EM' for e-mail or '0204' for a Leitweg-ID."
        ),
        terms=("BT-34", "BT-49"),
    ),
    "BR-CL-26": RuleText(
        de=(
            "Das Schema der Kennung des Lieferorts (BT-71) steht nicht in der ISO-6523-ICD-Liste. "
            "Bitte einen gültigen Code verwenden (zum Beispiel 0088 für GLN) oder das Attribut "
            "weglassen."
        ),
        en=(
            "The scheme of the deliver-to location identifier (BT-71) is not in the ISO 6523 ICD "
            "list. Use a valid code (for example 0088 for GLN) or leave the attribute out."
        ),
        terms=("BT-71",),
    ),
    # --- BR-DEC ----------------------------------------------------------------------------------
    "BR-DEC-01": RuleText(
        de=(
            "Der Betrag „Betrag des Nachlasses auf Dokumentenebene“ (BT-92) hat mehr als zwei "
            "Nachkommastellen. Bitte auf zwei Nachkommastellen (Cent) runden und die davon "
            "abhängigen Summen anpassen."
        ),
        en=(
            "The amount 'Document level allowance amount' (BT-92) has more than two decimals. "
            "Round it to two decimals (cents) and adjust the totals that depend on it."
        ),
        terms=("BT-92",),
    ),
    "BR-DEC-02": RuleText(
        de=(
            "Der Betrag „Grundbetrag des Nachlasses auf Dokumentenebene“ (BT-93) hat mehr als zwei "
            "Nachkommastellen. Bitte auf zwei Nachkommastellen (Cent) runden und die davon "
            "abhängigen Summen anpassen."
        ),
        en=(
            "The amount 'Document level allowance base amount' (BT-93) has more than two decimals. "
            "Round it to two decimals (cents) and adjust the totals that depend on it."
        ),
        terms=("BT-93",),
    ),
    "BR-DEC-05": RuleText(
        de=(
            "Der Betrag „Betrag des Zuschlags auf Dokumentenebene“ (BT-99) hat mehr als zwei "
            "Nachkommastellen. Bitte auf zwei Nachkommastellen (Cent) runden und die davon "
            "abhängigen Summen anpassen."
        ),
        en=(
            "The amount 'Document level charge amount' (BT-99) has more than two decimals. Round "
            "it to two decimals (cents) and adjust the totals that depend on it."
        ),
        terms=("BT-99",),
    ),
    "BR-DEC-06": RuleText(
        de=(
            "Der Betrag „Grundbetrag des Zuschlags auf Dokumentenebene“ (BT-100) hat mehr als zwei "
            "Nachkommastellen. Bitte auf zwei Nachkommastellen (Cent) runden und die davon "
            "abhängigen Summen anpassen."
        ),
        en=(
            "The amount 'Document level charge base amount' (BT-100) has more than two decimals. "
            "Round it to two decimals (cents) and adjust the totals that depend on it."
        ),
        terms=("BT-100",),
    ),
    "BR-DEC-09": RuleText(
        de=(
            "Der Betrag „Summe der Nettobeträge aller Rechnungspositionen“ (BT-106) hat mehr als "
            "zwei Nachkommastellen. Bitte auf zwei Nachkommastellen (Cent) runden und die davon "
            "abhängigen Summen anpassen."
        ),
        en=(
            "The amount 'Sum of Invoice line net amount' (BT-106) has more than two decimals. "
            "Round it to two decimals (cents) and adjust the totals that depend on it."
        ),
        terms=("BT-106",),
    ),
    "BR-DEC-10": RuleText(
        de=(
            "Der Betrag „Summe der Nachlässe auf Dokumentenebene“ (BT-107) hat mehr als zwei "
            "Nachkommastellen. Bitte auf zwei Nachkommastellen (Cent) runden und die davon "
            "abhängigen Summen anpassen."
        ),
        en=(
            "The amount 'Sum of allowances on document level' (BT-107) has more than two decimals. "
            "Round it to two decimals (cents) and adjust the totals that depend on it."
        ),
        terms=("BT-107",),
    ),
    "BR-DEC-11": RuleText(
        de=(
            "Der Betrag „Summe der Zuschläge auf Dokumentenebene“ (BT-108) hat mehr als zwei "
            "Nachkommastellen. Bitte auf zwei Nachkommastellen (Cent) runden und die davon "
            "abhängigen Summen anpassen."
        ),
        en=(
            "The amount 'Sum of charges on document level' (BT-108) has more than two decimals. "
            "Round it to two decimals (cents) and adjust the totals that depend on it."
        ),
        terms=("BT-108",),
    ),
    "BR-DEC-12": RuleText(
        de=(
            "Der Betrag „Gesamtbetrag der Rechnung ohne Umsatzsteuer“ (BT-109) hat mehr als zwei "
            "Nachkommastellen. Bitte auf zwei Nachkommastellen (Cent) runden und die davon "
            "abhängigen Summen anpassen."
        ),
        en=(
            "The amount 'Invoice total amount without VAT' (BT-109) has more than two decimals. "
            "Round it to two decimals (cents) and adjust the totals that depend on it."
        ),
        terms=("BT-109",),
    ),
    "BR-DEC-13": RuleText(
        de=(
            "Der Betrag „Gesamtbetrag der Umsatzsteuer“ (BT-110) hat mehr als zwei "
            "Nachkommastellen. Bitte auf zwei Nachkommastellen (Cent) runden und die davon "
            "abhängigen Summen anpassen."
        ),
        en=(
            "The amount 'Invoice total VAT amount' (BT-110) has more than two decimals. Round it "
            "to two decimals (cents) and adjust the totals that depend on it."
        ),
        terms=("BT-110",),
    ),
    "BR-DEC-14": RuleText(
        de=(
            "Der Betrag „Gesamtbetrag der Rechnung einschließlich Umsatzsteuer“ (BT-112) hat mehr "
            "als zwei Nachkommastellen. Bitte auf zwei Nachkommastellen (Cent) runden und die "
            "davon abhängigen Summen anpassen."
        ),
        en=(
            "The amount 'Invoice total amount with VAT' (BT-112) has more than two decimals. Round "
            "it to two decimals (cents) and adjust the totals that depend on it."
        ),
        terms=("BT-112",),
    ),
    "BR-DEC-15": RuleText(
        de=(
            "Der Betrag „Gesamtbetrag der Umsatzsteuer in Buchungswährung“ (BT-111) hat mehr als "
            "zwei Nachkommastellen. Bitte auf zwei Nachkommastellen (Cent) runden und die davon "
            "abhängigen Summen anpassen."
        ),
        en=(
            "The amount 'Invoice total VAT amount in accounting currency' (BT-111) has more than "
            "two decimals. Round it to two decimals (cents) and adjust the totals that depend on "
            "it."
        ),
        terms=("BT-111",),
    ),
    "BR-DEC-16": RuleText(
        de=(
            "Der Betrag „Bereits gezahlter Betrag“ (BT-113) hat mehr als zwei Nachkommastellen. "
            "Bitte auf zwei Nachkommastellen (Cent) runden und die davon abhängigen Summen "
            "anpassen."
        ),
        en=(
            "The amount 'Paid amount' (BT-113) has more than two decimals. Round it to two "
            "decimals (cents) and adjust the totals that depend on it."
        ),
        terms=("BT-113",),
    ),
    "BR-DEC-17": RuleText(
        de=(
            "Der Betrag „Rundungsbetrag“ (BT-114) hat mehr als zwei Nachkommastellen. Bitte auf "
            "zwei Nachkommastellen (Cent) runden und die davon abhängigen Summen anpassen."
        ),
        en=(
            "The amount 'Rounding amount' (BT-114) has more than two decimals. Round it to two "
            "decimals (cents) and adjust the totals that depend on it."
        ),
        terms=("BT-114",),
    ),
    "BR-DEC-18": RuleText(
        de=(
            "Der Betrag „Fälliger Zahlungsbetrag“ (BT-115) hat mehr als zwei Nachkommastellen. "
            "Bitte auf zwei Nachkommastellen (Cent) runden und die davon abhängigen Summen "
            "anpassen."
        ),
        en=(
            "The amount 'Amount due for payment' (BT-115) has more than two decimals. Round it to "
            "two decimals (cents) and adjust the totals that depend on it."
        ),
        terms=("BT-115",),
    ),
    "BR-DEC-19": RuleText(
        de=(
            "Der Betrag „Steuerbemessungsgrundlage der Umsatzsteuerkategorie“ (BT-116) hat mehr "
            "als zwei Nachkommastellen. Bitte auf zwei Nachkommastellen (Cent) runden und die "
            "davon abhängigen Summen anpassen."
        ),
        en=(
            "The amount 'VAT category taxable amount' (BT-116) has more than two decimals. Round "
            "it to two decimals (cents) and adjust the totals that depend on it."
        ),
        terms=("BT-116",),
    ),
    "BR-DEC-20": RuleText(
        de=(
            "Der Betrag „Umsatzsteuerbetrag der Umsatzsteuerkategorie“ (BT-117) hat mehr als zwei "
            "Nachkommastellen. Bitte auf zwei Nachkommastellen (Cent) runden und die davon "
            "abhängigen Summen anpassen."
        ),
        en=(
            "The amount 'VAT category tax amount' (BT-117) has more than two decimals. Round it to "
            "two decimals (cents) and adjust the totals that depend on it."
        ),
        terms=("BT-117",),
    ),
    "BR-DEC-23": RuleText(
        de=(
            "Der Betrag „Nettobetrag der Rechnungsposition“ (BT-131) hat mehr als zwei "
            "Nachkommastellen. Bitte auf zwei Nachkommastellen (Cent) runden und die davon "
            "abhängigen Summen anpassen."
        ),
        en=(
            "The amount 'Invoice line net amount' (BT-131) has more than two decimals. Round it to "
            "two decimals (cents) and adjust the totals that depend on it."
        ),
        terms=("BT-131",),
    ),
    "BR-DEC-24": RuleText(
        de=(
            "Der Betrag „Betrag des Nachlasses auf Ebene der Rechnungsposition“ (BT-136) hat mehr "
            "als zwei Nachkommastellen. Bitte auf zwei Nachkommastellen (Cent) runden und die "
            "davon abhängigen Summen anpassen."
        ),
        en=(
            "The amount 'Invoice line allowance amount' (BT-136) has more than two decimals. Round "
            "it to two decimals (cents) and adjust the totals that depend on it."
        ),
        terms=("BT-136",),
    ),
    "BR-DEC-25": RuleText(
        de=(
            "Der Betrag „Grundbetrag des Nachlasses auf Ebene der Rechnungsposition“ (BT-137) hat "
            "mehr als zwei Nachkommastellen. Bitte auf zwei Nachkommastellen (Cent) runden und die "
            "davon abhängigen Summen anpassen."
        ),
        en=(
            "The amount 'Invoice line allowance base amount' (BT-137) has more than two decimals. "
            "Round it to two decimals (cents) and adjust the totals that depend on it."
        ),
        terms=("BT-137",),
    ),
    "BR-DEC-27": RuleText(
        de=(
            "Der Betrag „Betrag des Zuschlags auf Ebene der Rechnungsposition“ (BT-141) hat mehr "
            "als zwei Nachkommastellen. Bitte auf zwei Nachkommastellen (Cent) runden und die "
            "davon abhängigen Summen anpassen."
        ),
        en=(
            "The amount 'Invoice line charge amount' (BT-141) has more than two decimals. Round it "
            "to two decimals (cents) and adjust the totals that depend on it."
        ),
        terms=("BT-141",),
    ),
    "BR-DEC-28": RuleText(
        de=(
            "Der Betrag „Grundbetrag des Zuschlags auf Ebene der Rechnungsposition“ (BT-142) hat "
            "mehr als zwei Nachkommastellen. Bitte auf zwei Nachkommastellen (Cent) runden und die "
            "davon abhängigen Summen anpassen."
        ),
        en=(
            "The amount 'Invoice line charge base amount' (BT-142) has more than two decimals. "
            "Round it to two decimals (cents) and adjust the totals that depend on it."
        ),
        terms=("BT-142",),
    ),
    # --- BR-S ------------------------------------------------------------------------------------
    "BR-S-01": RuleText(
        de=(
            "Die Rechnung verwendet bei einer Position (BT-151), einem Nachlass (BT-95) oder einem "
            "Zuschlag (BT-102) die Umsatzsteuerkategorie S (Normalsatz), aber die "
            "Umsatzsteueraufschlüsselung (BG-23) enthält keine Gruppe mit dem Code S (BT-118). "
            "Bitte für jeden verwendeten Steuersatz dieser Kategorie eine Aufschlüsselung "
            "ergänzen."
        ),
        en=(
            "The invoice uses VAT category S (standard rate) on a line (BT-151), allowance (BT-95) "
            "or charge (BT-102), but the VAT breakdown (BG-23) has no group with code S (BT-118). "
            "Add a breakdown for each rate of this category that is used."
        ),
        terms=("BT-151", "BT-95", "BT-102", "BG-23", "BT-118"),
    ),
    "BR-S-02": RuleText(
        de=(
            "Die Rechnung enthält eine Rechnungsposition, deren Umsatzsteuerkategorie (BT-151) S "
            "(Normalsatz) ist. Dann muss der Verkäufer seine Umsatzsteuer-Identifikationsnummer "
            "(BT-31) oder Steuernummer (BT-32) angeben, oder es muss die USt-IdNr. eines "
            "Steuervertreters (BT-63) vorhanden sein. Bitte eine dieser Angaben ergänzen."
        ),
        en=(
            "The invoice has an invoice line whose VAT category (BT-151) is S (standard rate). The "
            "seller then has to give its VAT identifier (BT-31) or tax registration identifier "
            "(BT-32), or a tax representative's VAT identifier (BT-63) must be present. Add one of "
            "them."
        ),
        terms=("BT-151", "BT-31", "BT-32", "BT-63"),
    ),
    "BR-S-03": RuleText(
        de=(
            "Die Rechnung enthält einen Nachlass auf Dokumentenebene, dessen Umsatzsteuerkategorie "
            "(BT-95) S (Normalsatz) ist. Dann muss der Verkäufer seine "
            "Umsatzsteuer-Identifikationsnummer (BT-31) oder Steuernummer (BT-32) angeben, oder es "
            "muss die USt-IdNr. eines Steuervertreters (BT-63) vorhanden sein. Bitte eine dieser "
            "Angaben ergänzen."
        ),
        en=(
            "The invoice has a document level allowance whose VAT category (BT-95) is S (standard "
            "rate). The seller then has to give its VAT identifier (BT-31) or tax registration "
            "identifier (BT-32), or a tax representative's VAT identifier (BT-63) must be present. "
            "Add one of them."
        ),
        terms=("BT-95", "BT-31", "BT-32", "BT-63"),
    ),
    "BR-S-04": RuleText(
        de=(
            "Die Rechnung enthält einen Zuschlag auf Dokumentenebene, dessen Umsatzsteuerkategorie "
            "(BT-102) S (Normalsatz) ist. Dann muss der Verkäufer seine "
            "Umsatzsteuer-Identifikationsnummer (BT-31) oder Steuernummer (BT-32) angeben, oder es "
            "muss die USt-IdNr. eines Steuervertreters (BT-63) vorhanden sein. Bitte eine dieser "
            "Angaben ergänzen."
        ),
        en=(
            "The invoice has a document level charge whose VAT category (BT-102) is S (standard "
            "rate). The seller then has to give its VAT identifier (BT-31) or tax registration "
            "identifier (BT-32), or a tax representative's VAT identifier (BT-63) must be present. "
            "Add one of them."
        ),
        terms=("BT-102", "BT-31", "BT-32", "BT-63"),
    ),
    "BR-S-05": RuleText(
        de=(
            "Bei einer Rechnungsposition, deren Umsatzsteuerkategorie (BT-151) S (Normalsatz) ist, "
            "muss der Umsatzsteuersatz (BT-152) größer als 0 sein. Bitte den geltenden Satz "
            "angeben (in Deutschland 19 oder 7); ist der Umsatz ohne Steuer, die passende "
            "Kategorie verwenden, zum Beispiel Z, E oder AE."
        ),
        en=(
            "For an invoice line whose VAT category (BT-151) is S (standard rate), the VAT rate "
            "(BT-152) must be greater than 0. Give the applicable rate (19 or 7 in Germany); if no "
            "tax applies, use the fitting category, e.g. Z, E or AE."
        ),
        terms=("BT-151", "BT-152"),
    ),
    "BR-S-06": RuleText(
        de=(
            "Bei einem Nachlass auf Dokumentenebene, dessen Umsatzsteuerkategorie (BT-95) S "
            "(Normalsatz) ist, muss der Umsatzsteuersatz (BT-96) größer als 0 sein. Bitte den "
            "geltenden Satz angeben (in Deutschland 19 oder 7); ist der Umsatz ohne Steuer, die "
            "passende Kategorie verwenden, zum Beispiel Z, E oder AE."
        ),
        en=(
            "For a document level allowance whose VAT category (BT-95) is S (standard rate), the "
            "VAT rate (BT-96) must be greater than 0. Give the applicable rate (19 or 7 in "
            "Germany); if no tax applies, use the fitting category, e.g. Z, E or AE."
        ),
        terms=("BT-95", "BT-96"),
    ),
    "BR-S-07": RuleText(
        de=(
            "Bei einem Zuschlag auf Dokumentenebene, dessen Umsatzsteuerkategorie (BT-102) S "
            "(Normalsatz) ist, muss der Umsatzsteuersatz (BT-103) größer als 0 sein. Bitte den "
            "geltenden Satz angeben (in Deutschland 19 oder 7); ist der Umsatz ohne Steuer, die "
            "passende Kategorie verwenden, zum Beispiel Z, E oder AE."
        ),
        en=(
            "For a document level charge whose VAT category (BT-102) is S (standard rate), the VAT "
            "rate (BT-103) must be greater than 0. Give the applicable rate (19 or 7 in Germany); "
            "if no tax applies, use the fitting category, e.g. Z, E or AE."
        ),
        terms=("BT-102", "BT-103"),
    ),
    "BR-S-08": RuleText(
        de=(
            "In der Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie S (Normalsatz) "
            "stimmt die Bemessungsgrundlage (BT-116) für einen Steuersatz (BT-119) nicht. Sie muss "
            "die Summe der Positionsnettobeträge (BT-131) plus Zuschläge (BT-99) minus Nachlässe "
            "(BT-92) auf Dokumentenebene sein, jeweils nur derjenigen mit dieser Kategorie und "
            "genau diesem Satz (BT-152, BT-103, BT-96). Bitte je Steuersatz neu summieren."
        ),
        en=(
            "In the VAT breakdown (BG-23) for VAT category S (standard rate) the taxable amount "
            "(BT-116) of a rate (BT-119) is wrong. It must be the sum of line net amounts (BT-131) "
            "plus document level charges (BT-99) minus document level allowances (BT-92), counting "
            "only those with this category and exactly this rate (BT-152, BT-103, BT-96). "
            "Recompute the total per rate."
        ),
        terms=(
            "BG-23",
            "BT-116",
            "BT-119",
            "BT-131",
            "BT-99",
            "BT-92",
            "BT-152",
            "BT-103",
            "BT-96",
        ),
    ),
    "BR-S-09": RuleText(
        de=(
            "In der Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie S (Normalsatz) "
            "stimmt der Steuerbetrag (BT-117) nicht: er muss Bemessungsgrundlage (BT-116) mal "
            "Steuersatz (BT-119) geteilt durch 100 sein. Bitte neu berechnen und auf zwei "
            "Nachkommastellen runden."
        ),
        en=(
            "In the VAT breakdown (BG-23) for VAT category S (standard rate) the tax amount "
            "(BT-117) is wrong: it must be the taxable amount (BT-116) times the rate (BT-119) "
            "divided by 100. Recompute it and round to two decimals."
        ),
        terms=("BG-23", "BT-117", "BT-116", "BT-119"),
    ),
    "BR-S-10": RuleText(
        de=(
            "Die Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie S (Normalsatz) darf "
            "keinen Befreiungsgrund enthalten, weder als Code (BT-121) noch als Text (BT-120). "
            "Bitte den Befreiungsgrund entfernen oder, wenn der Umsatz tatsächlich befreit ist, "
            "die passende Kategorie verwenden (zum Beispiel E)."
        ),
        en=(
            "The VAT breakdown (BG-23) for VAT category S (standard rate) must not contain an "
            "exemption reason, neither as code (BT-121) nor as text (BT-120). Remove it or, if the "
            "supply really is exempt, use the fitting category (for example E)."
        ),
        terms=("BG-23", "BT-121", "BT-120"),
    ),
    # --- BR-Z ------------------------------------------------------------------------------------
    "BR-Z-01": RuleText(
        de=(
            "Die Rechnung verwendet bei einer Position (BT-151), einem Nachlass (BT-95) oder einem "
            "Zuschlag (BT-102) die Umsatzsteuerkategorie Z (Nullsatz), aber die "
            "Umsatzsteueraufschlüsselung (BG-23) enthält nicht genau eine Gruppe mit dem Code Z "
            "(BT-118). Bitte alle Beträge dieser Kategorie in genau einer Aufschlüsselung "
            "zusammenfassen."
        ),
        en=(
            "The invoice uses VAT category Z (zero rate) on a line (BT-151), allowance (BT-95) or "
            "charge (BT-102), but the VAT breakdown (BG-23) does not hold exactly one group with "
            "code Z (BT-118). Put all amounts of this category into exactly one breakdown."
        ),
        terms=("BT-151", "BT-95", "BT-102", "BG-23", "BT-118"),
    ),
    "BR-Z-02": RuleText(
        de=(
            "Die Rechnung enthält eine Rechnungsposition, deren Umsatzsteuerkategorie (BT-151) Z "
            "(Nullsatz) ist. Dann muss der Verkäufer seine Umsatzsteuer-Identifikationsnummer "
            "(BT-31) oder Steuernummer (BT-32) angeben, oder es muss die USt-IdNr. eines "
            "Steuervertreters (BT-63) vorhanden sein. Bitte eine dieser Angaben ergänzen."
        ),
        en=(
            "The invoice has an invoice line whose VAT category (BT-151) is Z (zero rate). The "
            "seller then has to give its VAT identifier (BT-31) or tax registration identifier "
            "(BT-32), or a tax representative's VAT identifier (BT-63) must be present. Add one of "
            "them."
        ),
        terms=("BT-151", "BT-31", "BT-32", "BT-63"),
    ),
    "BR-Z-03": RuleText(
        de=(
            "Die Rechnung enthält einen Nachlass auf Dokumentenebene, dessen Umsatzsteuerkategorie "
            "(BT-95) Z (Nullsatz) ist. Dann muss der Verkäufer seine "
            "Umsatzsteuer-Identifikationsnummer (BT-31) oder Steuernummer (BT-32) angeben, oder es "
            "muss die USt-IdNr. eines Steuervertreters (BT-63) vorhanden sein. Bitte eine dieser "
            "Angaben ergänzen."
        ),
        en=(
            "The invoice has a document level allowance whose VAT category (BT-95) is Z (zero "
            "rate). The seller then has to give its VAT identifier (BT-31) or tax registration "
            "identifier (BT-32), or a tax representative's VAT identifier (BT-63) must be present. "
            "Add one of them."
        ),
        terms=("BT-95", "BT-31", "BT-32", "BT-63"),
    ),
    "BR-Z-04": RuleText(
        de=(
            "Die Rechnung enthält einen Zuschlag auf Dokumentenebene, dessen Umsatzsteuerkategorie "
            "(BT-102) Z (Nullsatz) ist. Dann muss der Verkäufer seine "
            "Umsatzsteuer-Identifikationsnummer (BT-31) oder Steuernummer (BT-32) angeben, oder es "
            "muss die USt-IdNr. eines Steuervertreters (BT-63) vorhanden sein. Bitte eine dieser "
            "Angaben ergänzen."
        ),
        en=(
            "The invoice has a document level charge whose VAT category (BT-102) is Z (zero rate). "
            "The seller then has to give its VAT identifier (BT-31) or tax registration identifier "
            "(BT-32), or a tax representative's VAT identifier (BT-63) must be present. Add one of "
            "them."
        ),
        terms=("BT-102", "BT-31", "BT-32", "BT-63"),
    ),
    "BR-Z-05": RuleText(
        de=(
            "Bei einer Rechnungsposition, deren Umsatzsteuerkategorie (BT-151) Z (Nullsatz) ist, "
            "muss der Umsatzsteuersatz (BT-152) 0 sein. Bitte 0 eintragen; fällt tatsächlich "
            "Umsatzsteuer an, ist statt Z die Kategorie S zu verwenden."
        ),
        en=(
            "For an invoice line whose VAT category (BT-151) is Z (zero rate), the VAT rate "
            "(BT-152) must be 0. Enter 0; if VAT is actually charged, use category S instead of Z."
        ),
        terms=("BT-151", "BT-152"),
    ),
    "BR-Z-06": RuleText(
        de=(
            "Bei einem Nachlass auf Dokumentenebene, dessen Umsatzsteuerkategorie (BT-95) Z "
            "(Nullsatz) ist, muss der Umsatzsteuersatz (BT-96) 0 sein. Bitte 0 eintragen; fällt "
            "tatsächlich Umsatzsteuer an, ist statt Z die Kategorie S zu verwenden."
        ),
        en=(
            "For a document level allowance whose VAT category (BT-95) is Z (zero rate), the VAT "
            "rate (BT-96) must be 0. Enter 0; if VAT is actually charged, use category S instead "
            "of Z."
        ),
        terms=("BT-95", "BT-96"),
    ),
    "BR-Z-07": RuleText(
        de=(
            "Bei einem Zuschlag auf Dokumentenebene, dessen Umsatzsteuerkategorie (BT-102) Z "
            "(Nullsatz) ist, muss der Umsatzsteuersatz (BT-103) 0 sein. Bitte 0 eintragen; fällt "
            "tatsächlich Umsatzsteuer an, ist statt Z die Kategorie S zu verwenden."
        ),
        en=(
            "For a document level charge whose VAT category (BT-102) is Z (zero rate), the VAT "
            "rate (BT-103) must be 0. Enter 0; if VAT is actually charged, use category S instead "
            "of Z."
        ),
        terms=("BT-102", "BT-103"),
    ),
    "BR-Z-08": RuleText(
        de=(
            "In der Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie Z (Nullsatz) "
            "stimmt die Bemessungsgrundlage (BT-116) nicht. Sie muss die Summe der "
            "Positionsnettobeträge (BT-131) minus Nachlässe (BT-92) plus Zuschläge (BT-99) auf "
            "Dokumentenebene sein, jeweils nur derjenigen mit dieser Kategorie (BT-151, BT-95, "
            "BT-102). Bitte neu summieren."
        ),
        en=(
            "In the VAT breakdown (BG-23) for VAT category Z (zero rate) the taxable amount "
            "(BT-116) is wrong. It must be the sum of line net amounts (BT-131) minus document "
            "level allowances (BT-92) plus document level charges (BT-99), counting only those "
            "with this category (BT-151, BT-95, BT-102). Recompute the total."
        ),
        terms=("BG-23", "BT-116", "BT-131", "BT-92", "BT-99", "BT-151", "BT-95", "BT-102"),
    ),
    "BR-Z-09": RuleText(
        de=(
            "In der Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie Z (Nullsatz) "
            "muss der Steuerbetrag (BT-117) 0 sein, weil der Steuersatz 0 Prozent beträgt. Bitte 0 "
            "eintragen; soll die Rechnung doch Umsatzsteuer ausweisen, ist statt Z die Kategorie S "
            "zu verwenden."
        ),
        en=(
            "In the VAT breakdown (BG-23) for VAT category Z (zero rate) the tax amount (BT-117) "
            "must be 0, because the rate is 0 percent. Enter 0; if the invoice is meant to charge "
            "VAT after all, use category S instead of Z."
        ),
        terms=("BG-23", "BT-117"),
    ),
    "BR-Z-10": RuleText(
        de=(
            "Die Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie Z (Nullsatz) darf "
            "keinen Befreiungsgrund enthalten, weder als Code (BT-121) noch als Text (BT-120). "
            "Bitte den Befreiungsgrund entfernen oder, wenn der Umsatz tatsächlich befreit ist, "
            "die passende Kategorie verwenden (zum Beispiel E)."
        ),
        en=(
            "The VAT breakdown (BG-23) for VAT category Z (zero rate) must not contain an "
            "exemption reason, neither as code (BT-121) nor as text (BT-120). Remove it or, if the "
            "supply really is exempt, use the fitting category (for example E)."
        ),
        terms=("BG-23", "BT-121", "BT-120"),
    ),
    # --- BR-E ------------------------------------------------------------------------------------
    "BR-E-01": RuleText(
        de=(
            "Die Rechnung verwendet bei einer Position (BT-151), einem Nachlass (BT-95) oder einem "
            "Zuschlag (BT-102) die Umsatzsteuerkategorie E (steuerbefreit), aber die "
            "Umsatzsteueraufschlüsselung (BG-23) enthält nicht genau eine Gruppe mit dem Code E "
            "(BT-118). Bitte alle Beträge dieser Kategorie in genau einer Aufschlüsselung "
            "zusammenfassen."
        ),
        en=(
            "The invoice uses VAT category E (exempt from VAT) on a line (BT-151), allowance "
            "(BT-95) or charge (BT-102), but the VAT breakdown (BG-23) does not hold exactly one "
            "group with code E (BT-118). Put all amounts of this category into exactly one "
            "breakdown."
        ),
        terms=("BT-151", "BT-95", "BT-102", "BG-23", "BT-118"),
    ),
    "BR-E-02": RuleText(
        de=(
            "Die Rechnung enthält eine Rechnungsposition, deren Umsatzsteuerkategorie (BT-151) E "
            "(steuerbefreit) ist. Dann muss der Verkäufer seine Umsatzsteuer-Identifikationsnummer "
            "(BT-31) oder Steuernummer (BT-32) angeben, oder es muss die USt-IdNr. eines "
            "Steuervertreters (BT-63) vorhanden sein. Bitte eine dieser Angaben ergänzen."
        ),
        en=(
            "The invoice has an invoice line whose VAT category (BT-151) is E (exempt from VAT). "
            "The seller then has to give its VAT identifier (BT-31) or tax registration identifier "
            "(BT-32), or a tax representative's VAT identifier (BT-63) must be present. Add one of "
            "them."
        ),
        terms=("BT-151", "BT-31", "BT-32", "BT-63"),
    ),
    "BR-E-03": RuleText(
        de=(
            "Die Rechnung enthält einen Nachlass auf Dokumentenebene, dessen Umsatzsteuerkategorie "
            "(BT-95) E (steuerbefreit) ist. Dann muss der Verkäufer seine "
            "Umsatzsteuer-Identifikationsnummer (BT-31) oder Steuernummer (BT-32) angeben, oder es "
            "muss die USt-IdNr. eines Steuervertreters (BT-63) vorhanden sein. Bitte eine dieser "
            "Angaben ergänzen."
        ),
        en=(
            "The invoice has a document level allowance whose VAT category (BT-95) is E (exempt "
            "from VAT). The seller then has to give its VAT identifier (BT-31) or tax registration "
            "identifier (BT-32), or a tax representative's VAT identifier (BT-63) must be present. "
            "Add one of them."
        ),
        terms=("BT-95", "BT-31", "BT-32", "BT-63"),
    ),
    "BR-E-04": RuleText(
        de=(
            "Die Rechnung enthält einen Zuschlag auf Dokumentenebene, dessen Umsatzsteuerkategorie "
            "(BT-102) E (steuerbefreit) ist. Dann muss der Verkäufer seine "
            "Umsatzsteuer-Identifikationsnummer (BT-31) oder Steuernummer (BT-32) angeben, oder es "
            "muss die USt-IdNr. eines Steuervertreters (BT-63) vorhanden sein. Bitte eine dieser "
            "Angaben ergänzen."
        ),
        en=(
            "The invoice has a document level charge whose VAT category (BT-102) is E (exempt from "
            "VAT). The seller then has to give its VAT identifier (BT-31) or tax registration "
            "identifier (BT-32), or a tax representative's VAT identifier (BT-63) must be present. "
            "Add one of them."
        ),
        terms=("BT-102", "BT-31", "BT-32", "BT-63"),
    ),
    "BR-E-05": RuleText(
        de=(
            "Bei einer Rechnungsposition, deren Umsatzsteuerkategorie (BT-151) E (steuerbefreit) "
            "ist, muss der Umsatzsteuersatz (BT-152) 0 sein. Bitte 0 eintragen; fällt tatsächlich "
            "Umsatzsteuer an, ist statt E die Kategorie S zu verwenden."
        ),
        en=(
            "For an invoice line whose VAT category (BT-151) is E (exempt from VAT), the VAT rate "
            "(BT-152) must be 0. Enter 0; if VAT is actually charged, use category S instead of E."
        ),
        terms=("BT-151", "BT-152"),
    ),
    "BR-E-06": RuleText(
        de=(
            "Bei einem Nachlass auf Dokumentenebene, dessen Umsatzsteuerkategorie (BT-95) E "
            "(steuerbefreit) ist, muss der Umsatzsteuersatz (BT-96) 0 sein. Bitte 0 eintragen; "
            "fällt tatsächlich Umsatzsteuer an, ist statt E die Kategorie S zu verwenden."
        ),
        en=(
            "For a document level allowance whose VAT category (BT-95) is E (exempt from VAT), the "
            "VAT rate (BT-96) must be 0. Enter 0; if VAT is actually charged, use category S "
            "instead of E."
        ),
        terms=("BT-95", "BT-96"),
    ),
    "BR-E-07": RuleText(
        de=(
            "Bei einem Zuschlag auf Dokumentenebene, dessen Umsatzsteuerkategorie (BT-102) E "
            "(steuerbefreit) ist, muss der Umsatzsteuersatz (BT-103) 0 sein. Bitte 0 eintragen; "
            "fällt tatsächlich Umsatzsteuer an, ist statt E die Kategorie S zu verwenden."
        ),
        en=(
            "For a document level charge whose VAT category (BT-102) is E (exempt from VAT), the "
            "VAT rate (BT-103) must be 0. Enter 0; if VAT is actually charged, use category S "
            "instead of E."
        ),
        terms=("BT-102", "BT-103"),
    ),
    "BR-E-08": RuleText(
        de=(
            "In der Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie E "
            "(steuerbefreit) stimmt die Bemessungsgrundlage (BT-116) nicht. Sie muss die Summe der "
            "Positionsnettobeträge (BT-131) minus Nachlässe (BT-92) plus Zuschläge (BT-99) auf "
            "Dokumentenebene sein, jeweils nur derjenigen mit dieser Kategorie (BT-151, BT-95, "
            "BT-102). Bitte neu summieren."
        ),
        en=(
            "In the VAT breakdown (BG-23) for VAT category E (exempt from VAT) the taxable amount "
            "(BT-116) is wrong. It must be the sum of line net amounts (BT-131) minus document "
            "level allowances (BT-92) plus document level charges (BT-99), counting only those "
            "with this category (BT-151, BT-95, BT-102). Recompute the total."
        ),
        terms=("BG-23", "BT-116", "BT-131", "BT-92", "BT-99", "BT-151", "BT-95", "BT-102"),
    ),
    "BR-E-09": RuleText(
        de=(
            "In der Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie E "
            "(steuerbefreit) muss der Steuerbetrag (BT-117) 0 sein, weil der Umsatz steuerfrei "
            "ist. Bitte 0 eintragen; soll die Rechnung doch Umsatzsteuer ausweisen, ist statt E "
            "die Kategorie S zu verwenden."
        ),
        en=(
            "In the VAT breakdown (BG-23) for VAT category E (exempt from VAT) the tax amount "
            "(BT-117) must be 0, because the supply is exempt. Enter 0; if the invoice is meant to "
            "charge VAT after all, use category S instead of E."
        ),
        terms=("BG-23", "BT-117"),
    ),
    "BR-E-10": RuleText(
        de=(
            "Die Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie E (steuerbefreit) "
            "braucht einen Befreiungsgrund, als Code (BT-121) oder als Text (BT-120). Bitte ihn "
            "angeben, zum Beispiel einen Text mit der Rechtsgrundlage der Befreiung, etwa "
            "„Steuerfrei nach § 4 UStG“."
        ),
        en=(
            "The VAT breakdown (BG-23) for VAT category E (exempt from VAT) needs an exemption "
            "reason, as code (BT-121) or text (BT-120). Add it, for example a text naming the "
            "legal basis of the exemption."
        ),
        terms=("BG-23", "BT-121", "BT-120"),
    ),
    # --- BR-AE -----------------------------------------------------------------------------------
    "BR-AE-01": RuleText(
        de=(
            "Die Rechnung verwendet bei einer Position (BT-151), einem Nachlass (BT-95) oder einem "
            "Zuschlag (BT-102) die Umsatzsteuerkategorie AE (Umkehrung der Steuerschuldnerschaft, "
            "Reverse Charge), aber die Umsatzsteueraufschlüsselung (BG-23) enthält nicht genau "
            "eine Gruppe mit dem Code AE (BT-118). Bitte alle Beträge dieser Kategorie in genau "
            "einer Aufschlüsselung zusammenfassen."
        ),
        en=(
            "The invoice uses VAT category AE (reverse charge) on a line (BT-151), allowance "
            "(BT-95) or charge (BT-102), but the VAT breakdown (BG-23) does not hold exactly one "
            "group with code AE (BT-118). Put all amounts of this category into exactly one "
            "breakdown."
        ),
        terms=("BT-151", "BT-95", "BT-102", "BG-23", "BT-118"),
    ),
    "BR-AE-02": RuleText(
        de=(
            "Die Rechnung enthält eine Rechnungsposition, deren Umsatzsteuerkategorie (BT-151) AE "
            "(Umkehrung der Steuerschuldnerschaft, Reverse Charge) ist. Dann muss auf "
            "Verkäuferseite die Umsatzsteuer-Identifikationsnummer (BT-31), die Steuernummer "
            "(BT-32) oder die USt-IdNr. eines Steuervertreters (BT-63) angegeben sein und auf "
            "Käuferseite die USt-IdNr. (BT-48) oder die Registernummer (BT-47) des Käufers. Bitte "
            "die fehlenden Angaben ergänzen."
        ),
        en=(
            "The invoice has an invoice line whose VAT category (BT-151) is AE (reverse charge). "
            "The seller side then needs the VAT identifier (BT-31), the tax registration "
            "identifier (BT-32) or a tax representative's VAT identifier (BT-63), and the buyer "
            "side needs the buyer's VAT identifier (BT-48) or legal registration identifier "
            "(BT-47). Add what is missing."
        ),
        terms=("BT-151", "BT-31", "BT-32", "BT-63", "BT-48", "BT-47"),
    ),
    "BR-AE-03": RuleText(
        de=(
            "Die Rechnung enthält einen Nachlass auf Dokumentenebene, dessen Umsatzsteuerkategorie "
            "(BT-95) AE (Umkehrung der Steuerschuldnerschaft, Reverse Charge) ist. Dann muss auf "
            "Verkäuferseite die Umsatzsteuer-Identifikationsnummer (BT-31), die Steuernummer "
            "(BT-32) oder die USt-IdNr. eines Steuervertreters (BT-63) angegeben sein und auf "
            "Käuferseite die USt-IdNr. (BT-48) oder die Registernummer (BT-47) des Käufers. Bitte "
            "die fehlenden Angaben ergänzen."
        ),
        en=(
            "The invoice has a document level allowance whose VAT category (BT-95) is AE (reverse "
            "charge). The seller side then needs the VAT identifier (BT-31), the tax registration "
            "identifier (BT-32) or a tax representative's VAT identifier (BT-63), and the buyer "
            "side needs the buyer's VAT identifier (BT-48) or legal registration identifier "
            "(BT-47). Add what is missing."
        ),
        terms=("BT-95", "BT-31", "BT-32", "BT-63", "BT-48", "BT-47"),
    ),
    "BR-AE-04": RuleText(
        de=(
            "Die Rechnung enthält einen Zuschlag auf Dokumentenebene, dessen Umsatzsteuerkategorie "
            "(BT-102) AE (Umkehrung der Steuerschuldnerschaft, Reverse Charge) ist. Dann muss auf "
            "Verkäuferseite die Umsatzsteuer-Identifikationsnummer (BT-31), die Steuernummer "
            "(BT-32) oder die USt-IdNr. eines Steuervertreters (BT-63) angegeben sein und auf "
            "Käuferseite die USt-IdNr. (BT-48) oder die Registernummer (BT-47) des Käufers. Bitte "
            "die fehlenden Angaben ergänzen."
        ),
        en=(
            "The invoice has a document level charge whose VAT category (BT-102) is AE (reverse "
            "charge). The seller side then needs the VAT identifier (BT-31), the tax registration "
            "identifier (BT-32) or a tax representative's VAT identifier (BT-63), and the buyer "
            "side needs the buyer's VAT identifier (BT-48) or legal registration identifier "
            "(BT-47). Add what is missing."
        ),
        terms=("BT-102", "BT-31", "BT-32", "BT-63", "BT-48", "BT-47"),
    ),
    "BR-AE-05": RuleText(
        de=(
            "Bei einer Rechnungsposition, deren Umsatzsteuerkategorie (BT-151) AE (Umkehrung der "
            "Steuerschuldnerschaft, Reverse Charge) ist, muss der Umsatzsteuersatz (BT-152) 0 "
            "sein. Bitte 0 eintragen; fällt tatsächlich Umsatzsteuer an, ist statt AE die "
            "Kategorie S zu verwenden."
        ),
        en=(
            "For an invoice line whose VAT category (BT-151) is AE (reverse charge), the VAT rate "
            "(BT-152) must be 0. Enter 0; if VAT is actually charged, use category S instead of "
            "AE."
        ),
        terms=("BT-151", "BT-152"),
    ),
    "BR-AE-06": RuleText(
        de=(
            "Bei einem Nachlass auf Dokumentenebene, dessen Umsatzsteuerkategorie (BT-95) AE "
            "(Umkehrung der Steuerschuldnerschaft, Reverse Charge) ist, muss der Umsatzsteuersatz "
            "(BT-96) 0 sein. Bitte 0 eintragen; fällt tatsächlich Umsatzsteuer an, ist statt AE "
            "die Kategorie S zu verwenden."
        ),
        en=(
            "For a document level allowance whose VAT category (BT-95) is AE (reverse charge), the "
            "VAT rate (BT-96) must be 0. Enter 0; if VAT is actually charged, use category S "
            "instead of AE."
        ),
        terms=("BT-95", "BT-96"),
    ),
    "BR-AE-07": RuleText(
        de=(
            "Bei einem Zuschlag auf Dokumentenebene, dessen Umsatzsteuerkategorie (BT-102) AE "
            "(Umkehrung der Steuerschuldnerschaft, Reverse Charge) ist, muss der Umsatzsteuersatz "
            "(BT-103) 0 sein. Bitte 0 eintragen; fällt tatsächlich Umsatzsteuer an, ist statt AE "
            "die Kategorie S zu verwenden."
        ),
        en=(
            "For a document level charge whose VAT category (BT-102) is AE (reverse charge), the "
            "VAT rate (BT-103) must be 0. Enter 0; if VAT is actually charged, use category S "
            "instead of AE."
        ),
        terms=("BT-102", "BT-103"),
    ),
    "BR-AE-08": RuleText(
        de=(
            "In der Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie AE (Umkehrung "
            "der Steuerschuldnerschaft, Reverse Charge) stimmt die Bemessungsgrundlage (BT-116) "
            "nicht. Sie muss die Summe der Positionsnettobeträge (BT-131) minus Nachlässe (BT-92) "
            "plus Zuschläge (BT-99) auf Dokumentenebene sein, jeweils nur derjenigen mit dieser "
            "Kategorie (BT-151, BT-95, BT-102). Bitte neu summieren."
        ),
        en=(
            "In the VAT breakdown (BG-23) for VAT category AE (reverse charge) the taxable amount "
            "(BT-116) is wrong. It must be the sum of line net amounts (BT-131) minus document "
            "level allowances (BT-92) plus document level charges (BT-99), counting only those "
            "with this category (BT-151, BT-95, BT-102). Recompute the total."
        ),
        terms=("BG-23", "BT-116", "BT-131", "BT-92", "BT-99", "BT-151", "BT-95", "BT-102"),
    ),
    "BR-AE-09": RuleText(
        de=(
            "In der Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie AE (Umkehrung "
            "der Steuerschuldnerschaft, Reverse Charge) muss der Steuerbetrag (BT-117) 0 sein, "
            "weil die Steuer vom Käufer geschuldet wird. Bitte 0 eintragen; soll die Rechnung doch "
            "Umsatzsteuer ausweisen, ist statt AE die Kategorie S zu verwenden."
        ),
        en=(
            "In the VAT breakdown (BG-23) for VAT category AE (reverse charge) the tax amount "
            "(BT-117) must be 0, because the buyer owes the tax. Enter 0; if the invoice is meant "
            "to charge VAT after all, use category S instead of AE."
        ),
        terms=("BG-23", "BT-117"),
    ),
    "BR-AE-10": RuleText(
        de=(
            "Die Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie AE (Umkehrung der "
            "Steuerschuldnerschaft, Reverse Charge) braucht einen Befreiungsgrund, als Code "
            "(BT-121) oder als Text (BT-120). Bitte ihn angeben, zum Beispiel den Code "
            "„VATEX-EU-AE“ oder den Text „Steuerschuldnerschaft des Leistungsempfängers“."
        ),
        en=(
            "The VAT breakdown (BG-23) for VAT category AE (reverse charge) needs an exemption "
            "reason, as code (BT-121) or text (BT-120). Add it, for example the code 'VATEX-EU-AE' "
            "or the text 'Reverse charge'."
        ),
        terms=("BG-23", "BT-121", "BT-120"),
    ),
    # --- BR-IC -----------------------------------------------------------------------------------
    "BR-IC-01": RuleText(
        de=(
            "Die Rechnung verwendet bei einer Position (BT-151), einem Nachlass (BT-95) oder einem "
            "Zuschlag (BT-102) die Umsatzsteuerkategorie K (innergemeinschaftliche Lieferung), "
            "aber die Umsatzsteueraufschlüsselung (BG-23) enthält nicht genau eine Gruppe mit dem "
            "Code K (BT-118). Bitte alle Beträge dieser Kategorie in genau einer Aufschlüsselung "
            "zusammenfassen."
        ),
        en=(
            "The invoice uses VAT category K (intra-community supply) on a line (BT-151), "
            "allowance (BT-95) or charge (BT-102), but the VAT breakdown (BG-23) does not hold "
            "exactly one group with code K (BT-118). Put all amounts of this category into exactly "
            "one breakdown."
        ),
        terms=("BT-151", "BT-95", "BT-102", "BG-23", "BT-118"),
    ),
    "BR-IC-02": RuleText(
        de=(
            "Die Rechnung enthält eine Rechnungsposition, deren Umsatzsteuerkategorie (BT-151) K "
            "(innergemeinschaftliche Lieferung) ist. Dann müssen die "
            "Umsatzsteuer-Identifikationsnummer des Verkäufers (BT-31) oder seines "
            "Steuervertreters (BT-63) und die USt-IdNr. des Käufers (BT-48) angegeben sein. Bitte "
            "die fehlenden Nummern ergänzen."
        ),
        en=(
            "The invoice has an invoice line whose VAT category (BT-151) is K (intra-community "
            "supply). Then the VAT identifier of the seller (BT-31) or of its tax representative "
            "(BT-63) and the buyer's VAT identifier (BT-48) are required. Add the missing numbers."
        ),
        terms=("BT-151", "BT-31", "BT-63", "BT-48"),
    ),
    "BR-IC-03": RuleText(
        de=(
            "Die Rechnung enthält einen Nachlass auf Dokumentenebene, dessen Umsatzsteuerkategorie "
            "(BT-95) K (innergemeinschaftliche Lieferung) ist. Dann müssen die "
            "Umsatzsteuer-Identifikationsnummer des Verkäufers (BT-31) oder seines "
            "Steuervertreters (BT-63) und die USt-IdNr. des Käufers (BT-48) angegeben sein. Bitte "
            "die fehlenden Nummern ergänzen."
        ),
        en=(
            "The invoice has a document level allowance whose VAT category (BT-95) is K "
            "(intra-community supply). Then the VAT identifier of the seller (BT-31) or of its tax "
            "representative (BT-63) and the buyer's VAT identifier (BT-48) are required. Add the "
            "missing numbers."
        ),
        terms=("BT-95", "BT-31", "BT-63", "BT-48"),
    ),
    "BR-IC-04": RuleText(
        de=(
            "Die Rechnung enthält einen Zuschlag auf Dokumentenebene, dessen Umsatzsteuerkategorie "
            "(BT-102) K (innergemeinschaftliche Lieferung) ist. Dann müssen die "
            "Umsatzsteuer-Identifikationsnummer des Verkäufers (BT-31) oder seines "
            "Steuervertreters (BT-63) und die USt-IdNr. des Käufers (BT-48) angegeben sein. Bitte "
            "die fehlenden Nummern ergänzen."
        ),
        en=(
            "The invoice has a document level charge whose VAT category (BT-102) is K "
            "(intra-community supply). Then the VAT identifier of the seller (BT-31) or of its tax "
            "representative (BT-63) and the buyer's VAT identifier (BT-48) are required. Add the "
            "missing numbers."
        ),
        terms=("BT-102", "BT-31", "BT-63", "BT-48"),
    ),
    "BR-IC-05": RuleText(
        de=(
            "Bei einer Rechnungsposition, deren Umsatzsteuerkategorie (BT-151) K "
            "(innergemeinschaftliche Lieferung) ist, muss der Umsatzsteuersatz (BT-152) 0 sein. "
            "Bitte 0 eintragen; fällt tatsächlich Umsatzsteuer an, ist statt K die Kategorie S zu "
            "verwenden."
        ),
        en=(
            "For an invoice line whose VAT category (BT-151) is K (intra-community supply), the "
            "VAT rate (BT-152) must be 0. Enter 0; if VAT is actually charged, use category S "
            "instead of K."
        ),
        terms=("BT-151", "BT-152"),
    ),
    "BR-IC-06": RuleText(
        de=(
            "Bei einem Nachlass auf Dokumentenebene, dessen Umsatzsteuerkategorie (BT-95) K "
            "(innergemeinschaftliche Lieferung) ist, muss der Umsatzsteuersatz (BT-96) 0 sein. "
            "Bitte 0 eintragen; fällt tatsächlich Umsatzsteuer an, ist statt K die Kategorie S zu "
            "verwenden."
        ),
        en=(
            "For a document level allowance whose VAT category (BT-95) is K (intra-community "
            "supply), the VAT rate (BT-96) must be 0. Enter 0; if VAT is actually charged, use "
            "category S instead of K."
        ),
        terms=("BT-95", "BT-96"),
    ),
    "BR-IC-07": RuleText(
        de=(
            "Bei einem Zuschlag auf Dokumentenebene, dessen Umsatzsteuerkategorie (BT-102) K "
            "(innergemeinschaftliche Lieferung) ist, muss der Umsatzsteuersatz (BT-103) 0 sein. "
            "Bitte 0 eintragen; fällt tatsächlich Umsatzsteuer an, ist statt K die Kategorie S zu "
            "verwenden."
        ),
        en=(
            "For a document level charge whose VAT category (BT-102) is K (intra-community "
            "supply), the VAT rate (BT-103) must be 0. Enter 0; if VAT is actually charged, use "
            "category S instead of K."
        ),
        terms=("BT-102", "BT-103"),
    ),
    "BR-IC-08": RuleText(
        de=(
            "In der Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie K "
            "(innergemeinschaftliche Lieferung) stimmt die Bemessungsgrundlage (BT-116) nicht. Sie "
            "muss die Summe der Positionsnettobeträge (BT-131) minus Nachlässe (BT-92) plus "
            "Zuschläge (BT-99) auf Dokumentenebene sein, jeweils nur derjenigen mit dieser "
            "Kategorie (BT-151, BT-95, BT-102). Bitte neu summieren."
        ),
        en=(
            "In the VAT breakdown (BG-23) for VAT category K (intra-community supply) the taxable "
            "amount (BT-116) is wrong. It must be the sum of line net amounts (BT-131) minus "
            "document level allowances (BT-92) plus document level charges (BT-99), counting only "
            "those with this category (BT-151, BT-95, BT-102). Recompute the total."
        ),
        terms=("BG-23", "BT-116", "BT-131", "BT-92", "BT-99", "BT-151", "BT-95", "BT-102"),
    ),
    "BR-IC-09": RuleText(
        de=(
            "In der Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie K "
            "(innergemeinschaftliche Lieferung) muss der Steuerbetrag (BT-117) 0 sein, weil die "
            "innergemeinschaftliche Lieferung steuerfrei ist. Bitte 0 eintragen; soll die Rechnung "
            "doch Umsatzsteuer ausweisen, ist statt K die Kategorie S zu verwenden."
        ),
        en=(
            "In the VAT breakdown (BG-23) for VAT category K (intra-community supply) the tax "
            "amount (BT-117) must be 0, because the intra-community supply is tax free. Enter 0; "
            "if the invoice is meant to charge VAT after all, use category S instead of K."
        ),
        terms=("BG-23", "BT-117"),
    ),
    "BR-IC-10": RuleText(
        de=(
            "Die Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie K "
            "(innergemeinschaftliche Lieferung) braucht einen Befreiungsgrund, als Code (BT-121) "
            "oder als Text (BT-120). Bitte ihn angeben, zum Beispiel den Code „VATEX-EU-IC“ oder "
            "den Text „Steuerfreie innergemeinschaftliche Lieferung“."
        ),
        en=(
            "The VAT breakdown (BG-23) for VAT category K (intra-community supply) needs an "
            "exemption reason, as code (BT-121) or text (BT-120). Add it, for example the code "
            "'VATEX-EU-IC' or the text 'Intra-community supply'."
        ),
        terms=("BG-23", "BT-121", "BT-120"),
    ),
    "BR-IC-11": RuleText(
        de=(
            "Die Rechnung enthält eine Umsatzsteueraufschlüsselung (BG-23, BT-118) der "
            "Umsatzsteuerkategorie K (innergemeinschaftliche Lieferung). Dafür muss das "
            "tatsächliche Lieferdatum (BT-72) oder der Rechnungszeitraum (BG-14) angegeben sein. "
            "Bitte eines davon ergänzen."
        ),
        en=(
            "The invoice has a VAT breakdown (BG-23, BT-118) for VAT category K (intra-community "
            "supply). The actual delivery date (BT-72) or the invoicing period (BG-14) is then "
            "required. Add one of them."
        ),
        terms=("BG-23", "BT-118", "BT-72", "BG-14"),
    ),
    "BR-IC-12": RuleText(
        de=(
            "Die Rechnung enthält eine Umsatzsteueraufschlüsselung (BG-23, BT-118) der "
            "Umsatzsteuerkategorie K (innergemeinschaftliche Lieferung). Dafür muss der Ländercode "
            "der Lieferanschrift (BT-80) angegeben sein, damit das Bestimmungsland erkennbar ist. "
            "Bitte die Lieferanschrift (BG-15) mit Ländercode ergänzen."
        ),
        en=(
            "The invoice has a VAT breakdown (BG-23, BT-118) for VAT category K (intra-community "
            "supply). The deliver-to country code (BT-80) is then required so that the country of "
            "destination is known. Add the deliver-to address (BG-15) with its country code."
        ),
        terms=("BG-23", "BT-118", "BT-80", "BG-15"),
    ),
    # --- BR-G ------------------------------------------------------------------------------------
    "BR-G-01": RuleText(
        de=(
            "Die Rechnung verwendet bei einer Position (BT-151), einem Nachlass (BT-95) oder einem "
            "Zuschlag (BT-102) die Umsatzsteuerkategorie G (Ausfuhr außerhalb der EU), aber die "
            "Umsatzsteueraufschlüsselung (BG-23) enthält nicht genau eine Gruppe mit dem Code G "
            "(BT-118). Bitte alle Beträge dieser Kategorie in genau einer Aufschlüsselung "
            "zusammenfassen."
        ),
        en=(
            "The invoice uses VAT category G (export outside the EU) on a line (BT-151), allowance "
            "(BT-95) or charge (BT-102), but the VAT breakdown (BG-23) does not hold exactly one "
            "group with code G (BT-118). Put all amounts of this category into exactly one "
            "breakdown."
        ),
        terms=("BT-151", "BT-95", "BT-102", "BG-23", "BT-118"),
    ),
    "BR-G-02": RuleText(
        de=(
            "Die Rechnung enthält eine Rechnungsposition, deren Umsatzsteuerkategorie (BT-151) G "
            "(Ausfuhr außerhalb der EU) ist. Dann muss die Umsatzsteuer-Identifikationsnummer des "
            "Verkäufers (BT-31) oder seines Steuervertreters (BT-63) angegeben sein. Bitte die "
            "USt-IdNr. ergänzen."
        ),
        en=(
            "The invoice has an invoice line whose VAT category (BT-151) is G (export outside the "
            "EU). Then the VAT identifier of the seller (BT-31) or of its tax representative "
            "(BT-63) is required. Add the VAT number."
        ),
        terms=("BT-151", "BT-31", "BT-63"),
    ),
    "BR-G-03": RuleText(
        de=(
            "Die Rechnung enthält einen Nachlass auf Dokumentenebene, dessen Umsatzsteuerkategorie "
            "(BT-95) G (Ausfuhr außerhalb der EU) ist. Dann muss die "
            "Umsatzsteuer-Identifikationsnummer des Verkäufers (BT-31) oder seines "
            "Steuervertreters (BT-63) angegeben sein. Bitte die USt-IdNr. ergänzen."
        ),
        en=(
            "The invoice has a document level allowance whose VAT category (BT-95) is G (export "
            "outside the EU). Then the VAT identifier of the seller (BT-31) or of its tax "
            "representative (BT-63) is required. Add the VAT number."
        ),
        terms=("BT-95", "BT-31", "BT-63"),
    ),
    "BR-G-04": RuleText(
        de=(
            "Die Rechnung enthält einen Zuschlag auf Dokumentenebene, dessen Umsatzsteuerkategorie "
            "(BT-102) G (Ausfuhr außerhalb der EU) ist. Dann muss die "
            "Umsatzsteuer-Identifikationsnummer des Verkäufers (BT-31) oder seines "
            "Steuervertreters (BT-63) angegeben sein. Bitte die USt-IdNr. ergänzen."
        ),
        en=(
            "The invoice has a document level charge whose VAT category (BT-102) is G (export "
            "outside the EU). Then the VAT identifier of the seller (BT-31) or of its tax "
            "representative (BT-63) is required. Add the VAT number."
        ),
        terms=("BT-102", "BT-31", "BT-63"),
    ),
    "BR-G-05": RuleText(
        de=(
            "Bei einer Rechnungsposition, deren Umsatzsteuerkategorie (BT-151) G (Ausfuhr "
            "außerhalb der EU) ist, muss der Umsatzsteuersatz (BT-152) 0 sein. Bitte 0 eintragen; "
            "fällt tatsächlich Umsatzsteuer an, ist statt G die Kategorie S zu verwenden."
        ),
        en=(
            "For an invoice line whose VAT category (BT-151) is G (export outside the EU), the VAT "
            "rate (BT-152) must be 0. Enter 0; if VAT is actually charged, use category S instead "
            "of G."
        ),
        terms=("BT-151", "BT-152"),
    ),
    "BR-G-06": RuleText(
        de=(
            "Bei einem Nachlass auf Dokumentenebene, dessen Umsatzsteuerkategorie (BT-95) G "
            "(Ausfuhr außerhalb der EU) ist, muss der Umsatzsteuersatz (BT-96) 0 sein. Bitte 0 "
            "eintragen; fällt tatsächlich Umsatzsteuer an, ist statt G die Kategorie S zu "
            "verwenden."
        ),
        en=(
            "For a document level allowance whose VAT category (BT-95) is G (export outside the "
            "EU), the VAT rate (BT-96) must be 0. Enter 0; if VAT is actually charged, use "
            "category S instead of G."
        ),
        terms=("BT-95", "BT-96"),
    ),
    "BR-G-07": RuleText(
        de=(
            "Bei einem Zuschlag auf Dokumentenebene, dessen Umsatzsteuerkategorie (BT-102) G "
            "(Ausfuhr außerhalb der EU) ist, muss der Umsatzsteuersatz (BT-103) 0 sein. Bitte 0 "
            "eintragen; fällt tatsächlich Umsatzsteuer an, ist statt G die Kategorie S zu "
            "verwenden."
        ),
        en=(
            "For a document level charge whose VAT category (BT-102) is G (export outside the EU), "
            "the VAT rate (BT-103) must be 0. Enter 0; if VAT is actually charged, use category S "
            "instead of G."
        ),
        terms=("BT-102", "BT-103"),
    ),
    "BR-G-08": RuleText(
        de=(
            "In der Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie G (Ausfuhr "
            "außerhalb der EU) stimmt die Bemessungsgrundlage (BT-116) nicht. Sie muss die Summe "
            "der Positionsnettobeträge (BT-131) minus Nachlässe (BT-92) plus Zuschläge (BT-99) auf "
            "Dokumentenebene sein, jeweils nur derjenigen mit dieser Kategorie (BT-151, BT-95, "
            "BT-102). Bitte neu summieren."
        ),
        en=(
            "In the VAT breakdown (BG-23) for VAT category G (export outside the EU) the taxable "
            "amount (BT-116) is wrong. It must be the sum of line net amounts (BT-131) minus "
            "document level allowances (BT-92) plus document level charges (BT-99), counting only "
            "those with this category (BT-151, BT-95, BT-102). Recompute the total."
        ),
        terms=("BG-23", "BT-116", "BT-131", "BT-92", "BT-99", "BT-151", "BT-95", "BT-102"),
    ),
    "BR-G-09": RuleText(
        de=(
            "In der Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie G (Ausfuhr "
            "außerhalb der EU) muss der Steuerbetrag (BT-117) 0 sein, weil die Ausfuhr steuerfrei "
            "ist. Bitte 0 eintragen; soll die Rechnung doch Umsatzsteuer ausweisen, ist statt G "
            "die Kategorie S zu verwenden."
        ),
        en=(
            "In the VAT breakdown (BG-23) for VAT category G (export outside the EU) the tax "
            "amount (BT-117) must be 0, because the export is tax free. Enter 0; if the invoice is "
            "meant to charge VAT after all, use category S instead of G."
        ),
        terms=("BG-23", "BT-117"),
    ),
    "BR-G-10": RuleText(
        de=(
            "Die Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie G (Ausfuhr "
            "außerhalb der EU) braucht einen Befreiungsgrund, als Code (BT-121) oder als Text "
            "(BT-120). Bitte ihn angeben, zum Beispiel den Code „VATEX-EU-G“ oder den Text "
            "„Steuerfreie Ausfuhrlieferung“."
        ),
        en=(
            "The VAT breakdown (BG-23) for VAT category G (export outside the EU) needs an "
            "exemption reason, as code (BT-121) or text (BT-120). Add it, for example the code "
            "'VATEX-EU-G' or the text 'Export outside the EU'."
        ),
        terms=("BG-23", "BT-121", "BT-120"),
    ),
    # --- BR-O ------------------------------------------------------------------------------------
    "BR-O-01": RuleText(
        de=(
            "Die Rechnung verwendet bei einer Position (BT-151), einem Nachlass (BT-95) oder einem "
            "Zuschlag (BT-102) die Umsatzsteuerkategorie O (nicht umsatzsteuerbar), aber die "
            "Umsatzsteueraufschlüsselung (BG-23) enthält nicht genau eine Gruppe mit dem Code O "
            "(BT-118). Bitte alle Beträge dieser Kategorie in genau einer Aufschlüsselung "
            "zusammenfassen."
        ),
        en=(
            "The invoice uses VAT category O (not subject to VAT) on a line (BT-151), allowance "
            "(BT-95) or charge (BT-102), but the VAT breakdown (BG-23) does not hold exactly one "
            "group with code O (BT-118). Put all amounts of this category into exactly one "
            "breakdown."
        ),
        terms=("BT-151", "BT-95", "BT-102", "BG-23", "BT-118"),
    ),
    "BR-O-02": RuleText(
        de=(
            "Die Rechnung enthält eine Rechnungsposition, deren Umsatzsteuerkategorie (BT-151) O "
            "(nicht umsatzsteuerbar) ist. Bei nicht steuerbaren Umsätzen darf die Rechnung keine "
            "Umsatzsteuer-Identifikationsnummer enthalten, weder die des Verkäufers (BT-31) noch "
            "die des Steuervertreters (BT-63) oder des Käufers (BT-48). Bitte die Nummern "
            "entfernen oder die Kategorie prüfen."
        ),
        en=(
            "The invoice has an invoice line whose VAT category (BT-151) is O (not subject to "
            "VAT). For supplies outside the scope of VAT the invoice must not carry any VAT "
            "identifier, neither the seller's (BT-31) nor the tax representative's (BT-63) nor the "
            "buyer's (BT-48). Remove them or check the category."
        ),
        terms=("BT-151", "BT-31", "BT-63", "BT-48"),
    ),
    "BR-O-03": RuleText(
        de=(
            "Die Rechnung enthält einen Nachlass auf Dokumentenebene, dessen Umsatzsteuerkategorie "
            "(BT-95) O (nicht umsatzsteuerbar) ist. Bei nicht steuerbaren Umsätzen darf die "
            "Rechnung keine Umsatzsteuer-Identifikationsnummer enthalten, weder die des Verkäufers "
            "(BT-31) noch die des Steuervertreters (BT-63) oder des Käufers (BT-48). Bitte die "
            "Nummern entfernen oder die Kategorie prüfen."
        ),
        en=(
            "The invoice has a document level allowance whose VAT category (BT-95) is O (not "
            "subject to VAT). For supplies outside the scope of VAT the invoice must not carry any "
            "VAT identifier, neither the seller's (BT-31) nor the tax representative's (BT-63) nor "
            "the buyer's (BT-48). Remove them or check the category."
        ),
        terms=("BT-95", "BT-31", "BT-63", "BT-48"),
    ),
    "BR-O-04": RuleText(
        de=(
            "Die Rechnung enthält einen Zuschlag auf Dokumentenebene, dessen Umsatzsteuerkategorie "
            "(BT-102) O (nicht umsatzsteuerbar) ist. Bei nicht steuerbaren Umsätzen darf die "
            "Rechnung keine Umsatzsteuer-Identifikationsnummer enthalten, weder die des Verkäufers "
            "(BT-31) noch die des Steuervertreters (BT-63) oder des Käufers (BT-48). Bitte die "
            "Nummern entfernen oder die Kategorie prüfen."
        ),
        en=(
            "The invoice has a document level charge whose VAT category (BT-102) is O (not subject "
            "to VAT). For supplies outside the scope of VAT the invoice must not carry any VAT "
            "identifier, neither the seller's (BT-31) nor the tax representative's (BT-63) nor the "
            "buyer's (BT-48). Remove them or check the category."
        ),
        terms=("BT-102", "BT-31", "BT-63", "BT-48"),
    ),
    "BR-O-05": RuleText(
        de=(
            "Bei einer Rechnungsposition, deren Umsatzsteuerkategorie (BT-151) O (nicht "
            "umsatzsteuerbar) ist, darf kein Umsatzsteuersatz (BT-152) angegeben sein. Bitte den "
            "Satz entfernen."
        ),
        en=(
            "For an invoice line whose VAT category (BT-151) is O (not subject to VAT), no VAT "
            "rate (BT-152) may be given. Remove the rate."
        ),
        terms=("BT-151", "BT-152"),
    ),
    "BR-O-06": RuleText(
        de=(
            "Bei einem Nachlass auf Dokumentenebene, dessen Umsatzsteuerkategorie (BT-95) O (nicht "
            "umsatzsteuerbar) ist, darf kein Umsatzsteuersatz (BT-96) angegeben sein. Bitte den "
            "Satz entfernen."
        ),
        en=(
            "For a document level allowance whose VAT category (BT-95) is O (not subject to VAT), "
            "no VAT rate (BT-96) may be given. Remove the rate."
        ),
        terms=("BT-95", "BT-96"),
    ),
    "BR-O-07": RuleText(
        de=(
            "Bei einem Zuschlag auf Dokumentenebene, dessen Umsatzsteuerkategorie (BT-102) O "
            "(nicht umsatzsteuerbar) ist, darf kein Umsatzsteuersatz (BT-103) angegeben sein. "
            "Bitte den Satz entfernen."
        ),
        en=(
            "For a document level charge whose VAT category (BT-102) is O (not subject to VAT), no "
            "VAT rate (BT-103) may be given. Remove the rate."
        ),
        terms=("BT-102", "BT-103"),
    ),
    "BR-O-08": RuleText(
        de=(
            "In der Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie O (nicht "
            "umsatzsteuerbar) stimmt die Bemessungsgrundlage (BT-116) nicht. Sie muss die Summe "
            "der Positionsnettobeträge (BT-131) minus Nachlässe (BT-92) plus Zuschläge (BT-99) auf "
            "Dokumentenebene sein, jeweils nur derjenigen mit dieser Kategorie (BT-151, BT-95, "
            "BT-102). Bitte neu summieren."
        ),
        en=(
            "In the VAT breakdown (BG-23) for VAT category O (not subject to VAT) the taxable "
            "amount (BT-116) is wrong. It must be the sum of line net amounts (BT-131) minus "
            "document level allowances (BT-92) plus document level charges (BT-99), counting only "
            "those with this category (BT-151, BT-95, BT-102). Recompute the total."
        ),
        terms=("BG-23", "BT-116", "BT-131", "BT-92", "BT-99", "BT-151", "BT-95", "BT-102"),
    ),
    "BR-O-09": RuleText(
        de=(
            "In der Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie O (nicht "
            "umsatzsteuerbar) muss der Steuerbetrag (BT-117) 0 sein, weil der Umsatz nicht "
            "umsatzsteuerbar ist. Bitte 0 eintragen; soll die Rechnung doch Umsatzsteuer "
            "ausweisen, ist statt O die Kategorie S zu verwenden."
        ),
        en=(
            "In the VAT breakdown (BG-23) for VAT category O (not subject to VAT) the tax amount "
            "(BT-117) must be 0, because the supply is outside the scope of VAT. Enter 0; if the "
            "invoice is meant to charge VAT after all, use category S instead of O."
        ),
        terms=("BG-23", "BT-117"),
    ),
    "BR-O-10": RuleText(
        de=(
            "Die Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie O (nicht "
            "umsatzsteuerbar) braucht einen Befreiungsgrund, als Code (BT-121) oder als Text "
            "(BT-120). Bitte ihn angeben, zum Beispiel den Code „VATEX-EU-O“ oder den Text „Nicht "
            "steuerbarer Umsatz“."
        ),
        en=(
            "The VAT breakdown (BG-23) for VAT category O (not subject to VAT) needs an exemption "
            "reason, as code (BT-121) or text (BT-120). Add it, for example the code 'VATEX-EU-O' "
            "or the text 'Not subject to VAT'."
        ),
        terms=("BG-23", "BT-121", "BT-120"),
    ),
    "BR-O-11": RuleText(
        de=(
            "Die Rechnung enthält eine Umsatzsteueraufschlüsselung (BG-23, BT-118) der "
            "Umsatzsteuerkategorie O (nicht umsatzsteuerbar). Dann darf es keine weitere "
            "Aufschlüsselung geben. Bitte nicht steuerbare und andere Umsätze in getrennten "
            "Rechnungen abrechnen."
        ),
        en=(
            "The invoice has a VAT breakdown (BG-23, BT-118) for VAT category O (not subject to "
            "VAT). No other breakdown may then be present. Invoice supplies outside the scope of "
            "VAT separately from all others."
        ),
        terms=("BG-23", "BT-118"),
    ),
    "BR-O-12": RuleText(
        de=(
            "Die Rechnung enthält eine Umsatzsteueraufschlüsselung (BG-23, BT-118) der "
            "Umsatzsteuerkategorie O (nicht umsatzsteuerbar), aber eine Rechnungsposition (BG-25) "
            "hat eine andere Kategorie (BT-151). Bitte alle Positionen mit O kennzeichnen oder die "
            "übrigen Umsätze gesondert abrechnen."
        ),
        en=(
            "The invoice has a VAT breakdown (BG-23, BT-118) for VAT category O (not subject to "
            "VAT), but an invoice line (BG-25) has another category (BT-151). Mark all lines with "
            "O or invoice the other supplies separately."
        ),
        terms=("BG-23", "BT-118", "BG-25", "BT-151"),
    ),
    "BR-O-13": RuleText(
        de=(
            "Die Rechnung enthält eine Umsatzsteueraufschlüsselung (BG-23, BT-118) der "
            "Umsatzsteuerkategorie O (nicht umsatzsteuerbar), aber ein Nachlass auf "
            "Dokumentenebene (BG-20) hat eine andere Kategorie (BT-95). Bitte den Nachlass "
            "ebenfalls mit O kennzeichnen."
        ),
        en=(
            "The invoice has a VAT breakdown (BG-23, BT-118) for VAT category O (not subject to "
            "VAT), but a document level allowance (BG-20) has another category (BT-95). Mark the "
            "allowance with O as well."
        ),
        terms=("BG-23", "BT-118", "BG-20", "BT-95"),
    ),
    "BR-O-14": RuleText(
        de=(
            "Die Rechnung enthält eine Umsatzsteueraufschlüsselung (BG-23, BT-118) der "
            "Umsatzsteuerkategorie O (nicht umsatzsteuerbar), aber ein Zuschlag auf "
            "Dokumentenebene (BG-21) hat eine andere Kategorie (BT-102). Bitte den Zuschlag "
            "ebenfalls mit O kennzeichnen."
        ),
        en=(
            "The invoice has a VAT breakdown (BG-23, BT-118) for VAT category O (not subject to "
            "VAT), but a document level charge (BG-21) has another category (BT-102). Mark the "
            "charge with O as well."
        ),
        terms=("BG-23", "BT-118", "BG-21", "BT-102"),
    ),
    # --- BR-AF -----------------------------------------------------------------------------------
    "BR-AF-01": RuleText(
        de=(
            "Die Rechnung verwendet bei einer Position (BT-151), einem Nachlass (BT-95) oder einem "
            "Zuschlag (BT-102) die Umsatzsteuerkategorie L (IGIC, Kanarische Inseln), aber die "
            "Umsatzsteueraufschlüsselung (BG-23) enthält keine Gruppe mit dem Code L (BT-118). "
            "Bitte für jeden verwendeten Steuersatz dieser Kategorie eine Aufschlüsselung "
            "ergänzen."
        ),
        en=(
            "The invoice uses VAT category L (IGIC, Canary Islands) on a line (BT-151), allowance "
            "(BT-95) or charge (BT-102), but the VAT breakdown (BG-23) has no group with code L "
            "(BT-118). Add a breakdown for each rate of this category that is used."
        ),
        terms=("BT-151", "BT-95", "BT-102", "BG-23", "BT-118"),
    ),
    "BR-AF-02": RuleText(
        de=(
            "Die Rechnung enthält eine Rechnungsposition, deren Umsatzsteuerkategorie (BT-151) L "
            "(IGIC, Kanarische Inseln) ist. Dann muss der Verkäufer seine "
            "Umsatzsteuer-Identifikationsnummer (BT-31) oder Steuernummer (BT-32) angeben, oder es "
            "muss die USt-IdNr. eines Steuervertreters (BT-63) vorhanden sein. Bitte eine dieser "
            "Angaben ergänzen."
        ),
        en=(
            "The invoice has an invoice line whose VAT category (BT-151) is L (IGIC, Canary "
            "Islands). The seller then has to give its VAT identifier (BT-31) or tax registration "
            "identifier (BT-32), or a tax representative's VAT identifier (BT-63) must be present. "
            "Add one of them."
        ),
        terms=("BT-151", "BT-31", "BT-32", "BT-63"),
    ),
    "BR-AF-03": RuleText(
        de=(
            "Die Rechnung enthält einen Nachlass auf Dokumentenebene, dessen Umsatzsteuerkategorie "
            "(BT-95) L (IGIC, Kanarische Inseln) ist. Dann muss der Verkäufer seine "
            "Umsatzsteuer-Identifikationsnummer (BT-31) oder Steuernummer (BT-32) angeben, oder es "
            "muss die USt-IdNr. eines Steuervertreters (BT-63) vorhanden sein. Bitte eine dieser "
            "Angaben ergänzen."
        ),
        en=(
            "The invoice has a document level allowance whose VAT category (BT-95) is L (IGIC, "
            "Canary Islands). The seller then has to give its VAT identifier (BT-31) or tax "
            "registration identifier (BT-32), or a tax representative's VAT identifier (BT-63) "
            "must be present. Add one of them."
        ),
        terms=("BT-95", "BT-31", "BT-32", "BT-63"),
    ),
    "BR-AF-04": RuleText(
        de=(
            "Die Rechnung enthält einen Zuschlag auf Dokumentenebene, dessen Umsatzsteuerkategorie "
            "(BT-102) L (IGIC, Kanarische Inseln) ist. Dann muss der Verkäufer seine "
            "Umsatzsteuer-Identifikationsnummer (BT-31) oder Steuernummer (BT-32) angeben, oder es "
            "muss die USt-IdNr. eines Steuervertreters (BT-63) vorhanden sein. Bitte eine dieser "
            "Angaben ergänzen."
        ),
        en=(
            "The invoice has a document level charge whose VAT category (BT-102) is L (IGIC, "
            "Canary Islands). The seller then has to give its VAT identifier (BT-31) or tax "
            "registration identifier (BT-32), or a tax representative's VAT identifier (BT-63) "
            "must be present. Add one of them."
        ),
        terms=("BT-102", "BT-31", "BT-32", "BT-63"),
    ),
    "BR-AF-05": RuleText(
        de=(
            "Bei einer Rechnungsposition, deren Umsatzsteuerkategorie (BT-151) L (IGIC, Kanarische "
            "Inseln) ist, muss der Steuersatz (BT-152) angegeben sein und darf nicht negativ sein "
            "(in CII-Rechnungen größer als 0). Bitte den geltenden Satz dieser Steuer angeben."
        ),
        en=(
            "For an invoice line whose VAT category (BT-151) is L (IGIC, Canary Islands), the rate "
            "(BT-152) must be given and must not be negative (in CII invoices greater than 0). "
            "Give the applicable rate of that tax."
        ),
        terms=("BT-151", "BT-152"),
    ),
    "BR-AF-06": RuleText(
        de=(
            "Bei einem Nachlass auf Dokumentenebene, dessen Umsatzsteuerkategorie (BT-95) L (IGIC, "
            "Kanarische Inseln) ist, muss der Steuersatz (BT-96) angegeben sein und darf nicht "
            "negativ sein. Bitte den geltenden Satz dieser Steuer angeben."
        ),
        en=(
            "For a document level allowance whose VAT category (BT-95) is L (IGIC, Canary "
            "Islands), the rate (BT-96) must be given and must not be negative. Give the "
            "applicable rate of that tax."
        ),
        terms=("BT-95", "BT-96"),
    ),
    "BR-AF-07": RuleText(
        de=(
            "Bei einem Zuschlag auf Dokumentenebene, dessen Umsatzsteuerkategorie (BT-102) L "
            "(IGIC, Kanarische Inseln) ist, muss der Steuersatz (BT-103) angegeben sein und darf "
            "nicht negativ sein. Bitte den geltenden Satz dieser Steuer angeben."
        ),
        en=(
            "For a document level charge whose VAT category (BT-102) is L (IGIC, Canary Islands), "
            "the rate (BT-103) must be given and must not be negative. Give the applicable rate of "
            "that tax."
        ),
        terms=("BT-102", "BT-103"),
    ),
    "BR-AF-08": RuleText(
        de=(
            "In der Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie L (IGIC, "
            "Kanarische Inseln) stimmt die Bemessungsgrundlage (BT-116) für einen Steuersatz "
            "(BT-119) nicht. Sie muss die Summe der Positionsnettobeträge (BT-131) plus Zuschläge "
            "(BT-99) minus Nachlässe (BT-92) auf Dokumentenebene sein, jeweils nur derjenigen mit "
            "dieser Kategorie und genau diesem Satz (BT-152, BT-103, BT-96). Bitte je Steuersatz "
            "neu summieren."
        ),
        en=(
            "In the VAT breakdown (BG-23) for VAT category L (IGIC, Canary Islands) the taxable "
            "amount (BT-116) of a rate (BT-119) is wrong. It must be the sum of line net amounts "
            "(BT-131) plus document level charges (BT-99) minus document level allowances (BT-92), "
            "counting only those with this category and exactly this rate (BT-152, BT-103, BT-96). "
            "Recompute the total per rate."
        ),
        terms=(
            "BG-23",
            "BT-116",
            "BT-119",
            "BT-131",
            "BT-99",
            "BT-92",
            "BT-152",
            "BT-103",
            "BT-96",
        ),
    ),
    "BR-AF-09": RuleText(
        de=(
            "In der Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie L (IGIC, "
            "Kanarische Inseln) stimmt der Steuerbetrag (BT-117) nicht: er muss "
            "Bemessungsgrundlage (BT-116) mal Steuersatz (BT-119) geteilt durch 100 sein. Bitte "
            "neu berechnen und auf zwei Nachkommastellen runden."
        ),
        en=(
            "In the VAT breakdown (BG-23) for VAT category L (IGIC, Canary Islands) the tax amount "
            "(BT-117) is wrong: it must be the taxable amount (BT-116) times the rate (BT-119) "
            "divided by 100. Recompute it and round to two decimals."
        ),
        terms=("BG-23", "BT-117", "BT-116", "BT-119"),
    ),
    "BR-AF-10": RuleText(
        de=(
            "Die Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie L (IGIC, Kanarische "
            "Inseln) darf keinen Befreiungsgrund enthalten, weder als Code (BT-121) noch als Text "
            "(BT-120). Bitte den Befreiungsgrund entfernen oder, wenn der Umsatz tatsächlich "
            "befreit ist, die passende Kategorie verwenden (zum Beispiel E)."
        ),
        en=(
            "The VAT breakdown (BG-23) for VAT category L (IGIC, Canary Islands) must not contain "
            "an exemption reason, neither as code (BT-121) nor as text (BT-120). Remove it or, if "
            "the supply really is exempt, use the fitting category (for example E)."
        ),
        terms=("BG-23", "BT-121", "BT-120"),
    ),
    # --- BR-AG -----------------------------------------------------------------------------------
    "BR-AG-01": RuleText(
        de=(
            "Die Rechnung verwendet bei einer Position (BT-151), einem Nachlass (BT-95) oder einem "
            "Zuschlag (BT-102) die Umsatzsteuerkategorie M (IPSI, Ceuta und Melilla), aber die "
            "Umsatzsteueraufschlüsselung (BG-23) enthält keine Gruppe mit dem Code M (BT-118). "
            "Bitte für jeden verwendeten Steuersatz dieser Kategorie eine Aufschlüsselung "
            "ergänzen."
        ),
        en=(
            "The invoice uses VAT category M (IPSI, Ceuta and Melilla) on a line (BT-151), "
            "allowance (BT-95) or charge (BT-102), but the VAT breakdown (BG-23) has no group with "
            "code M (BT-118). Add a breakdown for each rate of this category that is used."
        ),
        terms=("BT-151", "BT-95", "BT-102", "BG-23", "BT-118"),
    ),
    "BR-AG-02": RuleText(
        de=(
            "Die Rechnung enthält eine Rechnungsposition, deren Umsatzsteuerkategorie (BT-151) M "
            "(IPSI, Ceuta und Melilla) ist. Dann muss der Verkäufer seine "
            "Umsatzsteuer-Identifikationsnummer (BT-31) oder Steuernummer (BT-32) angeben, oder es "
            "muss die USt-IdNr. eines Steuervertreters (BT-63) vorhanden sein. Bitte eine dieser "
            "Angaben ergänzen."
        ),
        en=(
            "The invoice has an invoice line whose VAT category (BT-151) is M (IPSI, Ceuta and "
            "Melilla). The seller then has to give its VAT identifier (BT-31) or tax registration "
            "identifier (BT-32), or a tax representative's VAT identifier (BT-63) must be present. "
            "Add one of them."
        ),
        terms=("BT-151", "BT-31", "BT-32", "BT-63"),
    ),
    "BR-AG-03": RuleText(
        de=(
            "Die Rechnung enthält einen Nachlass auf Dokumentenebene, dessen Umsatzsteuerkategorie "
            "(BT-95) M (IPSI, Ceuta und Melilla) ist. Dann muss der Verkäufer seine "
            "Umsatzsteuer-Identifikationsnummer (BT-31) oder Steuernummer (BT-32) angeben, oder es "
            "muss die USt-IdNr. eines Steuervertreters (BT-63) vorhanden sein. Bitte eine dieser "
            "Angaben ergänzen."
        ),
        en=(
            "The invoice has a document level allowance whose VAT category (BT-95) is M (IPSI, "
            "Ceuta and Melilla). The seller then has to give its VAT identifier (BT-31) or tax "
            "registration identifier (BT-32), or a tax representative's VAT identifier (BT-63) "
            "must be present. Add one of them."
        ),
        terms=("BT-95", "BT-31", "BT-32", "BT-63"),
    ),
    "BR-AG-04": RuleText(
        de=(
            "Die Rechnung enthält einen Zuschlag auf Dokumentenebene, dessen Umsatzsteuerkategorie "
            "(BT-102) M (IPSI, Ceuta und Melilla) ist. Dann muss der Verkäufer seine "
            "Umsatzsteuer-Identifikationsnummer (BT-31) oder Steuernummer (BT-32) angeben, oder es "
            "muss die USt-IdNr. eines Steuervertreters (BT-63) vorhanden sein. Bitte eine dieser "
            "Angaben ergänzen."
        ),
        en=(
            "The invoice has a document level charge whose VAT category (BT-102) is M (IPSI, Ceuta "
            "and Melilla). The seller then has to give its VAT identifier (BT-31) or tax "
            "registration identifier (BT-32), or a tax representative's VAT identifier (BT-63) "
            "must be present. Add one of them."
        ),
        terms=("BT-102", "BT-31", "BT-32", "BT-63"),
    ),
    "BR-AG-05": RuleText(
        de=(
            "Bei einer Rechnungsposition, deren Umsatzsteuerkategorie (BT-151) M (IPSI, Ceuta und "
            "Melilla) ist, muss der Steuersatz (BT-152) angegeben sein und darf nicht negativ "
            "sein. Bitte den geltenden Satz dieser Steuer angeben."
        ),
        en=(
            "For an invoice line whose VAT category (BT-151) is M (IPSI, Ceuta and Melilla), the "
            "rate (BT-152) must be given and must not be negative. Give the applicable rate of "
            "that tax."
        ),
        terms=("BT-151", "BT-152"),
    ),
    "BR-AG-06": RuleText(
        de=(
            "Bei einem Nachlass auf Dokumentenebene, dessen Umsatzsteuerkategorie (BT-95) M (IPSI, "
            "Ceuta und Melilla) ist, muss der Steuersatz (BT-96) angegeben sein und darf nicht "
            "negativ sein. Bitte den geltenden Satz dieser Steuer angeben."
        ),
        en=(
            "For a document level allowance whose VAT category (BT-95) is M (IPSI, Ceuta and "
            "Melilla), the rate (BT-96) must be given and must not be negative. Give the "
            "applicable rate of that tax."
        ),
        terms=("BT-95", "BT-96"),
    ),
    "BR-AG-07": RuleText(
        de=(
            "Bei einem Zuschlag auf Dokumentenebene, dessen Umsatzsteuerkategorie (BT-102) M "
            "(IPSI, Ceuta und Melilla) ist, muss der Steuersatz (BT-103) angegeben sein und darf "
            "nicht negativ sein. Bitte den geltenden Satz dieser Steuer angeben."
        ),
        en=(
            "For a document level charge whose VAT category (BT-102) is M (IPSI, Ceuta and "
            "Melilla), the rate (BT-103) must be given and must not be negative. Give the "
            "applicable rate of that tax."
        ),
        terms=("BT-102", "BT-103"),
    ),
    "BR-AG-08": RuleText(
        de=(
            "In der Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie M (IPSI, Ceuta "
            "und Melilla) stimmt die Bemessungsgrundlage (BT-116) für einen Steuersatz (BT-119) "
            "nicht. Sie muss die Summe der Positionsnettobeträge (BT-131) plus Zuschläge (BT-99) "
            "minus Nachlässe (BT-92) auf Dokumentenebene sein, jeweils nur derjenigen mit dieser "
            "Kategorie und genau diesem Satz (BT-152, BT-103, BT-96). Bitte je Steuersatz neu "
            "summieren."
        ),
        en=(
            "In the VAT breakdown (BG-23) for VAT category M (IPSI, Ceuta and Melilla) the taxable "
            "amount (BT-116) of a rate (BT-119) is wrong. It must be the sum of line net amounts "
            "(BT-131) plus document level charges (BT-99) minus document level allowances (BT-92), "
            "counting only those with this category and exactly this rate (BT-152, BT-103, BT-96). "
            "Recompute the total per rate."
        ),
        terms=(
            "BG-23",
            "BT-116",
            "BT-119",
            "BT-131",
            "BT-99",
            "BT-92",
            "BT-152",
            "BT-103",
            "BT-96",
        ),
    ),
    "BR-AG-09": RuleText(
        de=(
            "In der Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie M (IPSI, Ceuta "
            "und Melilla) stimmt der Steuerbetrag (BT-117) nicht: er muss Bemessungsgrundlage "
            "(BT-116) mal Steuersatz (BT-119) geteilt durch 100 sein. Bitte neu berechnen und auf "
            "zwei Nachkommastellen runden."
        ),
        en=(
            "In the VAT breakdown (BG-23) for VAT category M (IPSI, Ceuta and Melilla) the tax "
            "amount (BT-117) is wrong: it must be the taxable amount (BT-116) times the rate "
            "(BT-119) divided by 100. Recompute it and round to two decimals."
        ),
        terms=("BG-23", "BT-117", "BT-116", "BT-119"),
    ),
    "BR-AG-10": RuleText(
        de=(
            "Die Umsatzsteueraufschlüsselung (BG-23) der Umsatzsteuerkategorie M (IPSI, Ceuta und "
            "Melilla) darf keinen Befreiungsgrund enthalten, weder als Code (BT-121) noch als Text "
            "(BT-120). Bitte den Befreiungsgrund entfernen oder, wenn der Umsatz tatsächlich "
            "befreit ist, die passende Kategorie verwenden (zum Beispiel E)."
        ),
        en=(
            "The VAT breakdown (BG-23) for VAT category M (IPSI, Ceuta and Melilla) must not "
            "contain an exemption reason, neither as code (BT-121) nor as text (BT-120). Remove it "
            "or, if the supply really is exempt, use the fitting category (for example E)."
        ),
        terms=("BG-23", "BT-121", "BT-120"),
    ),
}
"""Explanations by official rule id ("BR-01", "BR-CO-10", "BR-S-08", ...)."""


_UNUSED_ELEMENT = RuleText(
    de=(
        "Das Element wird von der EN 16931 nicht verwendet und sollte entfernt werden. Meist "
        "ist das nur ein Hinweis: Der Inhalt wird bei der Verarbeitung nicht ausgewertet, "
        "Angaben darin gehen also verloren. Bitte die Rechnungssoftware so einstellen, dass sie "
        "das Element nicht mehr ausgibt, und die Angaben in den dafür vorgesehenen Feldern "
        "übermitteln. Wird der Befund als Fehler gemeldet, ist die Angabe in dieser Form "
        "unzulässig (etwa weil sie öfter als erlaubt vorkommt) und muss korrigiert werden."
    ),
    en=(
        "The element is not used by EN 16931 and should be removed. Usually this is only a "
        "warning: the content is ignored when the invoice is processed, so anything in it is "
        "lost. Configure the invoicing software not to write the element, and send the "
        "information in the fields meant for it. If the finding is reported as an error, the "
        "element is not allowed in this form (for example it occurs more often than permitted) "
        "and must be corrected."
    ),
    terms=(),
)

_DATA_TYPE = RuleText(
    de=(
        "Ein Wert oder Attribut entspricht nicht den Formatvorgaben der EN 16931 für seinen "
        "Datentyp, zum Beispiel ein Betrag mit mehr als zwei Nachkommastellen, ein Datum, das "
        "nicht im Format JJJJMMTT steht, oder ein Attribut, das die Norm nicht vorsieht (etwa "
        "schemeName oder listAgencyID). Bitte den Wert im vorgeschriebenen Format angeben "
        "bzw. das überzählige Attribut entfernen."
    ),
    en=(
        "A value or attribute does not follow the EN 16931 format for its data type, for "
        "example an amount with more than two decimals, a date not written as YYYYMMDD, or an "
        "attribute the standard does not provide for (such as schemeName or listAgencyID). "
        "Write the value in the required format or remove the superfluous attribute."
    ),
    terms=(),
)

_UBL_SYNTAX = RuleText(
    de=(
        "Die UBL-Datei verletzt eine Einschränkung, die die EN 16931 für die UBL-Syntax "
        "festlegt. Meist kommt eine Angabe öfter vor als erlaubt (zum Beispiel mehrere "
        "Zahlungsbedingungen, Rechnungszeiträume oder Namen einer Partei), oder eine "
        "zusammengehörige Angabe ist unvollständig. Bitte doppelte Angaben zu einer "
        "zusammenfassen bzw. die fehlende Angabe ergänzen; die Meldung nennt das betroffene "
        "Element."
    ),
    en=(
        "The UBL file breaks a restriction EN 16931 places on the UBL syntax. Mostly an "
        "element occurs more often than allowed (for example several payment terms, invoicing "
        "periods or party names), or related information is incomplete. Merge duplicates into "
        "one or add what is missing; the message names the element concerned."
    ),
    terms=(),
)

_FAMILIES: tuple[tuple[str, RuleText], ...] = (
    ("UBL-CR-", _UNUSED_ELEMENT),
    ("CII-SR-", _UNUSED_ELEMENT),
    ("UBL-DT-", _DATA_TYPE),
    ("CII-DT-", _DATA_TYPE),
    ("UBL-SR-", _UBL_SYNTAX),
)


def explain(rule_id: str) -> RuleText | None:
    """The explanation of an official rule id, or None if there is none.

    Ids are matched without regard to case and surrounding blanks; a last number without its
    leading zero is accepted too ("BR-CO-9" finds "BR-CO-09").
    """
    key = rule_id.strip().upper()
    text = RULE_TEXTS.get(key)
    if text is not None:
        return text
    head, _, number = key.rpartition("-")
    if head and number.isdigit() and len(number) == 1:
        text = RULE_TEXTS.get(f"{head}-0{number}")
        if text is not None:
            return text
    for prefix, family_text in _FAMILIES:
        if key.startswith(prefix):
            return family_text
    return None
