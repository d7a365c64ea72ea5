"""Compiled stylesheets survive a fork and serve several threads with identical results."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ThreadPoolExecutor

from einvoice.domain.findings import Syntax
from einvoice.formats import artefacts, schematron

BROKEN_TOTALS = """<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">
 <cbc:ID>1</cbc:ID>
 <cac:LegalMonetaryTotal>
  <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
  <cbc:TaxExclusiveAmount currencyID="EUR">100.00</cbc:TaxExclusiveAmount>
  <cbc:TaxInclusiveAmount currencyID="EUR">150.00</cbc:TaxInclusiveAmount>
  <cbc:PayableAmount currencyID="EUR">150.00</cbc:PayableAmount>
 </cac:LegalMonetaryTotal>
</Invoice>"""


def _rules() -> list[str]:
    rule_set = artefacts.cen_rules(Syntax.UBL_INVOICE)
    return sorted(f.rule for f in schematron.run(rule_set, BROKEN_TOTALS))


def _in_child(queue: multiprocessing.Queue[list[str]]) -> None:
    queue.put(_rules())


def test_rules_fire_at_all() -> None:
    rules = _rules()
    assert "BR-01" in rules  # no specification identifier (BT-24)
    assert "BR-CO-10" in rules  # BT-106 differs from the (empty) sum of line net amounts


def test_compiled_stylesheet_survives_fork() -> None:
    before = _rules()  # compiles in this process
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue[list[str]] = context.Queue()
    child = context.Process(target=_in_child, args=(queue,))
    child.start()
    child_rules = queue.get(timeout=60)
    child.join(timeout=60)
    assert child.exitcode == 0
    assert child_rules == before


def test_one_compiled_stylesheet_serves_four_threads() -> None:
    expected = _rules()
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: _rules(), range(16)))
    assert all(r == expected for r in results)
