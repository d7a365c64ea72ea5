"""Which business terms changed between two versions of a corrected invoice.

The clerk comparing "Fassung 2" with "Fassung 1" needs the terms that differ - "BT-10
Käuferreferenz: leer → 04011000-…" - not two pages to hold side by side. Both versions are
compared in their semantic form (EN 16931 terms as keys, groups nested, repeated groups as
lists); a term is named with the groups above it ("BG-25 Rechnungsposition 2 › BT-146
Nettopreis").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from einvoice.domain.terms import TERMS


@dataclass(frozen=True, slots=True)
class TermChange:
    path: tuple[str, ...]  # group and term ids with positions: ("BG-25#2", "BT-146")
    label: str  # "Rechnungsposition 2 › BT-146 Nettopreis"
    before: str | None  # None: not in the earlier version
    after: str | None  # None: not in the later version


def changed_terms(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[TermChange]:
    """Every term whose value differs between ``before`` and ``after``, in document order."""
    old = dict(_leaves(before, ()))
    new = dict(_leaves(after, ()))
    order = list(new) + [path for path in old if path not in new]
    return [
        TermChange(path, _label(path), old.get(path), new.get(path))
        for path in order
        if old.get(path) != new.get(path)
    ]


def _leaves(node: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from _leaves(value, (*path, str(key)))
    elif isinstance(node, list):
        for position, item in enumerate(node, 1):
            head = (*path[:-1], f"{path[-1]}#{position}") if path else (f"#{position}",)
            yield from _leaves(item, head)
    elif node is not None and node != "":
        yield path, str(node)


def _label(path: tuple[str, ...]) -> str:
    parts = []
    for step in path:
        term_id, _, position = step.partition("#")
        term = TERMS.get(term_id)
        name = term.name_de if term is not None else term_id
        if step is path[-1]:
            parts.append(f"{term_id} {name}" if term is not None else term_id)
        else:
            parts.append(f"{name} {position}" if position else name)
    return " › ".join(parts)
