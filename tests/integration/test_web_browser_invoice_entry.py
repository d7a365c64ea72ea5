"""The Weberfassung end to end in Chromium (issue 26, Must show), with screenshots to look at
in ``tests/artifacts/web/erfassen-*.png``:

- a supplier without e-invoice software types a two-line invoice with Skonto and an
  attachment, previews and submits it - with the keyboard only;
- the clerk finds it in the queue with the channel "Weberfassung" and returns it;
- the supplier corrects it from the prefilled form (keyboard only), and it is approved
  (sachlich and rechnerisch richtig by the clerk, the payment ordered by the approver);
- field errors typed by keyboard (a wrong IBAN, a missing quantity): named next to their
  field and tied to it (aria-describedby, aria-invalid), the focus on the error summary,
  whose links lead to the fields.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from einvoice.services.accounts import Role
from einvoice.services.creditors import bind
from tests.integration.browser import chromium, live_server, same_page, shot, sign_in, sign_out
from tests.integration.plain_words import unplain
from tests.integration.web import PASSWORD, account, make_app

TAB_LIMIT = 250  # Tab presses before giving up on reaching an element (the form is long)
NUMBER = "HB-2026-0815"
LOGINS = ["hansen", "a10.becker", "a10.schmitt"]
#: a minimal PDF as the attachment (a timesheet)
TIMESHEET = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# --- the keyboard ---------------------------------------------------------------------------


def _focused(page: Any, selector: str) -> bool:
    return bool(page.locator(selector).first.evaluate("el => el === document.activeElement"))


def _tab_to(page: Any, selector: str, what: str) -> None:
    """Press Tab until ``selector`` has the focus (at most TAB_LIMIT times)."""
    target = page.locator(selector).first
    target.wait_for(state="visible")
    if _focused(page, selector):
        return
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if _focused(page, selector):
            return
    raise AssertionError(f"{what} not reached with {TAB_LIMIT} Tab presses ({page.url})")


def _type(page: Any, name: str, text: str) -> None:
    """Tab to the form field ``name``, replace what it holds with ``text``."""
    selector = f"#f-{name}"
    _tab_to(page, selector, f"the field {name}")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.type(text)
    assert page.input_value(selector) == text, (name, page.input_value(selector))


def _choose(page: Any, name: str, typed: str, value: str | None = None) -> str:
    """Tab to the list ``name`` and choose an option by typing the start of its text.

    ASCII only: Playwright types a letter its US keyboard lacks (ü) as inserted text, which
    Chromium gives to the last text field, not to the list."""
    assert typed.isascii(), typed
    selector = f"#f-{name}"
    _tab_to(page, selector, f"the list {name}")
    page.keyboard.type(typed)
    chosen: str = page.input_value(selector)
    assert chosen and chosen == (value or chosen), (name, chosen)
    return chosen


def _date(page: Any, name: str, iso: str, order: str) -> None:
    """Tab to the date field ``name`` and type the date segment by segment, in the order
    the browser's date field shows them (``order``: e.g. "dmy")."""
    selector = f"#f-{name}"
    _tab_to(page, selector, f"the date {name}")
    year, month, day = iso.split("-")
    for part in order:
        page.keyboard.type({"d": day, "m": month, "y": year}[part])
    assert page.input_value(selector) == iso, (name, page.input_value(selector))


def _press(page: Any, selector: str, what: str) -> None:
    """Tab to a button or link and press Enter; wait until the next page has loaded (a
    form's answer may come to the same address: its content is waited for after this)."""
    _tab_to(page, selector, what)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _arrived(page: Any, selector: str, what: str) -> None:
    """Wait (bounded) for ``selector`` on the page ``_press`` led to; the form's error
    summary instead fails at once, with what it says."""
    page.locator(f"{selector}, .error-summary").first.wait_for()
    summary = page.locator(".error-summary")
    if summary.count():
        raise AssertionError(f"{what}: the page shows errors: {summary.first.inner_text()}")


