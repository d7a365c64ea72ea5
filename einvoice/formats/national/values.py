"""Small value helpers with XPath semantics, shared by the national rules.

The official rules are XPath 2.0 expressions; these helpers reproduce the few
XPath behaviours the checks depend on (``normalize-space``, ``xs:decimal``
casts, the Peppol "slack" comparison) so that Python code and Schematron agree
on edge cases. Amounts are always :class:`decimal.Decimal`, never floats.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation, localcontext

from lxml import etree

# XML whitespace only (XPath's normalize-space ignores e.g. NBSP).
_XML_WS = re.compile(r"[ \t\r\n]+")
# The lexical space of xs:decimal: no exponent, no NaN/INF.
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")

# Enough digits for XPath decimal arithmetic (Saxon keeps at least 18).
DECIMAL_PRECISION = 40


def normalize_space(text: str | None) -> str:
    """XPath ``normalize-space``: trim and collapse XML whitespace."""
    if not text:
        return ""
    return _XML_WS.sub(" ", text).strip(" ")


def text_of(node: etree._Element | None) -> str:
    """The string value of an element (all descendant text), like XPath ``string()``."""
    if node is None:
        return ""
    if len(node) == 0:  # the common case: a leaf element
        return node.text or ""
    return "".join(node.itertext())


def norm(node: etree._Element | None) -> str:
    """``normalize-space`` of an element's string value."""
    return normalize_space(text_of(node))


def has_text(nodes: Iterable[etree._Element]) -> bool:
    """True when one of ``nodes`` has non-blank content (``x[boolean(normalize-space(.))]``)."""
    return any(norm(node) for node in nodes)


def to_decimal(text: str | None) -> Decimal | None:
    """Cast like ``xs:decimal``: surrounding whitespace allowed; ``None`` if not a decimal."""
    if text is None:
        return None
    candidate = text.strip(" \t\r\n")
    if not _DECIMAL.fullmatch(candidate):
        return None
    try:
        return Decimal(candidate)
    except InvalidOperation:  # pragma: no cover - the regex rules this out
        return None


def decimal_of(node: etree._Element | None) -> Decimal | None:
    """``xs:decimal(node)`` or ``None`` when the element is absent or not a number."""
    if node is None:
        return None
    return to_decimal(text_of(node))


def divide(numerator: Decimal, denominator: Decimal) -> Decimal:
    """Decimal division with XPath-like precision."""
    with localcontext() as ctx:
        ctx.prec = DECIMAL_PRECISION
        return numerator / denominator


def within(expected: Decimal, actual: Decimal, slack: Decimal) -> bool:
    """The Peppol ``u:slack`` function: ``actual`` lies within ``expected`` +/- ``slack``."""
    with localcontext() as ctx:
        ctx.prec = DECIMAL_PRECISION
        return expected - slack <= actual <= expected + slack


def round_half_up_2(value: Decimal) -> Decimal:
    """XPath ``round(x * 100) div 100``: round half towards positive infinity, 2 places."""
    with localcontext() as ctx:
        ctx.prec = DECIMAL_PRECISION
        scaled = value * 100
        floor = scaled.to_integral_value(rounding="ROUND_FLOOR")
        rounded = floor + 1 if scaled - floor >= Decimal("0.5") else floor
        return rounded / 100


def fraction_digits(text: str) -> int:
    """Number of characters after the first '.' (``string-length(substring-after(x, '.'))``)."""
    _, dot, rest = text.partition(".")
    return len(rest) if dot else 0
