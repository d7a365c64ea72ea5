"""The routing configuration file (TOML) -> :class:`~einvoice.domain.routing.RoutingConfig`.

Three steps, each reported in German with the place in the file:

1. TOML syntax (stdlib ``tomllib``; floats read as ``Decimal``, never binary floats),
2. the JSON Schema ``einvoice/data/routing-config.schema.json`` (``version = 1``; shipped
   in the package, ``schemas/`` at the top of the repository holds the same file),
3. meaning: unique keys, Leitweg-IDs with correct check digits, regular
   expressions that compile, people and deputies that exist, a fallback
   department that exists, approval levels somebody holds.

:func:`check_routing_config` returns the configuration and the problems;
:func:`load_routing_config` raises :class:`RoutingConfigError` listing all problems.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from einvoice.domain.leitweg import LeitwegId, parse_leitweg_id
from einvoice.domain.routing import (
    DEFAULT_PRIORITY,
    Buyer,
    Department,
    Deputy,
    LevelThreshold,
    Membership,
    Person,
    Role,
    RoutingConfig,
    RoutingRule,
    normalise_id,
)
from einvoice.errors import ConfigurationError

#: Package data, so that an installed wheel has it; ``schemas/`` in the repository keeps
#: the documented copy (a test holds the two equal).
SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "routing-config.schema.json"
SUPPORTED_VERSION = 1


@dataclass(frozen=True, slots=True)
class ConfigProblem:
    """One problem of the file: where (e.g. ``departments[3] (amt-20).leitweg_ids[0]``), what."""

    place: str
    message_de: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message_de}" if self.place else self.message_de


class RoutingConfigError(ConfigurationError):
    """The routing configuration cannot be used; ``problems`` says why (German)."""

    def __init__(self, source: str, problems: Sequence[ConfigProblem]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"Die Weiterleitungskonfiguration {source} ist fehlerhaft:\n{lines}")


def load_routing_config(path: Path) -> RoutingConfig:
    """Read, validate and build the configuration; :class:`RoutingConfigError` if unusable."""
    config, problems = check_routing_config(path)
    if config is None or problems:
        raise RoutingConfigError(str(path), problems)
    return config


def check_routing_config(path: Path) -> tuple[RoutingConfig | None, tuple[ConfigProblem, ...]]:
    """The configuration (``None`` when it cannot be built) and every problem found."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, (ConfigProblem("", f"Die Datei kann nicht gelesen werden: {exc}"),)
    return check_routing_text(text)


def parse_routing_config(text: str, source: str = "<Text>") -> RoutingConfig:
    """Like :func:`load_routing_config`, from the text of a TOML file."""
    config, problems = check_routing_text(text)
    if config is None or problems:
        raise RoutingConfigError(source, problems)
    return config


def check_routing_text(text: str) -> tuple[RoutingConfig | None, tuple[ConfigProblem, ...]]:
    try:
        raw = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        return None, (ConfigProblem("", f"Die Datei ist kein gültiges TOML: {exc}"),)
    data = _json_compatible(raw)
    problems = schema_problems(data)
    if problems:
        return None, tuple(problems)
    problems = semantic_problems(data)
    if problems:
        return None, tuple(problems)
    return _build(data), ()


# --- step 2: the JSON Schema --------------------------------------------------------------


@cache
def _validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_problems(data: Mapping[str, Any]) -> list[ConfigProblem]:
    """The schema violations of the (JSON-compatible) data, in file order, in German."""
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.path])
    return [ConfigProblem(_place(data, list(e.absolute_path)), _german(e)) for e in errors]


_TYPE_NAMES = {
    "string": "ein Text",
    "integer": "eine ganze Zahl",
    "number": "eine Zahl",
    "array": "eine Liste",
    "object": "eine Tabelle",
    "boolean": "true oder false",
}


