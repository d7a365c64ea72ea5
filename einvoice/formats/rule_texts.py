"""Plain-language explanations of the official EN 16931 rules (CEN Schematron).

The official rule artefacts report findings with an id (BR-01, BR-CO-10, BR-S-08, ...) and a
short English text. Suppliers and clerks get here, per rule id, what is wrong, which business
terms are concerned and how to fix it, in German and English. The ids and what each rule
requires are taken from EN 16931; the wording is this project's own.

The texts are data, one catalogue per language beside this module (``rule_texts.de.toml``,
``rule_texts.en.toml``) and the business terms each rule concerns (``rule_terms.toml``); they
are read once, on first use.

The hundreds of syntax rules (UBL-CR-*, CII-SR-*, UBL-SR-*, UBL-DT-*, CII-DT-*) are not listed
one by one: :func:`explain` returns one shared explanation per family.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from einvoice.errors import PermanentError

LANGUAGES = ("de", "en")

# Syntax-rule families that share one text: id prefix -> key in [families]
_FAMILIES: tuple[tuple[str, str], ...] = (
    ("UBL-CR-", "unused-element"),
    ("CII-SR-", "unused-element"),
    ("UBL-DT-", "data-type"),
    ("CII-DT-", "data-type"),
    ("UBL-SR-", "ubl-syntax"),
)


@dataclass(frozen=True, slots=True)
class RuleText:
    """Explanation of one rule: German text, English text, business terms concerned."""

    de: str
    en: str
    terms: tuple[str, ...]


class RuleTextCatalogueError(PermanentError):
    """A catalogue file is missing, unreadable or out of step with the others."""


def _read(name: str) -> dict[str, Any]:
    try:
        data = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
        return tomllib.loads(data)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RuleTextCatalogueError(f"rule text catalogue {name}: {exc}") from exc


def _texts(table: dict[str, Any], name: str, what: str) -> dict[str, str]:
    texts = table.get(what)
    if not isinstance(texts, dict) or not all(
        isinstance(v, str) and v.strip() for v in texts.values()
    ):
        raise RuleTextCatalogueError(f"rule text catalogue {name}: [{what}] must map ids to texts")
    return texts


def _load() -> tuple[dict[str, RuleText], dict[str, RuleText]]:
    """(rule id -> text, family -> text), read from the catalogue files."""
    catalogues = {lang: _read(f"rule_texts.{lang}.toml") for lang in LANGUAGES}
    terms = _read("rule_terms.toml").get("rules", {})
    de_rules, en_rules = (_texts(catalogues[lang], lang, "rules") for lang in LANGUAGES)
    if de_rules.keys() != en_rules.keys() or de_rules.keys() != terms.keys():
        differing = sorted(de_rules.keys() ^ en_rules.keys() | de_rules.keys() ^ terms.keys())
        raise RuleTextCatalogueError(f"rule text catalogues differ in the rules {differing}")
    rules = {
        rule: RuleText(de_rules[rule], en_rules[rule], tuple(terms[rule])) for rule in de_rules
    }
    de_families, en_families = (_texts(catalogues[lang], lang, "families") for lang in LANGUAGES)
    wanted = {family for _, family in _FAMILIES}
    if not de_families.keys() == en_families.keys() >= wanted:
        raise RuleTextCatalogueError(f"rule text catalogues: [families] must name {sorted(wanted)}")
    families = {key: RuleText(de_families[key], en_families[key], ()) for key in de_families}
    return rules, families


_catalogue = cache(_load)  # read once per process

RULE_TEXTS: dict[str, RuleText] = _catalogue()[0]
"""Explanations by official rule id ("BR-01", "BR-CO-10", "BR-S-08", ...)."""


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
    families = _catalogue()[1]
    for prefix, family in _FAMILIES:
        if key.startswith(prefix):
            return families[family]
    return None
