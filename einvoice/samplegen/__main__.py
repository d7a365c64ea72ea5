"""``python -m einvoice.samplegen [FOLDER]``: (re)write the sample invoices."""

from __future__ import annotations

import sys
from pathlib import Path

from einvoice.samplegen.catalogue import write_samples


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1 or (args and args[0].startswith("-")):
        print("usage: python -m einvoice.samplegen [FOLDER]", file=sys.stderr)
        return 2
    folder = Path(args[0]) if args else Path("samples")
    for path in write_samples(folder):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