def _german(error: ValidationError) -> str:
    kind = error.validator
    value = error.validator_value
    instance = error.instance
    custom = error.schema.get("x-messages-de", {}) if isinstance(error.schema, dict) else {}
    if kind in custom:
        return str(custom[kind])
    if kind == "required":
        missing = [k for k in value if isinstance(instance, dict) and k not in instance]
        return f"Pflichtangabe „{', '.join(missing)}“ fehlt."
    if kind == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        extra = sorted(k for k in instance if k not in known)
        return f"Unbekannter Schlüssel „{', '.join(extra)}“ (Tippfehler?)."
    if kind == "type":
        return f"Erwartet wird {_TYPE_NAMES.get(str(value), str(value))}, nicht {instance!r}."
    if kind == "const":
        return f"Der Wert muss {value!r} sein, nicht {instance!r}."
    if kind == "enum":
        allowed = ", ".join(str(v) for v in value)
        return f"„{instance}“ ist nicht erlaubt; möglich sind: {allowed}."
    if kind == "pattern":
        return f"„{instance}“ hat nicht das erwartete Format (Muster {value})."
    if kind == "format":
        what = {
            "date": "kein gültiges Datum (JJJJ-MM-TT)",
            "email": "keine gültige E-Mail-Adresse",
        }.get(str(value), f"nicht im Format {value}")
        return f"„{instance}“ ist {what}."
    if kind in ("minimum", "exclusiveMinimum"):
        return f"Der Wert {instance} ist zu klein (mindestens {value})."
    if kind == "minItems":
        return f"Die Liste braucht mindestens {value} Eintrag/Einträge."
    if kind == "minLength":
        return "Der Text darf nicht leer sein."
    if kind == "uniqueItems":
        return "Die Liste enthält doppelte Einträge."
    return f"Verstößt gegen das Schema ({kind}): {error.message}"


# --- step 3: meaning ----------------------------------------------------------------------


def semantic_problems(data: Mapping[str, Any]) -> list[ConfigProblem]:
    """Checks beyond the schema: references, uniqueness, check digits, regexes."""
    return list(_semantic(data))


def _semantic(data: Mapping[str, Any]) -> Iterator[ConfigProblem]:
    people = data.get("people", [])
    departments = data["departments"]
    rules = data.get("rules", [])
    known_people = {p["id"] for p in people}
    yield from _duplicates(data, "people", "id", "Person")
    yield from _duplicates(data, "departments", "key", "Amt")
    yield from _duplicates(data, "rules", "name", "Regel")
    keys = {d["key"] for d in departments}
    if data["fallback"] not in keys:
        yield ConfigProblem(
            "fallback",
            f"Das Auffang-Amt „{data['fallback']}“ (zentraler Rechnungseingang) ist unter "
            "departments nicht definiert.",
        )
    leitweg_owner: dict[str, str] = {}
    centre_owner: dict[str, str] = {}
    for d_index, dept in enumerate(departments):
        base: list[str | int] = ["departments", d_index]
        for l_index, text in enumerate(dept.get("leitweg_ids", [])):
            place = _place(data, [*base, "leitweg_ids", l_index])
            parsed = parse_leitweg_id(text)
            if not isinstance(parsed, LeitwegId):
                yield ConfigProblem(place, parsed.message_de)
            elif parsed.text in leitweg_owner:
                yield ConfigProblem(
                    place,
                    f"Die Leitweg-ID {parsed.text} ist schon „{leitweg_owner[parsed.text]}“ "
                    "zugeordnet; jede Leitweg-ID gehört zu genau einem Amt.",
                )
            else:
                leitweg_owner[parsed.text] = dept["key"]
        for c_index, centre in enumerate(dept.get("cost_centres", [])):
            place = _place(data, [*base, "cost_centres", c_index])
            if centre in centre_owner:
                yield ConfigProblem(
                    place,
                    f"Die Kostenstelle {centre} ist schon „{centre_owner[centre]}“ zugeordnet.",
                )
            centre_owner.setdefault(centre, dept["key"])
        yield from _members(data, d_index, known_people)
    yield from _levels(data)
    for r_index, rule in enumerate(rules):
        yield from _rule(data, r_index, rule, keys)


