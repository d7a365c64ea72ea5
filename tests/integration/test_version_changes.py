"""A corrected invoice can be compared with the version it replaces (issue 25, finding 9):
tried, "Fassung 2" could only be compared with "Fassung 1" by opening both. And the supplier's
PDF sat above the readable invoice at full width instead of beside it on a wide screen."""

from __future__ import annotations

import re
from pathlib import Path

from einvoice.bootstrap import Container
from einvoice.domain.version_changes import changed_terms
from einvoice.samplegen.ubl import to_ubl
from einvoice.services import workflow
from einvoice.services.accounts import Role
from einvoice.services.versions import changes_from_previous
from tests.integration.web import account, csrf_of, login, make_app
from tests.integration.workflow_setup import receive, sample, setup


def test_changed_terms_name_group_position_and_values() -> None:
    before = {"BT-10": "", "BG-25": [{"BT-153": "Papier"}, {"BG-29": {"BT-146": "7.49"}}]}
    after = {"BT-10": "04011000-1234512345-06", "BG-25": [{"BT-153": "Papier"},
             {"BG-29": {"BT-146": "9.99"}}], "BT-13": "B-4711"}  # fmt: skip
    changes = {c.label: (c.before, c.after) for c in changed_terms(before, after)}
    assert changes == {
        "BT-10 Käuferreferenz": (None, "04011000-1234512345-06"),
        "Rechnungsposition 2 › Preiseinzelheiten › BT-146 Nettopreis des Artikels": (
            "7.49",
            "9.99",
        ),
        "BT-13 Bestellreferenz": (None, "B-4711"),
    }
    assert changed_terms(after, after) == []


def test_corrected_version_lists_what_changed(container: Container) -> None:
    s = setup(container)
    first = receive(s.pipeline, sample(21))
    workflow.route(s.pipeline, first)
    workflow.act(s.pipeline, first, "return_to_supplier", "a10.becker", "Bestellnummer fehlt")
    corrected = receive(s.pipeline, sample(21, order_reference="B-4711"))
    workflow.route(s.pipeline, corrected)
    changes = changes_from_previous(s.pipeline, corrected, first)
    assert changes is not None
    assert [(c.label, c.after) for c in changes] == [("BT-13 Bestellreferenz", "B-4711")]
    assert changes_from_previous(s.pipeline, first, None) is None


def test_invoice_page_shows_the_changes_and_original_beside_the_rendering(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    account(container, "hansen", Role.SUPPLIER, organisation="Bürobedarf Hansen GmbH")
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    supplier = login(application, "hansen")

    def upload(data: bytes) -> None:
        form = supplier.get("/einreichen")
        sent = supplier.post(
            "/einreichen", data={"csrf_token": csrf_of(form.text)}, files={"file": ("r.xml", data)}
        )
        assert sent.status_code == 303, sent.text

    upload(to_ubl(sample(0, number="V-1", skonto=())))
    clerk = login(application, "a10.becker")
    queue = clerk.get("/eingang").text
    (first,) = re.findall(r'<a href="/rechnungen/(\d+)">V-1</a>', queue)
    returned = clerk.post(
        f"/rechnungen/{first}/aktion",
        data={"action": "return_to_supplier", "comment": "Bestellnummer fehlt",
              "csrf_token": csrf_of(queue)},
    )  # fmt: skip
    assert returned.status_code == 303
    upload(to_ubl(sample(0, number="V-1", skonto=(), order_reference="B-4711")))
    (second,) = re.findall(r'<a href="/rechnungen/(\d+)">V-1</a>', clerk.get("/eingang").text)
    page = clerk.get(f"/rechnungen/{second}").text
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "Was sich gegenüber Fassung 1 geändert hat: 1 Angabe" in text
    assert "BT-13 Bestellreferenz BE-2025-04100 B-4711" in text
    assert 'class="side-by-side' in page
