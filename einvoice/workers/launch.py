"""``python -m einvoice.workers.launch ARGS``: dramatiq's command line with einvoice's logging.

dramatiq configures plain-text logging in its main and worker processes unless told
``--skip-logging``; this launcher passes that and configures the logging of
``EINVOICE_LOG_FORMAT``/``EINVOICE_LOG_LEVEL`` (default ``INFO``) before dramatiq starts, so
its main process logs like the rest; the worker processes configure it again when they
import ``einvoice.workers.entry`` (which also covers the spawn start method).
"""

from __future__ import annotations

import sys

WORKER_LOG_LEVEL = "INFO"


def main(argv: list[str] | None = None) -> int:
    from dramatiq.cli import main as dramatiq_main
    from dramatiq.cli import make_argument_parser

    from einvoice.logs import configure_from_env

    configure_from_env(WORKER_LOG_LEVEL)
    parser = make_argument_parser()  # type: ignore[no-untyped-call]
    args = parser.parse_args([*(argv or sys.argv[1:]), "--skip-logging"])
    return int(dramatiq_main(args) or 0)  # type: ignore[no-untyped-call]


if __name__ == "__main__":
    sys.exit(main())
