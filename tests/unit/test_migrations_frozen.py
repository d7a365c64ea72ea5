"""Migrations are frozen: none imports the project's own code, which can change later
(issue 22: 0014 and 0022 imported ``einvoice.services.search``, so a later change of the
search text would silently have changed what an old migration does)."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest

VERSIONS = Path(__file__).resolve().parents[2] / "einvoice/storage/migrations/versions"
MIGRATIONS = sorted(VERSIONS.glob("*.py"))
ALLOWED = {"__future__", "alembic", "sqlalchemy", "json", "re", "typing", "datetime", "decimal"}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
    return found


def test_there_are_migrations() -> None:
    assert len(MIGRATIONS) >= 15


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda p: p.stem)
def test_a_migration_imports_no_project_code(path: Path) -> None:
    modules = _imports(path)
    own = sorted(m for m in modules if m.startswith((".", "einvoice")))
    assert not own, f"{path.name} imports {own}: freeze what it needs inside the migration"
    assert {m.split(".")[0] for m in modules} <= ALLOWED, modules


def _load(stem: str) -> object:
    spec = importlib.util.spec_from_file_location(stem, VERSIONS / f"{stem}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_frozen_search_texts_are_those_of_their_time() -> None:
    semantic = {
        "BT-1": "R-1",
        "BG-4": {"BT-27": "Muster GmbH", "BT-31": "DE 123 456 789"},
        "BG-16": {"BG-17": [{"BT-84": "DE02 1203 0000 0000 2020 51"}]},
        "BT-10": "04011000-1234512345-06",
        "BG-25": [{"BG-31": {"BT-153": "Papier"}}],
    }
    then = _load("0014_corrections_search").search_text(semantic)  # type: ignore[attr-defined]
    later = _load("0022_search_compact_ids").search_text(semantic)  # type: ignore[attr-defined]
    assert then == (
        "r-1 muster gmbh de 123 456 789 de02120300000000202051 04011000-1234512345-06 papier"
    )
    assert later == (
        "r-1 muster gmbh de 123 456 789 de123456789 de02120300000000202051 "
        "04011000-1234512345-06 papier"
    )