def _date_order(browser: Any) -> str:
    """The segments of this browser's date field in typing order ("dmy" in German, "mdy"
    with an English user interface): typed as 01, 02, 2003 the value tells the order."""
    probe = browser.new_page()
    try:
        probe.set_content('<input type="date" id="d">')
        probe.focus("#d")
        probe.keyboard.type("01022003")
        found = {"2003-02-01": "dmy", "2003-01-02": "mdy"}.get(probe.input_value("#d"))
        assert found is not None, f"unknown date field layout: {probe.input_value('#d')!r}"
        return found
    finally:
        probe.close()


def _sign_in_by_keyboard(page: Any, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.locator("input[name=username]").wait_for()
    _tab_to(page, "input[name=username]", "the user name")
    page.keyboard.type(username)
    _tab_to(page, "input[name=password]", "the password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.locator("button:has-text('Abmelden')").wait_for()


def _to_the_entry_area(page: Any) -> None:
    _press(page, "header nav a:has-text('Rechnung erfassen')", "the menu 'Rechnung erfassen'")
    page.locator("h1:has-text('Rechnung erfassen')").wait_for()


def _new_invoice(page: Any) -> None:
    _press(page, "button:has-text('Neue Rechnung')", "the button 'Neue Rechnung'")
    page.locator("#f-nummer").wait_for()


# --- the world ------------------------------------------------------------------------------


def _world(tmp_path: Path) -> tuple[Any, Any]:
    application, container = make_app(tmp_path)
    # one company's account (bound to its creditor by creditor accounting, four eyes)
    account(
        container,
        "hansen",
        Role.SUPPLIER,
        bound=False,
        organisation="Bürobedarf Hansen GmbH",
        email="jana@hansen.example",
    )
    bind(container.pipeline, "hansen", "K-70001", "kb.test", "Bürobedarf Hansen")
    bind(container.pipeline, "hansen", "K-70001", "kb.zweit", "Bürobedarf Hansen")
    account(container, "a10.becker", Role.CLERK, department="amt-10")
    account(container, "a10.schmitt", Role.APPROVER, department="amt-10")
    return application, container


def _plain(page: Any) -> None:
    body = page.inner_text("body")
    assert not unplain(body, LOGINS), unplain(body, LOGINS)


# --- the Must show --------------------------------------------------------------------------


def test_typed_invoice_is_returned_corrected_and_approved(tmp_path: Path) -> None:
    application, _ = _world(tmp_path)
    timesheet = tmp_path / "Stundenzettel-November.pdf"
    timesheet.write_bytes(TIMESHEET)
    with live_server(application) as base, chromium() as browser:
        order = _date_order(browser)
        page = browser.new_page(locale="de-DE", viewport={"width": 1280, "height": 900})
        # Playwright catches the system's file dialog only while a listener is registered, and
        # it asks the browser for that without waiting for the answer: a listener from the
        # start (added by expect_file_chooser right before the key, 1 run in 3 missed the dialog)
        page.on("filechooser", lambda _chooser: None)

        # --- the supplier, keyboard only: a two-line invoice with Skonto and an attachment
        _sign_in_by_keyboard(page, base, "hansen")
        _to_the_entry_area(page)
        assert "Bürobedarf Hansen GmbH" in page.locator("main").inner_text()
        shot(page, "erfassen-01-uebersicht")
        _new_invoice(page)
        form_url = page.url
        # prefilled from the creditor file: the company, its verified bank account
        assert page.input_value("#f-verkaeufer_name") == "Bürobedarf Hansen GmbH"
        assert page.input_value("#f-iban").replace(" ", "") == "DE29290500000012345678"
        shot(page, "erfassen-02-formular-leer")
        _type(page, "nummer", NUMBER)
        assert _choose(page, "leitweg_id", "Amt 10").startswith("04011000-")
        _type(page, "kontakt_telefon", "0421 987654")
        _date(page, "lieferdatum", "2026-11-30", order)
        _type(page, "zeile-1-beschreibung", "Kopierpapier A4, 80 g, Karton zu 2.500 Blatt")
        _type(page, "zeile-1-menge", "10")
        _choose(page, "zeile-1-einheit", "St", "H87")
        _type(page, "zeile-1-preis", "24,90")
        _choose(page, "zeile-1-ust", "19", "S:19")
        _press(page, "button[value=zeile]", "the button 'Zeile hinzufügen'")
        page.locator("#f-zeile-2-beschreibung").wait_for()
        # the page comes back at the new row (#zeile-2): the keyboard goes on there
        page.keyboard.press("Tab")
        assert _focused(page, "#f-zeile-2-beschreibung"), (
            "Tab after 'Zeile hinzufügen'",
            page.evaluate("document.activeElement && document.activeElement.outerHTML"),
        )
        page.keyboard.type("Lieferung und Aufbau im Rathaus")
        _type(page, "zeile-2-menge", "1,5")
        _choose(page, "zeile-2-einheit", "Stunde", "HUR")
        _type(page, "zeile-2-preis", "48,00")
        _choose(page, "zeile-2-ust", "19", "S:19")
        _type(page, "skonto_tage", "14")
        _type(page, "skonto_prozent", "2,00")
        # the attachment: the file input opens the system's file dialog (Playwright answers it)
        _tab_to(page, "#f-anlage", "the file input")
        with page.expect_file_chooser() as chooser:
            page.keyboard.press("Space")
        chooser.value.set_files(str(timesheet))
        _type(page, "anlage_beschreibung", "Stundenzettel November")
        _press(page, "button[value=anlage]", "the button 'Anlage hinzufügen'")
        page.locator("#anlagen a:has-text('Stundenzettel-November.pdf')").wait_for()
        assert page.input_value("#f-zeile-2-preis") == "48,00"  # the form kept what was typed
        # the live sums (JavaScript) stand at once on the page shown again
        page.locator("#summen-live:has-text('321,00')").wait_for()
        shot(page, "erfassen-03-formular-ausgefuellt")

        _press(page, "button[value=vorschau]", "the button 'Vorschau'")
        _arrived(page, ".verdict.accept:has-text('würde angenommen')", "the preview")
        assert page.url.endswith("/vorschau")
        totals = page.get_by_role("table", name="Summen der Rechnung").inner_text()
        # 10 x 24,90 + 1,5 h x 48,00 = 249,00 + 72,00 = 321,00 net; 19 % = 60,99
        for amount in ("321,00", "60,99", "381,99"):
            assert amount in totals, (amount, totals)
        rendering = page.locator("main").inner_text()
        assert "Skonto" in rendering and "Stundenzettel-November.pdf" in rendering
        _plain(page)
        shot(page, "erfassen-04-vorschau")
        _press(page, "button:has-text('Einreichen')", "the button 'Einreichen' of the preview")
        _arrived(page, "h1:has-text('Prüfbericht zu Ihrer Einreichung')", "the submission")
        assert "/einreichungen/" in page.url
        assert "Angenommen" in page.locator(".verdict.accept").inner_text()
        shot(page, "erfassen-05-eingereicht")
        _press(page, "button:has-text('Abmelden')", "the button 'Abmelden'")
        page.wait_for_url("**/login?hinweis=abgemeldet")

        # --- the clerk: the queue shows the channel; returned with a note
        sign_in(page, base, "a10.becker", PASSWORD)
        page.wait_for_url("**/eingang")
        row = page.locator("table.queue tbody tr", has_text=NUMBER)
        row.wait_for()
        assert "Weberfassung" in row.inner_text(), row.inner_text()
        shot(page, "erfassen-06-eingang-weberfassung")
        row.locator(f"a:has-text('{NUMBER}')").click()
        page.wait_for_url("**/rechnungen/*")
        invoice_url = page.url.split("?")[0]
        facts = page.locator("dl.facts", has_text="Kanal")
        facts.wait_for()
        assert "Weberfassung" in facts.inner_text()
        assert page.locator("text=Stundenzettel-November.pdf").first.is_visible()
        page.click("summary:has-text('An den Lieferanten zurückgeben')")
        page.fill("#rueckgabe", "Bitte die Bestellnummer B-4711 angeben.")
        page.click("button:has-text('Zurückgeben')")
        page.wait_for_url(same_page(invoice_url))
        page.locator("text=Die Rechnung wurde an den Lieferanten zurückgegeben").wait_for()
        shot(page, "erfassen-07-zurueckgegeben")
        sign_out(page)

        # --- the supplier corrects it from the prefilled form, keyboard only
        _sign_in_by_keyboard(page, base, "hansen")
        _to_the_entry_area(page)
        returned = page.locator("section", has_text="Zurückgegebene Rechnungen")
        returned.wait_for()
        assert "Bitte die Bestellnummer B-4711 angeben." in returned.inner_text()
        shot(page, "erfassen-08-zurueckgegeben-lieferant")
        _press(page, "button:has-text('Korrigieren')", "the button 'Korrigieren'")
        page.locator("text=Die Stadt hat die Rechnung zurückgegeben").wait_for()
        assert page.url != form_url
        prefilled = {
            name: page.input_value(f"#f-{name}")
            for name in (
                "nummer",
                "zeile-1-menge",
                "zeile-1-preis",
                "zeile-2-beschreibung",
                "zeile-2-einheit",
                "skonto_tage",
                "skonto_prozent",
                "lieferdatum",
            )
        }
        assert prefilled == {
            "nummer": NUMBER,
            "zeile-1-menge": "10",
            "zeile-1-preis": "24,90",
            "zeile-2-beschreibung": "Lieferung und Aufbau im Rathaus",
            "zeile-2-einheit": "HUR",
            "skonto_tage": "14",
            "skonto_prozent": "2,00",
            "lieferdatum": "2026-11-30",
        }, prefilled
        assert page.locator("#anlagen", has_text="Stundenzettel-November.pdf").count() == 1
        shot(page, "erfassen-09-korrektur-vorausgefuellt")
        _type(page, "bestellnummer", "B-4711")
        _press(page, "button[value=einreichen]", "the button 'Einreichen'")
        _arrived(page, "h1:has-text('Prüfbericht zu Ihrer Einreichung')", "the correction")
        assert "Angenommen" in page.locator(".verdict.accept").inner_text()
        shot(page, "erfassen-10-korrektur-eingereicht")
        _press(page, "button:has-text('Abmelden')", "the button 'Abmelden'")
        page.wait_for_url("**/login?hinweis=abgemeldet")

        # --- approved: the clerk signs twice, the approver orders the payment
        sign_in(page, base, "a10.becker", PASSWORD)
        page.wait_for_url("**/eingang")
        row = page.locator("table.queue tbody tr", has_text=NUMBER)
        row.wait_for()
        assert "Fassung 2" in row.inner_text() and "Weberfassung" in row.inner_text()
        row.locator(f"a:has-text('{NUMBER}')").click()
        page.wait_for_url("**/rechnungen/*")
        corrected_url = page.url.split("?")[0]
        assert corrected_url != invoice_url
        page.locator("text=B-4711").first.wait_for()
        for step in ("Sachlich richtig zeichnen", "Rechnerisch richtig zeichnen"):
            button = page.locator(f"button:has-text('{step}')")
            button.click()
            page.wait_for_url(same_page(corrected_url))
            button.wait_for(state="detached")
        shot(page, "erfassen-11-gezeichnet")
        sign_out(page)
        sign_in(page, base, "a10.schmitt", PASSWORD)
        page.goto(corrected_url)
        page.click("button:has-text('Zahlung anordnen')")
        page.wait_for_url(same_page(corrected_url))
        page.locator("text=Ihre Anordnung der Zahlung wurde gespeichert").wait_for()
        shot(page, "erfassen-12-angeordnet")
        sign_out(page)

        # --- the supplier reads it, keyboard only
        _sign_in_by_keyboard(page, base, "hansen")
        _press(page, "header nav a:has-text('Meine Rechnungen')", "the menu 'Meine Rechnungen'")
        row = page.locator("tr", has_text=NUMBER).first
        row.wait_for()
        page.locator("tr", has_text="Freigegeben").first.wait_for()
        _plain(page)
        shot(page, "erfassen-13-lieferant-freigegeben")


def test_field_errors_typed_by_keyboard_are_tied_to_their_fields(tmp_path: Path) -> None:
    application, _ = _world(tmp_path)
    with live_server(application) as base, chromium() as browser:
        order = _date_order(browser)
        page = browser.new_page(locale="de-DE", viewport={"width": 1280, "height": 900})
        _sign_in_by_keyboard(page, base, "hansen")
        _to_the_entry_area(page)
        _new_invoice(page)
        _type(page, "nummer", "HB-2026-0816")
        _choose(page, "leitweg_id", "Amt 10")
        _type(page, "kontakt_telefon", "0421 987654")
        _date(page, "lieferdatum", "2026-11-30", order)
        _type(page, "zeile-1-beschreibung", "Toner schwarz")
        # no quantity
        _choose(page, "zeile-1-einheit", "St", "H87")
        _type(page, "zeile-1-preis", "89,00")
        _choose(page, "zeile-1-ust", "19", "S:19")
        _type(page, "iban", "DE12 3456 7890 1234 5678 90")  # a wrong check sum
        _press(page, "button[value=vorschau]", "the button 'Vorschau'")
        summary = page.locator(".error-summary")
        summary.wait_for()
        # the focus is on the summary (a screen reader reads it out first)
        try:
            page.wait_for_function(
                "() => document.activeElement && document.activeElement.id === 'fehler'",
                timeout=5_000,
            )
        except Exception as exc:  # playwright's TimeoutError: say where the focus is
            where = page.evaluate("document.activeElement && document.activeElement.outerHTML")
            raise AssertionError(f"the focus is not on the error summary: {where[:120]}") from exc
        shot(page, "erfassen-20-fehler")
        text = summary.inner_text()
        assert "2 Angaben fehlen oder passen nicht" in text, text
        for name, words in (("iban", "IBAN"), ("zeile-1-menge", "Menge")):
            field = page.locator(f"#f-{name}")
            assert field.get_attribute("aria-invalid") == "true", name
            described = (field.get_attribute("aria-describedby") or "").split()
            assert f"e-{name}" in described, (name, described)
            message = page.locator(f"#e-{name}")
            assert message.is_visible() and words in message.inner_text(), message.inner_text()
            # next to its field: right below it, not somewhere else on the page
            box, under = field.bounding_box(), message.bounding_box()
            assert box is not None and under is not None
            assert 0 <= under["y"] - (box["y"] + box["height"]) < 40, (name, box, under)
            assert abs(under["x"] - box["x"]) < 5, (name, box, under)
        # a mistyped IBAN is not announced as a new bank account (only its error is named)
        assert page.locator("text=noch nicht bekannt").count() == 0
        # what was typed stays
        assert page.input_value("#f-iban") == "DE12 3456 7890 1234 5678 90"
        assert page.input_value("#f-zeile-1-preis") == "89,00"
        _plain(page)

        # the summary's link leads the keyboard to the field
        page.keyboard.press("Tab")
        assert _focused(page, ".error-summary a"), "Tab from the summary to its first link"
        target = page.locator(".error-summary a").first.get_attribute("href")
        assert target in ("#f-iban", "#f-zeile-1-menge"), target
        page.keyboard.press("Enter")
        page.wait_for_function(
            "id => document.activeElement && document.activeElement.id === id", arg=target[1:]
        )

        # corrected by keyboard: the preview accepts it
        _type(page, "zeile-1-menge", "3")
        _type(page, "iban", "DE29 2905 0000 0012 3456 78")
        _press(page, "button[value=vorschau]", "the button 'Vorschau'")
        _arrived(page, ".verdict.accept:has-text('würde angenommen')", "the corrected preview")
        assert "267,00" in page.get_by_role("table", name="Summen der Rechnung").inner_text()
        shot(page, "erfassen-21-fehler-behoben-vorschau")
