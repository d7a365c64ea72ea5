"""Choose the rule sets for a document from its specification identifier (BT-24).

Mirrors the scenario policy of the official KoSIT configuration (see
``../shared/docs/validation-notes.md``): XRechnung 3.0 (standard, extension,
CVD), the Factur-X / ZUGFeRD 2.x profiles, plain EN 16931 and its other
CIUS, and everything else rejected (but still checked against XRechnung 3.0).
"""

from __future__ import annotations

from dataclasses import dataclass

from einvoice.domain.findings import Scenario, Syntax
from einvoice.formats.xmldoc import XmlDocument

EN16931 = "urn:cen.eu:en16931:2017"
XRECHNUNG_3 = EN16931 + "#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
XRECHNUNG_3_EXTENSION = XRECHNUNG_3 + "#conformant#urn:xeinkauf.de:kosit:extension:xrechnung_3.0"
XRECHNUNG_3_CVD = XRECHNUNG_3 + "#compliant#urn:xeinkauf.de:kosit:xrechnung:cvd_0.9"

FACTURX_PROFILES: dict[str, tuple[Scenario, str]] = {
    "urn:factur-x.eu:1p0:minimum": (Scenario.FACTURX_MINIMUM, "MINIMUM"),
    "urn:factur-x.eu:1p0:basicwl": (Scenario.FACTURX_BASICWL, "BASIC WL"),
    EN16931 + "#compliant#urn:factur-x.eu:1p0:basic": (Scenario.FACTURX_BASIC, "BASIC"),
    EN16931 + "#conformant#urn:factur-x.eu:1p0:extended": (Scenario.FACTURX_EXTENDED, "EXTENDED"),
    # ZUGFeRD 2.0 spelled the same profiles in its own namespace.
    "urn:zugferd.de:2p0:minimum": (Scenario.FACTURX_MINIMUM, "MINIMUM"),
    "urn:zugferd.de:2p0:basicwl": (Scenario.FACTURX_BASICWL, "BASIC WL"),
    EN16931 + "#compliant#urn:zugferd.de:2p0:basic": (Scenario.FACTURX_BASIC, "BASIC"),
    EN16931 + "#conformant#urn:zugferd.de:2p0:extended": (Scenario.FACTURX_EXTENDED, "EXTENDED"),
}

XRECHNUNG_IDS: dict[str, Scenario] = {
    XRECHNUNG_3: Scenario.XRECHNUNG,
    XRECHNUNG_3_EXTENSION: Scenario.XRECHNUNG_EXTENSION,
    XRECHNUNG_3_CVD: Scenario.XRECHNUNG_CVD,
}

# The Factur-X profile ids only apply to CII; UBL documents are never Factur-X.
BT24_XPATH = {
    Syntax.UBL_INVOICE: "/ubl:Invoice/cbc:CustomizationID",
    Syntax.UBL_CREDIT_NOTE: "/cn:CreditNote/cbc:CustomizationID",
    Syntax.CII: (
        "/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext"
        "/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"
    ),
}


@dataclass(frozen=True, slots=True)
class ScenarioChoice:
    scenario: Scenario
    specification_id: str | None  # BT-24 as written (stripped), None if absent
    profile: str | None  # human name: "XRechnung 3.0", "EXTENDED", "EN 16931", ...
    reason_de: str = ""  # why no scenario matched (Scenario.NONE only)
    reason_en: str = ""

    @property
    def national_scenario(self) -> Scenario | None:
        """The XRechnung scenario whose national rules run, if any."""
        if self.scenario.is_xrechnung:
            return self.scenario
        if self.scenario is Scenario.NONE:
            return Scenario.XRECHNUNG  # checked against the format the city expects
        return None


def specification_identifier(doc: XmlDocument) -> str | None:
    path = BT24_XPATH.get(doc.syntax)
    if path is None:
        return None
    hits = doc.xpath(path)
    if not hits:
        return None
    return (hits[0].text or "").strip()


def _raw_specification_identifier(doc: XmlDocument) -> str | None:
    path = BT24_XPATH.get(doc.syntax)
    hits = doc.xpath(path) if path is not None else []
    return None if not hits else (hits[0].text or "")


def choose(doc: XmlDocument) -> ScenarioChoice:
    bt24 = specification_identifier(doc)
    raw = _raw_specification_identifier(doc)
    if bt24 and raw != bt24:
        # The official configuration compares the text exactly: blanks or line
        # breaks around the identifier match no scenario. The policy for the other
        # CIUS of EN 16931 (Peppol BIS ...) is a prefix match on the same text
        # (starts-with 'urn:cen.eu:en16931:2017#'): trailing blanks do not change it.
        if raw is not None and raw.startswith(EN16931 + "#") and "xrechnung" not in bt24.lower():
            return ScenarioChoice(Scenario.EN16931, bt24, "EN 16931")
        return ScenarioChoice(
            Scenario.NONE,
            bt24,
            None,
            f"Die Spezifikationskennung (BT-24) '{bt24}' ist von Leerzeichen oder "
            "Zeilenumbrüchen umgeben; sie muss ohne diese angegeben werden, sonst passt "
            "kein Prüfszenario.",
            f"The specification identifier (BT-24) '{bt24}' is surrounded by blanks or line "
            "breaks; it must be given without them, otherwise no scenario matches.",
        )
    if bt24 is None or bt24 == "":
        what_de = "fehlt" if bt24 is None else "ist leer"
        what_en = "is missing" if bt24 is None else "is empty"
        return ScenarioChoice(
            Scenario.NONE,
            bt24,
            None,
            f"Die Spezifikationskennung (BT-24) {what_de}. Erwartet wird '{XRECHNUNG_3}'.",
            f"The specification identifier (BT-24) {what_en}. Expected '{XRECHNUNG_3}'.",
        )
    if bt24 in XRECHNUNG_IDS:
        scenario = XRECHNUNG_IDS[bt24]
        name = {
            Scenario.XRECHNUNG: "XRechnung 3.0",
            Scenario.XRECHNUNG_EXTENSION: "XRechnung 3.0 Extension",
            Scenario.XRECHNUNG_CVD: "XRechnung 3.0 CVD",
        }[scenario]
        return ScenarioChoice(scenario, bt24, name)
    if doc.syntax is Syntax.CII and bt24 in FACTURX_PROFILES:
        scenario, name = FACTURX_PROFILES[bt24]
        return ScenarioChoice(scenario, bt24, name)
    lowered = bt24.lower()
    if "xrechnung" in lowered:
        return ScenarioChoice(
            Scenario.NONE,
            bt24,
            None,
            f"Die Spezifikationskennung (BT-24) '{bt24}' bezeichnet eine XRechnung-Version, "
            f"die nicht mehr angenommen wird. Gültig ist XRechnung 3.0: '{XRECHNUNG_3}'.",
            f"The specification identifier (BT-24) '{bt24}' names an XRechnung version that "
            f"is no longer accepted. Valid is XRechnung 3.0: '{XRECHNUNG_3}'.",
        )
    if bt24 == EN16931 or bt24.startswith(EN16931 + "#"):
        return ScenarioChoice(Scenario.EN16931, bt24, "EN 16931")
    return ScenarioChoice(
        Scenario.NONE,
        bt24,
        None,
        f"Die Spezifikationskennung (BT-24) '{bt24}' ist unbekannt; kein Prüfszenario passt. "
        f"Erwartet wird XRechnung 3.0: '{XRECHNUNG_3}'.",
        f"The specification identifier (BT-24) '{bt24}' is unknown; no scenario matches. "
        f"Expected XRechnung 3.0: '{XRECHNUNG_3}'.",
    )
