"""``python3 dev.py test --quick``: ruff, mypy and the everyday subset; without --quick the
whole suite (what .ci/run runs)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _dev() -> Any:
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("argv", "pytest_args"),
    [
        (["test", "--quick"], ["tests/unit", "-m", "not slow", "-q", "-p", "no:cacheprovider"]),
        (
            ["test", "--quick", "-x"],
            ["tests/unit", "-m", "not slow", "-q", "-p", "no:cacheprovider", "-x"],
        ),
        (["test"], []),
    ],
)
def test_quick_selects_the_subset(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], pytest_args: list[str]
) -> None:
    dev = _dev()
    ran: list[list[str]] = []
    monkeypatch.setattr(dev, "setup", lambda: None)
    monkeypatch.setattr(dev, "run", lambda *cmd: ran.append([str(c) for c in cmd]))
    assert dev.main(argv) == 0
    assert [Path(c[0]).name for c in ran] == ["ruff", "mypy", "python"]
    assert ran[2][1:3] == ["-m", "pytest"] and ran[2][3:] == pytest_args
    assert "tests/unit" in (ROOT / "dev.py").read_text() and (ROOT / "tests/unit").is_dir()


def test_ci_runs_everything() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    assert "python3 dev.py test" in script and "--quick" not in script
