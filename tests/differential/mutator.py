"""A seeded mutator of valid invoices: the same seed gives the same mutants.

Each mutant is a valid invoice of ``../shared/conformance`` (per EXPECTED.tsv)
changed by one or two operators of the kinds real documents go wrong in: an
element deleted, duplicated, emptied, moved or swapped, a number nudged, a code
or an attribute changed or removed, a date rewritten, whitespace added, a text
replaced, a scheme/list attribute emptied or set to another scheme (issue 27:
the corners where the official code lists have quirks). The mutant stays
well-formed XML.

Mutants are balanced across the scenarios (:data:`SCENARIOS`): mutant ``i``
mutates a source of scenario ``SCENARIOS[i % 5]``, so that the few extension
and CVD invoices get as many mutants as the many standard ones.
"""

from __future__ import annotations

import copy
import csv
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

Operator = Callable[[random.Random, etree._Element], "str | None"]

_NUMBER = re.compile(r"^\s*-?\d+(\.\d+)?\s*$")
_CODE = re.compile(r"^[A-Za-z0-9]{1,4}$")
_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})$")

CODE_POOL = (
    "S",
    "Z",
    "E",
    "AE",
    "K",
    "G",
    "O",
    "L",
    "M",
    "B",
    "X",
    "XX",
    "ZZZ",
    "380",
    "381",
    "384",
    "389",
    "326",
    "751",
    "875",
    "58",
    "59",
    "30",
    "31",
    "42",
    "1",
    "10",
    "97",
    "EUR",
    "USD",
    "GBP",
    "CHF",
    "XXX",
    "DE",
    "FR",
    "AT",
    "NL",
    "US",
    "C62",
    "H87",
    "XPP",
    "HUR",
    "LS",
    "ZZ",
    "VAT",
    "FC",
    "0088",
    "0204",
    "9930",
    "EM",
    "916",
    "130",
    "50",
    "102",
    "610",
    "203",
    "95",
    "AAB",
    "ABL",
    "AAA",
    "SR",
    "XYZ",
    "s",
    "eur",
    "",
)
ATTRIBUTE_POOL = (
    "EUR",
    "USD",
    "XXX",
    "C62",
    "H87",
    "XYZ",
    "0088",
    "9930",
    "EM",
    "102",
    "610",
    "203",
    "VA",
    "BLA",
    "",
    " EUR",
)


# Scheme and list identifiers a supplier's software might write (issue 27): the
# extension's DiGA codes, SEPA, ICD and EAS codes, UNTDID 7143 and the CVD list, codes
# that exist in no list, lower case, blanks.
SCHEME_POOL = (
    "XR01",
    "XR02",
    "XR03",
    "XR04",
    "SEPA",
    "0088",
    "0204",
    "9930",
    "0002",
    "0060",
    "0160",
    "9999",
    "EM",
    "em",
    "AN",
    "CVD",
    "cvd",
    "IB",
    "AA",
    "ZZZ",
    "STI",
    "VA",
    "XX",
    "",
    " ",
    " EM ",
)
SCHEME_ATTRIBUTES = ("schemeID", "listID")
# Identifier elements that may carry a scheme/list attribute in one of the syntaxes.
SCHEMED_NAMES = frozenset(
    {
        "EndpointID",
        "ID",
        "CompanyID",
        "ItemClassificationCode",
        "GlobalID",
        "URIID",
        "ClassCode",
    }
)

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)

#: The scenarios the mutants are balanced across.
SCENARIOS = ("standard", "extension", "cvd", "cii", "creditnote")


@dataclass(frozen=True)
class Mutant:
    id: str  # "<seed>:<index>"
    source: str  # path relative to the conformance folder
    operations: tuple[str, ...]
    data: bytes
    scenario: str = ""  # one of SCENARIOS


def valid_sources(conformance: Path) -> list[str]:
    """The XML invoices that EXPECTED.tsv lists as valid."""
    return sorted(scenario_sources(conformance)[0])


