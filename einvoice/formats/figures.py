"""The figures beside an arithmetic rule's finding: which amount was stated, which expected.

The official Schematron says only *that* BR-CO-15 (and its kin) failed; here the sum is
recomputed from the invoice model and appended to the finding's text. Severity, rule and
location stay as the official rule set reported them: the verdict does not change.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from einvoice.domain.arithmetic import discrepancies, has_figures
from einvoice.domain.findings import Finding
from einvoice.domain.invoice import Invoice

log = logging.getLogger(__name__)


def with_figures(findings: list[Finding], invoice: Callable[[], Invoice]) -> list[Finding]:
    """``findings`` with the stated and expected amounts added to each arithmetic finding.

    ``invoice`` is called (once) only when there is such a finding; a document that cannot
    be read as a model keeps its findings as they are.
    """
    if not any(has_figures(f.rule) for f in findings):
        return findings
    try:
        model = invoice()
    except Exception:  # the findings already say why; the figures are an extra
        log.info("no figures for the arithmetic findings: the invoice cannot be read")
        return findings
    explained: dict[str, tuple[str, str]] = {}
    result = []
    for finding in findings:
        if has_figures(finding.rule):
            if finding.rule not in explained:
                found = discrepancies(finding.rule, model)
                currency = model.currency_code
                explained[finding.rule] = (
                    " ".join(d.text_de(currency) for d in found),
                    " ".join(d.text_en(currency) for d in found),
                )
            de, en = explained[finding.rule]
            if de:
                finding = replace(
                    finding,
                    message_de=f"{de} {finding.message_de}",
                    message_en=f"{en} {finding.message_en}",
                )
        result.append(finding)
    return result
