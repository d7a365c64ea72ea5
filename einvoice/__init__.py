"""einvoice: receive, validate, extract and route e-invoices (XRechnung, ZUGFeRD/Factur-X).

Library entry point::

    import einvoice
    report = einvoice.validate(data, name="rechnung.xml")
    report.recommendation  # Recommendation.ACCEPT / REJECT
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from einvoice.domain.findings import Report
    from einvoice.formats.validation import ValidationPolicy


def validate(data: bytes, name: str = "", policy: ValidationPolicy | None = None) -> Report:
    """Validate one invoice (XML or PDF bytes) and return its report."""
    from einvoice.formats.validation import DEFAULT_POLICY
    from einvoice.formats.validation import validate as _validate

    return _validate(data, name=name, policy=policy or DEFAULT_POLICY)


__all__ = ["__version__", "validate"]
