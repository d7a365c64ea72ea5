"""The declarative rule model of the XRechnung national rules.

One :class:`Rule` per official rule id: id, severity, the XRechnung scenarios
it belongs to, the EN 16931 business terms, the project's own German and
English message, and one check per syntax. A check receives a :class:`Doc`
and returns the offending elements (the context element of the official
rule), optionally wrapped in a :class:`Hit` that adds a detail to the message.

Checks are built from XPath expressions compiled once at import time
(:func:`xp`), or from small Python functions for rules that need real logic
(IBAN checksum, Skonto syntax, decimal arithmetic).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from lxml import etree

from einvoice.domain.findings import Scenario, Severity, Syntax
from einvoice.formats.namespaces import CII_NS, UBL_NS

# One prefix map for both syntaxes: the prefixes do not collide.
NS: dict[str, str] = {**UBL_NS, **CII_NS}

STANDARD = Scenario.XRECHNUNG
EXTENSION = Scenario.XRECHNUNG_EXTENSION
CVD = Scenario.XRECHNUNG_CVD

#: The national rule sets that exist (Scenario.NONE is checked as standard).
NATIONAL_SCENARIOS: frozenset[Scenario] = frozenset({STANDARD, EXTENSION, CVD})
ALL = NATIONAL_SCENARIOS
EXTENSION_ONLY: frozenset[Scenario] = frozenset({EXTENSION})
CVD_ONLY: frozenset[Scenario] = frozenset({CVD})

ERROR = Severity.ERROR
WARNING = Severity.WARNING
INFO = Severity.INFO


@dataclass(frozen=True, slots=True)
class Hit:
    """An offending element plus a detail that completes the rule message."""

    element: etree._Element
    detail_de: str = ""
    detail_en: str = ""


Offence: TypeAlias = "etree._Element | Hit"
Check: TypeAlias = Callable[["Doc"], Iterable[Offence]]
#: Predicate on one context element: True or a Hit when the rule is violated.
ElementTest: TypeAlias = Callable[["Doc", etree._Element], "bool | Hit | None"]
#: Predicate on the whole document (context: the root element).
DocTest: TypeAlias = Callable[["Doc"], "bool | Hit | None"]


@dataclass(slots=True)
class Doc:
    """What a check sees: the tree, its syntax and a per-document memo."""

    root: etree._Element
    syntax: Syntax
    scenario: Scenario
    _memo: dict[str, Any] = field(default_factory=dict)

    @property
    def is_credit_note(self) -> bool:
        return self.syntax is Syntax.UBL_CREDIT_NOTE

    def memo(self, key: str, compute: Callable[[], Any]) -> Any:
        """Compute a value once per document (shared by several rules)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


@dataclass(frozen=True, slots=True)
class Rule:
    """One official rule: metadata, messages and a check per syntax.

    ``ubl`` runs on UBL Invoice and UBL CreditNote, ``cii`` on CII. A rule
    without a check for a syntax does not exist in that syntax. ``cii_severity``
    is set where the official flag differs between the syntaxes.
    """

    id: str
    severity: Severity
    scenarios: frozenset[Scenario]
    terms: tuple[str, ...]
    message_de: str
    message_en: str
    ubl: Check | None = None
    cii: Check | None = None
    cii_severity: Severity | None = None

    def check_for(self, syntax: Syntax) -> Check | None:
        if syntax.is_ubl:
            return self.ubl
        if syntax is Syntax.CII:
            return self.cii
        return None

    def severity_for(self, syntax: Syntax) -> Severity:
        if syntax is Syntax.CII and self.cii_severity is not None:
            return self.cii_severity
        return self.severity

    @property
    def scenario_names(self) -> tuple[str, ...]:
        """The scenarios in a stable order: standard, extension, cvd."""
        order = (STANDARD, EXTENSION, CVD)
        return tuple(s.value for s in order if s in self.scenarios)

    @property
    def syntaxes(self) -> tuple[str, ...]:
        names: list[str] = []
        if self.ubl is not None:
            names.append("ubl")
        if self.cii is not None:
            names.append("cii")
        return tuple(names)


# --------------------------------------------------------------------------
# Check builders
# --------------------------------------------------------------------------


def compile_xpath(path: str) -> etree.XPath:
    """Compile an XPath 1.0 expression with the UBL and CII prefixes."""
    return etree.XPath(path, namespaces=NS)


def elements(result: Any) -> list[etree._Element]:
    """The elements of an XPath result (anything else is dropped)."""
    if isinstance(result, list):
        return [item for item in result if isinstance(item, etree._Element)]
    return []


def xp(path: str) -> Check:
    """A check that is one XPath: it selects the offending context elements.

    Write it as ``context[not(test)]`` for an assert with ``test`` on ``context``.
    """
    compiled = compile_xpath(path)

    def check(doc: Doc) -> list[etree._Element]:
        return elements(compiled(doc.root))

    check.__doc__ = path
    return check


def each(path: str, violated: ElementTest) -> Check:
    """Run a Python predicate on every element selected by ``path``.

    The predicate returns ``True`` (or a :class:`Hit` with details) when the
    element violates the rule, ``False``/``None`` when it is fine.
    """
    compiled = compile_xpath(path)

    def check(doc: Doc) -> Iterator[Offence]:
        for element in elements(compiled(doc.root)):
            verdict = violated(doc, element)
            if isinstance(verdict, Hit):
                yield verdict
            elif verdict:
                yield element

    check.__doc__ = path
    return check


def root_if(test: DocTest) -> Check:
    """A document-level assert: report the root element when ``test`` is violated."""

    def check(doc: Doc) -> list[Offence]:
        verdict = test(doc)
        if isinstance(verdict, Hit):
            return [verdict]
        return [doc.root] if verdict else []

    return check


def first(compiled: etree.XPath, node: etree._Element) -> etree._Element | None:
    """First element selected by a compiled relative XPath, or ``None``."""
    result = compiled(node)
    if isinstance(result, list):
        for item in result:
            if isinstance(item, etree._Element):
                return item
    return None
