"""``einvoice doctor`` on the routing configuration: the shipped example is a warning."""

from __future__ import annotations

from pathlib import Path

from einvoice import config
from einvoice.ops.doctor import Level, _routing

ROOT = Path(__file__).resolve().parents[2]


def test_the_example_city_is_a_warning_when_nothing_is_configured(tmp_path: Path) -> None:
    settings = config.load({"EINVOICE_DATA_DIR": str(tmp_path)})
    check = _routing(settings)
    assert check.level is Level.WARNING
    assert "Beispielkonfiguration" in check.detail and "EINVOICE_ROUTING_CONFIG" in check.detail


def test_the_city_s_own_file_is_ok(tmp_path: Path) -> None:
    own = tmp_path / "stadt.toml"
    own.write_bytes((ROOT / "samples" / "routing.toml").read_bytes())
    settings = config.load(
        {"EINVOICE_DATA_DIR": str(tmp_path), "EINVOICE_ROUTING_CONFIG": str(own)}
    )
    check = _routing(settings)
    assert check.level is Level.OK and str(own) in check.detail


def test_a_broken_file_is_an_error(tmp_path: Path) -> None:
    own = tmp_path / "stadt.toml"
    own.write_text("version = 1\n[[departments]]\n", encoding="utf-8")
    settings = config.load(
        {"EINVOICE_DATA_DIR": str(tmp_path), "EINVOICE_ROUTING_CONFIG": str(own)}
    )
    assert _routing(settings).level is Level.ERROR