def _members(data: Mapping[str, Any], d_index: int, known: set[str]) -> Iterator[ConfigProblem]:
    dept = data["departments"][d_index]
    base: list[str | int] = ["departments", d_index]
    seen: set[str] = set()
    for m_index, member in enumerate(dept.get("members", [])):
        place = _place(data, [*base, "members", m_index])
        person = member["person"]
        if person not in known:
            yield ConfigProblem(place, f"Die Person „{person}“ ist unter people nicht definiert.")
        if person in seen:
            yield ConfigProblem(place, f"Die Person „{person}“ steht doppelt in diesem Amt.")
        seen.add(person)
        if "approver" in member["roles"] and not member.get("limit"):
            yield ConfigProblem(
                place,
                f"„{person}“ hat die Rolle approver (Anordnungsbefugnis), aber keine "
                "Anordnungsgrenze (limit > 0).",
            )
        if "approver" not in member["roles"] and ("limit" in member or "level" in member):
            yield ConfigProblem(
                place,
                f"limit und level gelten nur für Anordnungsbefugte; „{person}“ hat die Rolle "
                "approver nicht.",
            )
    for x_index, deputy in enumerate(dept.get("deputies", [])):
        place = _place(data, [*base, "deputies", x_index])
        for field in ("absent", "deputy"):
            if deputy[field] not in known:
                yield ConfigProblem(
                    place,
                    f"{field}: Die Person „{deputy[field]}“ ist unter people nicht definiert.",
                )
        if deputy["absent"] not in seen:
            yield ConfigProblem(
                place,
                f"Vertreten werden kann nur, wer in diesem Amt Mitglied ist: „{deputy['absent']}“ "
                "ist es nicht.",
            )
        if deputy["absent"] == deputy["deputy"]:
            yield ConfigProblem(place, "Niemand kann sich selbst vertreten.")
        if date.fromisoformat(deputy["from"]) > date.fromisoformat(deputy["until"]):
            yield ConfigProblem(
                place,
                f"Der Zeitraum endet ({deputy['until']}) vor seinem Beginn ({deputy['from']}).",
            )


def _levels(data: Mapping[str, Any]) -> Iterator[ConfigProblem]:
    held = {
        member.get("level", 1)
        for dept in data["departments"]
        for member in dept.get("members", [])
        if "approver" in member["roles"]
    }
    top = max(held, default=0)
    for index, level in enumerate(data.get("approval_levels", [])):
        if level["level"] > top:
            yield ConfigProblem(
                _place(data, ["approval_levels", index]),
                f"Oberhalb von {level['above']} EUR ist Ebene {level['level']} nötig, aber "
                "keine anordnungsbefugte Person hat diese Ebene: solche Rechnungen könnten nie "
                "angeordnet werden.",
            )


def _rule(
    data: Mapping[str, Any], r_index: int, rule: Mapping[str, Any], keys: set[str]
) -> Iterator[ConfigProblem]:
    base: list[str | int] = ["rules", r_index]
    if rule["department"] not in keys:
        yield ConfigProblem(
            _place(data, [*base, "department"]),
            f"Das Amt „{rule['department']}“ ist unter departments nicht definiert.",
        )
    if "leitweg_id" in rule:
        parsed = parse_leitweg_id(rule["leitweg_id"])
        if not isinstance(parsed, LeitwegId):
            yield ConfigProblem(_place(data, [*base, "leitweg_id"]), parsed.message_de)
    for field in ("order_reference", "accounting_reference"):
        if field in rule:
            try:
                re.compile(rule[field])
            except re.error as exc:
                yield ConfigProblem(
                    _place(data, [*base, field]),
                    f"Der reguläre Ausdruck „{rule[field]}“ ist fehlerhaft: {exc}.",
                )


def _duplicates(
    data: Mapping[str, Any], section: str, field: str, what: str
) -> Iterator[ConfigProblem]:
    counts = Counter(item[field] for item in data.get(section, []))
    for index, item in enumerate(data.get(section, [])):
        if counts[item[field]] > 1:
            yield ConfigProblem(
                _place(data, [section, index, field]),
                f"{what} „{item[field]}“ ist mehrfach definiert ({field} muss eindeutig sein).",
            )


# --- building the domain objects ----------------------------------------------------------


