from __future__ import annotations

import json
import logging

from einvoice.logs import JsonFormatter


def test_json_log_lines_are_objects() -> None:
    record = logging.LogRecord(
        "einvoice.x", logging.WARNING, __file__, 1, "Dokument %s", (7,), None
    )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "warning" and entry["message"] == "Dokument 7"
    assert entry["logger"] == "einvoice.x" and entry["time"].endswith("+00:00")
