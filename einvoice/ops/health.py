"""Readiness of a running process: database reachable and upgraded, blob store reachable.

For ``/readyz`` (web) and container health checks; says only ok/failed per check,
never connection strings or errors (those go to the log).
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def readiness(container: Any) -> dict[str, bool]:
    from einvoice.storage.schema_state import schema_state

    checks: dict[str, bool] = {}
    try:
        checks["database"] = schema_state(container.engine).up_to_date
    except Exception:
        log.warning("readiness: database not reachable", exc_info=True)
        checks["database"] = False
    try:
        container.pipeline.blobs.exists("0" * 64)
        checks["blobs"] = True
    except Exception:
        log.warning("readiness: blob store not reachable", exc_info=True)
        checks["blobs"] = False
    return checks
