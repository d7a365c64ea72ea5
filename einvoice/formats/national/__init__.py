"""XRechnung national rules (BR-DE, BR-DEX, BR-TMP, BR-DE-CVD, adopted Peppol rules).

The public entry point is :func:`check`; the rule catalogue is :data:`RULES`.
"""

from __future__ import annotations

from einvoice.domain.findings import Finding, Scenario
from einvoice.formats.xmldoc import XmlDocument


def check(doc: XmlDocument, scenario: Scenario) -> list[Finding]:
    """Run every national rule that belongs to ``scenario`` on ``doc``.

    ``scenario`` is one of the XRechnung scenarios; ``Scenario.NONE`` (an
    unknown or outdated BT-24) is checked with the standard scenario's rules.
    """
    from einvoice.formats.national.engine import run

    return run(doc, scenario)
