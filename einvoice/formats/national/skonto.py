"""Skonto (cash discount) terms in BT-20 "Payment terms" (rule BR-DE-18).

XRechnung carries cash discount terms as lines of the payment terms text::

    #SKONTO#TAGE=14#PROZENT=2.00#
    #SKONTO#TAGE=30#PROZENT=1.00#BASISBETRAG=123.45#

Each line starts with ``#``, the segments are separated by ``#`` and the line
ends with ``#``; keywords are upper case, no extra whitespace, the percentage
has exactly two decimals after a point, the optional base amount is an amount
with two decimals (it may be negative). Each complete entry must be followed
by a line break. Lines that do not start with ``#`` are free text.

:func:`parse_payment_terms` returns the structured terms (for the approval
workflow: days, percent, base amount) and the problems BR-DE-18 reports.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from einvoice.domain.findings import Syntax
from einvoice.domain.skonto import SkontoTerm  # one term type for validation and model
from einvoice.formats.national.model import compile_xpath, elements
from einvoice.formats.national.values import normalize_space, text_of
from einvoice.formats.xmldoc import XmlDocument

SKONTO_LINE = re.compile(
    r"#SKONTO#TAGE=(?P<days>[0-9]+)#PROZENT=(?P<percent>[0-9]+\.[0-9]{2})"
    r"(?:#BASISBETRAG=(?P<base>-?[0-9]+\.[0-9]{2}))?#"
)
_LINE_BREAK = re.compile(r"\r?\n")
# One "#...#" run on a line (XPath '.' does not match CR or LF).
_ENTRY = re.compile(r"#[^\r\n]+#")
# What must follow the last entry: optional whitespace, then a line feed.
_TAIL_OK = re.compile(r"[ \t\r\n]*\n")


@dataclass(frozen=True, slots=True)
class SkontoProblem:
    """A BR-DE-18 violation: which line (1-based, 0 for the whole text) and why."""

    line: int
    text: str
    reason_de: str
    reason_en: str


@dataclass(frozen=True, slots=True)
class SkontoParse:
    terms: tuple[SkontoTerm, ...]
    problems: tuple[SkontoProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_payment_terms(text: str | None) -> SkontoParse:
    """Extract the Skonto lines of a BT-20 text and check their exact syntax."""
    if not text:
        return SkontoParse((), ())
    terms: list[SkontoTerm] = []
    problems: list[SkontoProblem] = []
    entry_lines = 0
    for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
        line = normalize_space(raw)
        if not line.startswith("#"):
            continue  # free text
        entry_lines += 1
        match = SKONTO_LINE.fullmatch(line)
        if match is None:
            de, en = _diagnose(line)
            problems.append(SkontoProblem(number, line, de, en))
            continue
        base = match.group("base")
        terms.append(
            SkontoTerm(
                int(match.group("days")),
                Decimal(match.group("percent")),
                Decimal(base) if base is not None else None,
            )
        )
    if entry_lines and not _TAIL_OK.match(_tail_after_last_entry(text)):
        problems.append(
            SkontoProblem(
                0,
                "",
                "Nach der letzten Skonto-Angabe fehlt der Zeilenumbruch (oder es folgt noch "
                "Text in derselben Zeile).",
                "The last Skonto entry is not followed by a line break (or more text follows "
                "on the same line).",
            )
        )
    return SkontoParse(tuple(terms), tuple(problems))


_BT20 = {
    Syntax.UBL_INVOICE: compile_xpath("/*/cac:PaymentTerms/cbc:Note"),
    Syntax.UBL_CREDIT_NOTE: compile_xpath("/*/cac:PaymentTerms/cbc:Note"),
    Syntax.CII: compile_xpath(
        "/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
        "/ram:ApplicableHeaderTradeSettlement/ram:SpecifiedTradePaymentTerms/ram:Description"
    ),
}


def skonto_terms(doc: XmlDocument) -> tuple[SkontoTerm, ...]:
    """The well-formed Skonto terms in BT-20 of an invoice (UBL or CII), for deadline tracking.

    Malformed lines are left out here; BR-DE-18 reports them.
    """
    path = _BT20.get(doc.syntax)
    if path is None:
        return ()
    terms: list[SkontoTerm] = []
    for note in elements(path(doc.root)):
        terms.extend(parse_payment_terms(text_of(note)).terms)
    return tuple(terms)


def _tail_after_last_entry(text: str) -> str:
    """The text after the last ``#...#`` run (XPath ``tokenize(., '#.+#')[last()]``)."""
    last_end = -1
    for match in _ENTRY.finditer(text):
        last_end = match.end()
    return text if last_end < 0 else text[last_end:]


def _diagnose(line: str) -> tuple[str, str]:
    """A plain reason why a ``#`` line is not a valid Skonto entry."""
    if " " in line:
        return (
            "Die Zeile enthält Leerzeichen; zwischen den Segmenten ist kein Leerraum erlaubt.",
            "The line contains spaces; no whitespace is allowed between the segments.",
        )
    if SKONTO_LINE.fullmatch(line.upper()):
        return (
            "Die Schlüsselwörter SKONTO, TAGE, PROZENT und BASISBETRAG müssen in "
            "Großbuchstaben geschrieben werden.",
            "The keywords SKONTO, TAGE, PROZENT and BASISBETRAG must be upper case.",
        )
    if "," in line:
        return (
            "Zahlen müssen einen Dezimalpunkt haben, kein Komma (z. B. PROZENT=2.00).",
            "Numbers must use a decimal point, not a comma (e.g. PROZENT=2.00).",
        )
    if line.count("#SKONTO#") > 1 or "##" in line:
        return (
            "Mehrere Angaben stehen in einer Zeile; jede Skonto-Angabe braucht eine eigene Zeile.",
            "Several entries share one line; each Skonto entry needs a line of its own.",
        )
    if not line.startswith("#SKONTO#"):
        return (
            "Nur Skonto-Angaben dürfen mit '#' beginnen; das erste Segment muss SKONTO lauten.",
            "Only Skonto entries may start with '#'; the first segment must be SKONTO.",
        )
    return (
        "Die Zeile entspricht nicht dem Muster #SKONTO#TAGE=n#PROZENT=n.nn# (optional "
        "BASISBETRAG=n.nn#): Prozent und Basisbetrag brauchen genau zwei Nachkommastellen, "
        "nach dem letzten '#' darf nichts folgen.",
        "The line does not follow #SKONTO#TAGE=n#PROZENT=n.nn# (optionally BASISBETRAG=n.nn#): "
        "percent and base amount need exactly two decimals, nothing may follow the final '#'.",
    )
