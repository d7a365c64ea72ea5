"""The project's own sample invoices: XRechnung UBL/CII, ZUGFeRD PDF, invalid variants.

- :mod:`.spec`: the pure invoice description and :func:`~.spec.example`
- :mod:`.ubl`, :mod:`.cii`, :mod:`.pdf`: the writers
- :mod:`.variants`: faulty variants, each naming the rule that must fire
- :mod:`.catalogue`: the files in ``samples/`` and :func:`write_samples`
"""

from __future__ import annotations

from pathlib import Path


def write_samples(folder: Path) -> list[Path]:
    """Write every sample and its README into ``folder`` (see :mod:`.catalogue`)."""
    from einvoice.samplegen.catalogue import write_samples as _write_samples

    return _write_samples(folder)


__all__ = ["write_samples"]
