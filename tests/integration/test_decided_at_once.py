"""Two people deciding the same binding, creditor proposal, bank account or hold at the
same moment (issue 21): one decision stands, the other person gets a German "bereits
entschieden" - never an IntegrityError / StaleDataError (a 500 in the web app). On SQLite
and PostgreSQL, several rounds each (two threads released by one barrier)."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from typing import Any

from einvoice.bootstrap import Container
from einvoice.samplegen.spec import german_vat_id, iban
from einvoice.services import creditors, holds, workflow
from einvoice.services.accounts import Role, create_account
from einvoice.services.creditor_assignment import assign_creditor
from einvoice.services.workflow_base import WorkflowError
from tests.integration.workflow_setup import receive, sample, setup

ROUNDS = 4


def _at_once(*calls: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    start = threading.Barrier(len(calls))
    done: list[Any] = []
    failed: list[BaseException] = []

    def run(call: Callable[[], Any]) -> None:
        start.wait()
        try:
            done.append(call())
        except BaseException as exc:  # every outcome is looked at below
            failed.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return done, failed


def _one_stands(done: list[Any], failed: list[BaseException]) -> None:
    assert len(done) == 1, (done, failed)
    (refusal,) = failed
    assert isinstance(refusal, WorkflowError), repr(refusal)
    assert "bereits" in str(refusal) or "Vier-Augen" in str(refusal), str(refusal)


def test_bindings_and_bank_accounts_decided_at_once(container: Container) -> None:
    p = setup(container).pipeline
    hansen = creditors.find(p, "K-70001")
    for n in range(ROUNDS):
        name = f"firma{n}"
        create_account(container.sessions, name, "ein-langes-passwort", Role.SUPPLIER, name)
        entered, _ = creditors.bind(p, name, "K-70001", "kb.krause", "Vertrag")
        _one_stands(
            *_at_once(
                lambda b=entered.id: creditors.decide_binding(
                    p, b, "kb.berger", confirm=True, how="a"
                ),
                lambda b=entered.id: creditors.decide_binding(
                    p, b, "kb.zweit", confirm=False, how="b"
                ),
            )
        )
        account = iban("DE", f"1203000000{n:08d}")
        creditors.add_account(p, hansen.id, creditors.AccountInput(account), "kb.krause")
        _one_stands(
            *_at_once(
                lambda a=account: creditors.verify_account(p, hansen.id, a, "kb.berger", "Rückruf"),
                lambda a=account: creditors.verify_account(p, hansen.id, a, "kb.zweit", "Rückruf"),
            )
        )


def test_holds_and_proposals_decided_at_once(container: Container) -> None:
    p = setup(container).pipeline
    stranger = sample(0).seller
    for n in range(ROUNDS):
        first = receive(p, sample(0, number=f"BH-2025-7{n}001"))
        again = receive(p, sample(0, number=f"BH-2025-7{n}002"))
        workflow.route(p, first)
        workflow.route(p, again)
        _one_stands(
            *_at_once(
                lambda i=again: holds.clear(
                    p, i, "possible-duplicate", "a10.becker", "zwei", creditor_accounting=False
                ),
                lambda i=again: holds.clear(
                    p, i, "possible-duplicate", "a10.schmitt", "zwei", creditor_accounting=False
                ),
            )
        )
        unknown = receive(
            p,
            sample(
                0,
                number=f"NF-{n}",
                seller=dataclasses.replace(
                    stranger,
                    name=f"Neue Firma {n} GmbH",
                    electronic_address=f"rechnung@neu{n}.example",
                    vat_id=german_vat_id(f"5555555{n}"),
                    registration=None,
                ),
            ),
        )
        workflow.route(p, unknown)
        assign_creditor(p, unknown, "K-70001", "kb.krause", "Schwesterfirma")
        _one_stands(
            *_at_once(
                lambda i=unknown: assign_creditor(p, i, "K-70001", "kb.berger", "bestätigt"),
                lambda i=unknown: assign_creditor(p, i, "K-70001", "kb.zweit", "bestätigt"),
            )
        )
    assert workflow.verify_audit(p).ok
