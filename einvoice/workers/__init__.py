"""dramatiq workers: thin actors that take ids and call services."""

from __future__ import annotations

import sys

#: the queue the actors listen on
QUEUE = "einvoice"


def worker_command(threads: int) -> list[str]:
    """The command line of one dramatiq worker process for the actors (``entry`` wires them)."""
    return [
        sys.executable,
        "-m",
        "einvoice.workers.launch",  # dramatiq's command line, logging as configured
        "einvoice.workers.entry",
        "--processes",
        "1",
        "--threads",
        str(threads),
        "--queues",
        QUEUE,
    ]