def _build(data: Mapping[str, Any]) -> RoutingConfig:
    return RoutingConfig(
        departments=tuple(_department(d) for d in data["departments"]),
        fallback_department=data["fallback"],
        rules=tuple(_routing_rule(r) for r in data.get("rules", [])),
        people=tuple(Person(p["id"], p["name"], p.get("email")) for p in data.get("people", [])),
        thresholds=tuple(
            LevelThreshold(Decimal(t["above"]), t["level"]) for t in data.get("approval_levels", [])
        ),
        version=data["version"],
        name=data.get("name", ""),
        buyer=_buyer(data["buyer"]) if "buyer" in data else None,
    )


def _buyer(buyer: Mapping[str, Any]) -> Buyer:
    return Buyer(
        name=buyer["name"],
        street=buyer["street"],
        post_code=buyer["post_code"],
        city=buyer["city"],
        electronic_address=buyer["electronic_address"],
        country_code=buyer.get("country_code", "DE"),
        additional_street=buyer.get("additional_street", ""),
        vat_id=buyer.get("vat_id", ""),
    )


def _department(dept: Mapping[str, Any]) -> Department:
    leitweg_ids: list[LeitwegId] = []
    for text in dept.get("leitweg_ids", []):
        parsed = parse_leitweg_id(text)
        assert isinstance(parsed, LeitwegId)  # checked before
        leitweg_ids.append(parsed)
    return Department(
        key=dept["key"],
        name=dept["name"],
        leitweg_ids=tuple(leitweg_ids),
        cost_centres=tuple(dept.get("cost_centres", [])),
        members=tuple(
            Membership(
                person=m["person"],
                roles=frozenset(Role(r) for r in m["roles"]),
                limit=Decimal(m.get("limit", 0)),
                level=m.get("level", 1),
            )
            for m in dept.get("members", [])
        ),
        deputies=tuple(
            Deputy(
                absent=x["absent"],
                deputy=x["deputy"],
                start=date.fromisoformat(x["from"]),
                end=date.fromisoformat(x["until"]),
            )
            for x in dept.get("deputies", [])
        ),
        email=dept.get("email"),
    )


def _routing_rule(rule: Mapping[str, Any]) -> RoutingRule:
    def pattern(field: str) -> re.Pattern[str] | None:
        return re.compile(rule[field]) if field in rule else None

    leitweg_id = rule.get("leitweg_id")
    if leitweg_id is not None:
        parsed = parse_leitweg_id(leitweg_id)
        assert isinstance(parsed, LeitwegId)
        leitweg_id = parsed.text
    prefix = rule.get("leitweg_prefix")
    return RoutingRule(
        name=rule["name"],
        department=rule["department"],
        priority=rule.get("priority", DEFAULT_PRIORITY),
        leitweg_id=leitweg_id,
        leitweg_prefix=normalise_id(prefix) if prefix is not None else None,
        order_reference=pattern("order_reference"),
        accounting_reference=pattern("accounting_reference"),
        accounting_prefix=rule.get("accounting_prefix"),
        seller_id=rule.get("seller_id"),
        description=rule.get("description"),
    )


# --- helpers ------------------------------------------------------------------------------


def _json_compatible(value: Any) -> Any:
    """TOML values as JSON Schema sees them: dates and times become ISO text."""
    if isinstance(value, dict):
        return {k: _json_compatible(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_compatible(v) for v in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


_NAMED = {"departments": "key", "rules": "name", "people": "id", "members": "person"}


def _place(data: Any, path: Sequence[str | int]) -> str:
    """``departments[3] (amt-20).leitweg_ids[0]``: the path with the names of list items."""
    text = ""
    node = data
    parent = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
            node = node[step] if isinstance(node, list) and step < len(node) else None
            name_field = _NAMED.get(parent)
            if name_field and isinstance(node, dict) and isinstance(node.get(name_field), str):
                text += f" ({node[name_field]})"
        else:
            text += ("." if text else "") + step
            node = node.get(step) if isinstance(node, dict) else None
            parent = step
    return text


__all__ = [
    "SCHEMA_PATH",
    "SUPPORTED_VERSION",
    "ConfigProblem",
    "RoutingConfigError",
    "check_routing_config",
    "check_routing_text",
    "load_routing_config",
    "parse_routing_config",
    "schema_problems",
    "semantic_problems",
]