def scenario_sources(conformance: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """(file -> EXPECTED scenario, mutation scenario -> files) of the valid XML invoices.

    extension and cvd: by the official scenario; creditnote: UBL CreditNote roots; cii:
    the other CII invoices; standard: the other UBL invoices (XRechnung and EN 16931).
    """
    with (conformance / "EXPECTED.tsv").open(encoding="utf-8") as handle:
        rows = {
            row["file"]: row["scenario"]
            for row in csv.DictReader(handle, delimiter="\t")
            if row["verdict"] == "valid" and row["file"].endswith(".xml")
        }
    groups: dict[str, list[str]] = {name: [] for name in SCENARIOS}
    for name, official in sorted(rows.items()):
        root = etree.parse(str(conformance / name), _PARSER).getroot()
        namespace = etree.QName(root).namespace or ""
        if official in ("extension", "cvd"):
            groups[official].append(name)
        elif namespace.endswith(":CreditNote-2"):
            groups["creditnote"].append(name)
        elif namespace.endswith(":CrossIndustryInvoice:100"):
            groups["cii"].append(name)
        else:
            groups["standard"].append(name)
    return rows, groups


def _elements(root: etree._Element) -> list[etree._Element]:
    return [e for e in root.iter() if isinstance(e.tag, str) and e is not root]


def _path(element: etree._Element) -> str:
    return str(element.getroottree().getpath(element))


def _pick(rng: random.Random, items: list[etree._Element]) -> etree._Element | None:
    return rng.choice(items) if items else None


def delete(rng: random.Random, root: etree._Element) -> str | None:
    element = _pick(rng, _elements(root))
    if element is None:
        return None
    where = _path(element)
    parent = element.getparent()
    assert parent is not None
    parent.remove(element)
    return f"delete {where}"


def duplicate(rng: random.Random, root: etree._Element) -> str | None:
    element = _pick(rng, _elements(root))
    if element is None:
        return None
    element.addnext(copy.deepcopy(element))
    return f"duplicate {_path(element)}"


def empty(rng: random.Random, root: etree._Element) -> str | None:
    element = _pick(rng, [e for e in _elements(root) if len(e) or (e.text or "").strip()])
    if element is None:
        return None
    for child in list(element):
        element.remove(child)
    element.text = rng.choice(("", " "))
    return f"empty {_path(element)}"


def swap(rng: random.Random, root: etree._Element) -> str | None:
    element = _pick(rng, [e for e in _elements(root) if e.getnext() is not None])
    if element is None:
        return None
    following = element.getnext()
    assert following is not None
    following.addnext(element)
    return f"swap {_path(element)}"


def move(rng: random.Random, root: etree._Element) -> str | None:
    """Move an element into a sibling or up one level."""
    element = _pick(rng, [e for e in _elements(root) if e.getparent() is not root])
    if element is None:
        return None
    parent = element.getparent()
    assert parent is not None
    grand = parent.getparent()
    assert grand is not None
    where = _path(element)
    parent.remove(element)
    parent.addnext(element)
    return f"move up {where}"


def nudge(rng: random.Random, root: etree._Element) -> str | None:
    element = _pick(
        rng, [e for e in _elements(root) if len(e) == 0 and _NUMBER.match(e.text or "")]
    )
    if element is None:
        return None
    try:
        value = Decimal((element.text or "").strip())
    except InvalidOperation:
        return None
    change = rng.choice(("+0.01", "-0.01", "+1", "-1", "neg", "x10", "zero", "digits", "big"))
    new = {
        "+0.01": value + Decimal("0.01"),
        "-0.01": value - Decimal("0.01"),
        "+1": value + 1,
        "-1": value - 1,
        "neg": -value,
        "x10": value * 10,
        "zero": Decimal(0),
        "digits": value + Decimal("0.001"),
        "big": value * 1000,
    }[change]
    element.text = str(new)
    return f"nudge {_path(element)} {change}"


def code(rng: random.Random, root: etree._Element) -> str | None:
    element = _pick(
        rng,
        [
            e
            for e in _elements(root)
            if (len(e) == 0 and _CODE.match((e.text or "").strip()) and not e.text.isdigit())
            or (len(e) == 0 and (e.text or "").strip() in ("380", "381", "384", "389", "58", "30"))
        ],
    )
    if element is None:
        return None
    element.text = rng.choice(CODE_POOL)
    return f"code {_path(element)}={element.text!r}"


def attribute(rng: random.Random, root: etree._Element) -> str | None:
    element = _pick(rng, [e for e in _elements(root) if e.attrib])
    if element is None:
        return None
    name = rng.choice(sorted(element.attrib.keys()))
    if rng.random() < 0.4:
        del element.attrib[name]
        return f"attribute {_path(element)}/@{name} removed"
    element.set(name, rng.choice(ATTRIBUTE_POOL))
    return f"attribute {_path(element)}/@{name}={element.get(name)!r}"


def add_attribute(rng: random.Random, root: etree._Element) -> str | None:
    element = _pick(rng, [e for e in _elements(root) if len(e) == 0])
    if element is None:
        return None
    name = rng.choice(("currencyID", "schemeID", "unitCode", "format", "listID"))
    element.set(name, rng.choice(ATTRIBUTE_POOL))
    return f"attribute {_path(element)}/@{name}={element.get(name)!r} added"


def _schemed(root: etree._Element) -> list[tuple[etree._Element, str]]:
    return [(e, name) for e in _elements(root) for name in SCHEME_ATTRIBUTES if name in e.attrib]


def empty_attribute(rng: random.Random, root: etree._Element) -> str | None:
    """An attribute emptied or blanked (``schemeID=""``): the joined-code-list corner."""
    schemed = _schemed(root)
    if schemed and rng.random() < 0.7:
        element, name = rng.choice(schemed)
    else:
        element = _pick(rng, [e for e in _elements(root) if e.attrib])
        if element is None:
            return None
        name = rng.choice(sorted(element.attrib.keys()))
    element.set(name, rng.choice(("", " ", "  ")))
    return f"empty_attribute {_path(element)}/@{name}={element.get(name)!r}"


def scheme(rng: random.Random, root: etree._Element) -> str | None:
    """A scheme/list identifier changed, or added to an identifier that has none."""
    schemed = _schemed(root)
    if schemed and rng.random() < 0.6:
        element, name = rng.choice(schemed)
        element.set(name, rng.choice(SCHEME_POOL))
        return f"scheme {_path(element)}/@{name}={element.get(name)!r}"
    bare = [
        e
        for e in _elements(root)
        if len(e) == 0
        and etree.QName(e).localname in SCHEMED_NAMES
        and not any(n in e.attrib for n in SCHEME_ATTRIBUTES)
    ]
    element = _pick(rng, bare)
    if element is None:
        return None
    local = etree.QName(element).localname
    name = "listID" if local in ("ItemClassificationCode", "ClassCode") else "schemeID"
    element.set(name, rng.choice(SCHEME_POOL))
    return f"scheme {_path(element)}/@{name}={element.get(name)!r} added"


def date(rng: random.Random, root: etree._Element) -> str | None:
    element = _pick(
        rng, [e for e in _elements(root) if len(e) == 0 and _DATE.match((e.text or "").strip())]
    )
    if element is None:
        return None
    match = _DATE.match((element.text or "").strip())
    assert match is not None
    y, m, d = match.groups()
    element.text = rng.choice(
        (
            f"{y}{m}{d}",
            f"{y}-{m}-{d}",
            f"{d}.{m}.{y}",
            f"{y}1332",
            f"{y}-02-30",
            f"{y}{m}",
            f"{int(y) + 1}{m}{d}",
            "20240229",
            "20230229",
            f"{y}-{m}-{d}T00:00:00",
        )
    )
    return f"date {_path(element)}={element.text!r}"


def whitespace(rng: random.Random, root: etree._Element) -> str | None:
    element = _pick(rng, [e for e in _elements(root) if len(e) == 0 and (e.text or "").strip()])
    if element is None:
        return None
    element.text = rng.choice((" {} ", "{} ", "\n{}\n", "{}\t")).format(element.text)
    return f"whitespace {_path(element)}"


def text(rng: random.Random, root: etree._Element) -> str | None:
    element = _pick(rng, [e for e in _elements(root) if len(e) == 0])
    if element is None:
        return None
    element.text = rng.choice(("x", "0", "-1", "abc def", "1.2.3", "DE123", "€", "a" * 300))
    return f"text {_path(element)}={element.text[:10]!r}"


OPERATORS: dict[str, Operator] = {
    "delete": delete,
    "duplicate": duplicate,
    "empty": empty,
    "swap": swap,
    "move": move,
    "nudge": nudge,
    "code": code,
    "attribute": attribute,
    "add_attribute": add_attribute,
    "date": date,
    "whitespace": whitespace,
    "text": text,
    "empty_attribute": empty_attribute,
    "scheme": scheme,
}
# The operators and weights of the first mutator (version 1, before issue 27): the
# mutants test_found.py replays by their ids were made with these.
V1_OPERATORS = sorted(set(OPERATORS) - {"empty_attribute", "scheme"})
V1_WEIGHTS = {"nudge": 4, "code": 3, "delete": 3, "attribute": 2, "date": 2, "duplicate": 2}
# Heavier weight on the kinds that reach the business rules rather than the schema.
WEIGHTS = {
    "nudge": 4,
    "code": 3,
    "delete": 3,
    "attribute": 2,
    "date": 2,
    "duplicate": 2,
    "empty_attribute": 2,
    "scheme": 3,
}


class Mutator:
    """``version=2`` (default): balanced across SCENARIOS, with the scheme operators;
    ``version=1``: the first mutator (any valid source, no scheme operators), so that the
    ids of earlier runs still name the same mutants."""

    def __init__(self, conformance: Path, seed: int, version: int = 2) -> None:
        self.conformance = conformance
        self.seed = seed
        self.version = version
        _, self.groups = scenario_sources(conformance)
        self.sources = sorted(f for files in self.groups.values() for f in files)
        self._trees: dict[str, bytes] = {}
        names, weights = (
            (sorted(OPERATORS), WEIGHTS) if version >= 2 else (V1_OPERATORS, V1_WEIGHTS)
        )
        self._operators = [name for name in names for _ in range(weights.get(name, 1))]

    def _original(self, source: str) -> bytes:
        if source not in self._trees:
            self._trees[source] = (self.conformance / source).read_bytes()
        return self._trees[source]

    def mutant(self, index: int) -> Mutant:
        rng = random.Random(f"{self.seed}:{index}")
        if self.version >= 2:
            scenario = SCENARIOS[index % len(SCENARIOS)]
            source = rng.choice(self.groups[scenario])
        else:
            source = rng.choice(self.sources)
            scenario = next(name for name, files in self.groups.items() if source in files)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)
        root = etree.fromstring(self._original(source), parser)
        operations: list[str] = []
        wanted = 1 if rng.random() < 0.8 else 2
        for _ in range(20):
            if len(operations) == wanted:
                break
            done = OPERATORS[rng.choice(self._operators)](rng, root)
            if done:
                operations.append(done)
        data = etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")
        return Mutant(f"{self.seed}:{index}", source, tuple(operations), data, scenario)

    def mutants(self, count: int, start: int = 0) -> Iterator[Mutant]:
        for index in range(start, start + count):
            yield self.mutant(index)
