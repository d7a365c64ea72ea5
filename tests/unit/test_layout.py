"""The house layout: imports point one way (no cycle between modules of ``einvoice``).

The imports are read from the source (module level and inside functions, not those under
``if TYPE_CHECKING:``), so a cycle hidden in a function-level import is caught too.
"""

from __future__ import annotations

import ast
import functools
import graphlib
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "einvoice"


def module_name(package: Path, path: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(package: Path) -> dict[str, Path]:
    return {
        module_name(package, p): p
        for p in sorted(package.rglob("*.py"))
        if "migrations" not in p.parts
    }


def _imported_names(tree: ast.AST, name: str, is_package: bool) -> Iterator[str]:
    def visit(node: ast.AST) -> Iterator[str]:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in visit(child))
            return
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = name.split(".") if is_package else name.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, *([node.module] if node.module else [])])
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            yield from visit(child)

    yield from visit(tree)


@functools.cache
def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the modules of ``einvoice`` it imports (its own parent packages left out)."""
    files = modules(package)
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        targets: set[str] = set()
        for imported in _imported_names(tree, name, path.name == "__init__.py"):
            while imported and imported not in files:
                imported = imported.rpartition(".")[0]
            if imported and imported != name and not name.startswith(imported + "."):
                targets.add(imported)
        graph[name] = targets
    return graph


def find_cycle(graph: Mapping[str, set[str]]) -> list[str] | None:
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        cycle: list[str] = exc.args[1]
        return cycle
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) is not None
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_graph_sees_function_level_imports() -> None:
    graph = import_graph()
    assert len(graph) > 100
    # the invoice page reads the original only inside a function
    assert "einvoice.formats.extract" in graph["einvoice.web.original_view"]


def test_no_import_cycle_between_modules() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


@pytest.mark.parametrize(
    ("inner", "outer"),
    [
        ("einvoice.domain", "einvoice.formats"),
        ("einvoice.domain", "einvoice.services"),
        ("einvoice.domain", "einvoice.web"),
        ("einvoice.formats", "einvoice.services"),
        ("einvoice.formats", "einvoice.web"),
        ("einvoice.formats", "einvoice.presentation"),
        ("einvoice.formats", "einvoice.export"),
        ("einvoice.formats", "einvoice.routing_config"),
        ("einvoice.presentation", "einvoice.services"),
        ("einvoice.presentation", "einvoice.web"),
        ("einvoice.presentation", "einvoice.cli"),
        ("einvoice.export", "einvoice.services"),
        ("einvoice.routing_config", "einvoice.services"),
        ("einvoice.services", "einvoice.web"),
        ("einvoice.services", "einvoice.cli"),
    ],
)
def test_imports_point_inward(inner: str, outer: str) -> None:
    graph = import_graph()
    wrong = sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        if module.startswith(inner + ".") or module == inner
        for target in targets
        if target == outer or target.startswith(outer + ".")
    )
    assert wrong == []


def test_every_data_file_of_the_package_ships_in_the_wheel() -> None:
    """Templates, static files and the rule text catalogues are package data in pyproject."""
    import tomllib

    pyproject = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["einvoice"]
    data_files = [
        path.relative_to(PACKAGE)
        for path in PACKAGE.rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    ]
    assert any(path.suffix == ".toml" for path in data_files)
    unshipped = sorted(str(path) for path in data_files if not any(path.match(p) for p in patterns))
    assert unshipped == []


def test_the_architecture_map_names_every_package_folder() -> None:
    readme = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    aufbau = readme.split("# Aufbau", 1)[1]
    folders = sorted(
        path.name
        for path in PACKAGE.iterdir()
        if path.is_dir() and (path / "__init__.py").is_file()
    )
    assert len(folders) > 5
    assert [name for name in folders if f"  {name}/" not in aufbau] == []


#: Declarative tables (field-by-field syntax bindings, rule tables) and the two largest use
#: cases may be longer; every other module stays small.
LONG_MODULES_ALLOWED = {
    "einvoice.formats.ubl",
    "einvoice.formats.cii",
    "einvoice.formats.national.rules_de",
    "einvoice.formats.national.rules_peppol",
    "einvoice.services.workflow",
    "einvoice.services.metrics",
}
MAX_LINES = 650  # "about 600"


def test_modules_stay_small() -> None:
    lines = {
        name: len(path.read_text(encoding="utf-8").splitlines())
        for name, path in modules(PACKAGE).items()
    }
    assert set(LONG_MODULES_ALLOWED) <= lines.keys()
    too_long = {
        name: count
        for name, count in lines.items()
        if count > MAX_LINES and name not in LONG_MODULES_ALLOWED
    }
    assert too_long == {}


@pytest.mark.parametrize(
    ("documented", "shipped"),
    [
        ("schemas/routing-config.schema.json", "data/routing-config.schema.json"),
        ("samples/routing.toml", "data/routing.toml"),
    ],
)
def test_top_level_copies_equal_the_package_data(documented: str, shipped: str) -> None:
    """The wheel reads its run-time files from the package; the repository's top-level
    ``schemas/`` and ``samples/`` keep the documented copies, byte for byte the same
    (after editing one: ``cp einvoice/<shipped> <documented>`` or the other way round)."""
    top = PACKAGE.parent / documented
    inside = PACKAGE / shipped
    assert inside.is_file() and top.is_file()
    assert top.read_bytes() == inside.read_bytes(), f"{documented} differs from einvoice/{shipped}"


def test_run_time_files_are_read_from_the_package() -> None:
    from einvoice import config, routing_config

    for path in (routing_config.SCHEMA_PATH, config.SAMPLE_ROUTING_CONFIG):
        assert path.is_file()
        assert path.is_relative_to(PACKAGE), path
