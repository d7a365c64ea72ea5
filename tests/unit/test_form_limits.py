"""Every text field of the pages says how long it may be (tried: a 251-character company
name in the registration ended on an error page naming the field "organisation" and
lost the form; the creditor and hold reasons had no limit in the form at all)."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).parents[2] / "einvoice" / "web" / "templates"
NO_TEXT = {"hidden", "checkbox", "radio", "file", "submit", "date", "number"}


def _fields(html: str) -> list[str]:
    return re.findall(r"<(?:input|textarea)\b[^>]*>", html)


def test_every_text_field_has_a_maxlength() -> None:
    missing = []
    for template in sorted(TEMPLATES.glob("*.html")):
        for field in _fields(template.read_text(encoding="utf-8")):
            kind = re.search(r'\btype="([^"]+)"', field)
            if kind and kind.group(1) in NO_TEXT:
                continue
            if "maxlength=" not in field:
                missing.append(f"{template.name}: {field}")
    assert not missing, "\n".join(missing)
