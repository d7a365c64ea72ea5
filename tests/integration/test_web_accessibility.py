"""BITV 2.0 / WCAG 2.1 A and AA: axe-core in Chromium over every page of every role.

Each role (and an anonymous visitor) crawls the app from its start page,
following every same-origin link, and axe-core (bundled by
``axe-playwright-python``) checks each HTML page it reaches; states that only a
form reaches (the rejection's confirmation, error pages) are visited as well.
Every HTML page route of the app must have been checked by at least one role,
so a new page cannot slip past this test. Zero violations are allowed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from einvoice.services import workflow
from einvoice.services.accounts import Role
from tests.helpers import ROOT
from tests.integration.browser import chromium, live_server, shot
from tests.integration.plain_words import pdf_text, unplain
from tests.integration.web import PASSWORD, account, make_app

SAMPLES = ROOT / "samples"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PER_ROUTE = 2  # pages checked per route pattern and role (e.g. two invoice pages)
#: routes that answer files, JSON or redirects, not pages: the health checks, and the
#: sign-on's hops to and from the city's OpenID provider (walked in test_web_browser_accounts)
NOT_PAGES = re.compile(
    r"^/(api/|static/|healthz|readyz|openapi|docs|redoc)|/original$|/pdf$|\.pdf$|/anlagen/|/seiten/|\.csv$|\.xml$|"
    r"\.\{kind\}$|/darstellung/|^/logout$|^/login/sso|^/favicon\.ico$"
)

#: pages whose subject is the sign-in itself: the administrators' list of accesses and the
#: security log, "Mein Zugang", and creditor accounting's portal accounts and their bindings
LOGIN_PAGES = {
    "/verwaltung/zugaenge",
    "/verwaltung/sicherheit",
    "/konto",
    "/kreditoren",
    "/kreditoren/bindungen",
    "/kreditoren/{creditor_id}",
}


def _login(page: Any, base: str, username: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Anmelden')")
    page.wait_for_load_state()


def _page_routes(application: Any) -> dict[str, re.Pattern[str]]:
    """Every GET page route of the app (also inside included routers), as a regex."""
    from tests.integration.test_web_authorization import _routes

    found: dict[str, re.Pattern[str]] = {}
    for method, path in _routes(application):
        if method == "GET" and not NOT_PAGES.search(path):
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))
            found[path] = re.compile(f"^{pattern}$")
    assert len(found) >= 10, found
    return found


def _route_of(path: str, routes: dict[str, re.Pattern[str]]) -> str | None:
    return next((name for name, regex in routes.items() if regex.match(path)), None)


class Checker:
    def __init__(
        self, base: str, routes: dict[str, re.Pattern[str]], logins: tuple[str, ...] = ()
    ) -> None:
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.base = base
        self.routes = routes
        self.logins = logins
        self.checked: dict[str, list[str]] = {}  # route -> "role: url"
        self.violations: list[str] = []
        self.unplain: list[str] = []  # raw keys, bare rule ids, XPaths, login names, "(en)"
        self.pages = 0

    def check(self, page: Any, who: str) -> None:
        results = self.axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG}})
        self.pages += 1
        path = urlsplit(page.url).path
        route = _route_of(path, self.routes) or path
        self.checked.setdefault(route, []).append(f"{who}: {page.url}")
        logins = () if route in LOGIN_PAGES else self.logins
        for finding in unplain(page.inner_text("body"), logins):
            self.unplain.append(f"{who} {page.url}: {finding}")
        for violation in results.response["violations"]:
            targets = [n["target"] for n in violation["nodes"]][:3]
            self.violations.append(
                f"{who} {page.url}: {violation['id']} ({violation['impact']}) "
                f"{violation['help']} at {targets}"
            )

    def crawl(self, page: Any, who: str, start: list[str]) -> None:
        queue = [self.base + s for s in start]
        seen: set[str] = set()
        per_route: dict[str, int] = {}
        while queue:
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            parts = urlsplit(url)
            route = _route_of(parts.path, self.routes)
            if route is None:
                continue
            if per_route.get(route, 0) >= PER_ROUTE:
                continue
            response = page.goto(url)
            assert response is not None
            if "text/html" not in (response.headers.get("content-type") or ""):
                continue
            per_route[route] = per_route.get(route, 0) + 1
            self.check(page, who)
            for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
                target = urljoin(url, href).split("#")[0]
                if target.startswith(self.base) and target not in seen:
                    queue.append(target)


def _seed(application: Any, container: Any, browser: Any, base: str, tmp_path: Path) -> None:
    """Invoices in several states: accepted, rejected, returned and corrected, a PDF, held."""
    from sqlalchemy import select

    from einvoice.samplegen.spec import iban
    from einvoice.samplegen.ubl import to_ubl
    from einvoice.services import creditors
    from einvoice.services.ports import utcnow
    from einvoice.storage.accounts import Account
    from tests.integration.workflow_setup import sample

    page = browser.new_page(locale="de-DE")
    _login(page, base, "hansen")
    for path in (
        SAMPLES / "xrechnung-ubl.xml",
        SAMPLES / "zugferd-en16931.pdf",
        SAMPLES / "invalid" / "ubl-ohne-leitweg-id.xml",
        SAMPLES / "xrechnung-cii.xml",
    ):
        page.goto(base + "/einreichen")
        page.set_input_files("input[type=file]", str(path))
        page.click("button:has-text('Einreichen und prüfen')")
        page.wait_for_url("**/einreichungen/*")
    # issue 26: an invoice typed into the portal and submitted (its draft links its preview)
    _enter_invoice(page, base, "WE-A11Y-1", "Einreichen")
    page.close()
    # issue 12: an upload in another company's name with another IBAN (held: queue marker,
    # holds on the invoice page) from an account whose binding waits for creditor accounting
    account(container, "mallory", Role.SUPPLIER, bound=False, organisation="Irgendwas")
    with container.sessions() as session:
        mallory = session.scalars(select(Account).where(Account.username == "mallory")).one()
        creditors.request_binding(
            session, mallory.id, "Kommunal-IT", "DE271828180", "m@freemail.example", utcnow()
        )
        session.commit()
    forged = tmp_path / "kit.xml"
    forged.write_bytes(to_ubl(sample(1, iban=iban("DE", "370400440532013000"), number="KIT-9")))
    page = browser.new_page(locale="de-DE")
    _login(page, base, "mallory")
    page.goto(base + "/einreichen")
    page.set_input_files("input[type=file]", str(forged))
    page.click("button:has-text('Einreichen und prüfen')")
    page.wait_for_url("**/einreichungen/*")
    page.close()
    pipeline = container.pipeline
    queue = workflow.queue(pipeline, None)
    assert len(queue.items) >= 2, "the seeded invoices did not reach the workflow"
    first = queue.items[0].invoice_id
    workflow.act(
        pipeline, first, "return_to_supplier", "a10.becker", "Bitte Bestellnummer ergänzen"
    )


def _enter_invoice(page: Any, base: str, number: str, then: str | None) -> None:
    """The supplier types a one-line invoice into the Weberfassung (issue 26); ``then``:
    the button pressed at the end ("Vorschau", "Einreichen"), None: left as an empty draft."""
    page.goto(base + "/rechnung-erfassen")
    page.click("button:has-text('Neue Rechnung')")
    page.wait_for_url("**/rechnung-erfassen/*")
    page.locator("#f-nummer").wait_for()
    if then is None:
        return
    page.fill("#f-nummer", number)
    page.select_option("#f-leitweg_id", "04011000-12345-03")
    page.fill("#f-lieferdatum", "2026-11-30")
    for field in ("#f-verkaeufer_email", "#f-kontakt_email"):
        page.fill(field, "rechnung@hansen.example")
    page.fill("#f-kontakt_telefon", "0421 123456")
    page.fill("#f-zeile-1-beschreibung", "Druckerpapier A4")
    page.fill("#f-zeile-1-menge", "10")
    page.select_option("#f-zeile-1-einheit", "H87")
    page.fill("#f-zeile-1-preis", "4,50")
    page.select_option("#f-zeile-1-ust", "S:19")
    page.click(f"button:has-text('{then}')")
    page.wait_for_url("**/vorschau" if then == "Vorschau" else "**/einreichungen/*")
    page.locator("main h1").first.wait_for()


def _invoice_numbered(container: Any, number: str) -> int:
    from sqlalchemy import select

    from einvoice.storage.tables import Invoice

    with container.sessions() as session:
        found: int = session.scalars(select(Invoice.id).where(Invoice.number == number)).one()
    return found


def _reset_token(application: Any, container: Any) -> str:
    """The link a supplier gets by e-mail after 'Passwort vergessen'."""
    from sqlalchemy import select

    from einvoice.services import tokens
    from einvoice.storage.accounts import Account

    with container.sessions() as session:
        hansen = session.scalars(select(Account).where(Account.username == "hansen")).one()
        payload = {"a": hansen.id, "p": tokens.fingerprint(hansen.password_hash)}
    signer = tokens.Signer(application.state.settings.secret_key)
    return signer.make(tokens.RESET_PASSWORD, payload)


def test_every_page_of_every_role_has_no_wcag_violations(tmp_path: Path) -> None:
    application, container = make_app(tmp_path)
    users = {
        Role.SUPPLIER: ("hansen", {"organisation": "Bürobedarf Hansen GmbH"}),
        Role.CLERK: ("a10.becker", {"department": "amt-10"}),
        Role.APPROVER: ("a10.schmitt", {"department": "amt-10"}),
        Role.DEPARTMENT_ADMIN: ("a10.neumann", {"department": "amt-10"}),
        Role.STABSSTELLE: ("stab.meier", {}),
        Role.ADMIN: ("betrieb.admin", {}),
    }
    for role in Role:  # a role added later (e.g. Kreditorenbuchhaltung) is crawled too
        users.setdefault(
            role, (f"{role.value.replace('_', '')[:20]}.test", {"department": "amt-10"})
        )
    for role, (username, extra) in users.items():
        account(container, username, role, **extra)
    routes = _page_routes(application)
    with live_server(application) as base, chromium() as browser:
        _seed(application, container, browser, base, tmp_path)
        logins = (*(name for name, _ in users.values()), "mallory", "re.zentral")
        checker = Checker(base, routes, logins)
        anonymous = browser.new_page(locale="de-DE")
        checker.crawl(anonymous, "anonym", ["/", "/login", "/registrieren", "/barrierefreiheit"])
        anonymous.goto(base + "/gibt-es-nicht")
        checker.check(anonymous, "anonym (404)")
        # the pages behind the links of the e-mails: a valid reset link, a spoiled one
        anonymous.goto(base + "/passwort-neu?token=" + _reset_token(application, container))
        assert anonymous.locator("input[type=password]").count() >= 1
        checker.check(anonymous, "anonym (Link aus der E-Mail)")
        anonymous.goto(base + "/email-bestaetigen?token=verdorben")
        assert "Link ungültig" in anonymous.content()
        checker.check(anonymous, "anonym (ungültiger Link)")
        for role, (username, _) in users.items():
            page = browser.new_page(locale="de-DE", viewport={"width": 1280, "height": 900})
            _login(page, base, username)
            checker.crawl(page, role.value, ["/", "/barrierefreiheit"])
            page.close()
        # the office that handles unassigned invoices also sees those rejected on arrival
        account(container, "re.zentral", Role.CLERK, department="rechnungseingang")
        page = browser.new_page(locale="de-DE", viewport={"width": 1280, "height": 900})
        _login(page, base, "re.zentral")
        checker.crawl(page, "clerk (Rechnungseingang)", ["/eingang"])
        page.close()

        # states only a form reaches: several files at once, a search, a refused upload
        supplier = browser.new_page(locale="de-DE")
        _login(supplier, base, "hansen")
        supplier.goto(base + "/einreichen")
        supplier.set_input_files(
            "input[type=file]",
            [
                str(SAMPLES / "invalid" / "cii-summe-falsch.xml"),
                str(SAMPLES / "zugferd-en16931.pdf"),
            ],
        )
        supplier.click("button:has-text('Einreichen und prüfen')")
        supplier.wait_for_url("**/einreichen")
        assert "Ergebnis Ihrer Einreichung" in supplier.content()
        checker.check(supplier, "supplier (mehrere Dateien)")
        supplier.goto(base + "/meine-rechnungen?stand=abgelehnt&q=summe")
        checker.check(supplier, "supplier (Suche)")
        supplier.goto(base + "/meine-rechnungen?q=gibt-es-nicht")
        checker.check(supplier, "supplier (nichts gefunden)")
        # issue 26, the Weberfassung: empty, with errors, preview, a correction
        _enter_invoice(supplier, base, "", None)
        checker.check(supplier, "supplier (Rechnung erfassen, leer)")
        supplier.click("button:has-text('Vorschau')")
        supplier.locator(".error-summary").wait_for()
        checker.check(supplier, "supplier (Rechnung erfassen, mit Fehlern)")
        shot(supplier, "axe-weberfassung-fehler")
        _enter_invoice(supplier, base, "WE-A11Y-2", "Vorschau")
        assert "würde angenommen" in supplier.content()
        checker.check(supplier, "supplier (Rechnung erfassen, Vorschau)")
        shot(supplier, "axe-weberfassung-vorschau")
        typed = _invoice_numbered(container, "WE-A11Y-1")
        workflow.act(
            container.pipeline, typed, "return_to_supplier", "a10.becker", "Bitte Bestellnummer"
        )
        supplier.goto(base + "/rechnung-erfassen")
        supplier.click(f"form[action='/rechnung-erfassen/korrektur/{typed}'] button")
        supplier.wait_for_url("**/rechnung-erfassen/*")
        supplier.locator("#f-nummer").wait_for()
        assert "Bitte Bestellnummer" in supplier.content()
        checker.check(supplier, "supplier (Rechnung korrigieren)")
        # the PDFs people read: the supplier's report of a rejected invoice, the decision paper
        supplier.goto(base + "/meine-rechnungen?stand=abgelehnt")
        report = supplier.locator("a[href$='/pruefbericht.pdf']").first.get_attribute("href")
        pdfs = {"Prüfbericht (PDF)": supplier.request.get(urljoin(base, report or "")).body()}
        supplier.close()
        stab = browser.new_page(locale="de-DE")
        _login(stab, base, "stab.meier")
        pdfs["Entscheidungsvorlage (PDF)"] = stab.request.get(
            base + "/stabsstelle/entscheidungsvorlage.pdf", timeout=90_000
        ).body()
        stab.close()
        for name, pdf in pdfs.items():
            for finding in unplain(pdf_text(pdf, tmp_path), checker.logins):
                checker.unplain.append(f"{name}: {finding}")

        # states only a form reaches: the rejection's confirmation, error pages
        clerk = browser.new_page(locale="de-DE")
        _login(clerk, base, "a10.becker")
        clerk.goto(base + "/eingang?sort=farbe")
        assert "Eingabe nicht verständlich" in clerk.content()
        checker.check(clerk, "clerk (422)")
        clerk.goto(base + "/stabsstelle")
        checker.check(clerk, "clerk (403)")
        clerk.goto(base + "/rechnungen/999999")
        checker.check(clerk, "clerk (404)")
        clerk.goto(base + "/eingang")
        clerk.click("table.queue tbody a >> nth=0")
        clerk.click("summary:has-text('Ablehnen')")
        clerk.fill("#ablehnung", "Leistung nicht bestellt")
        clerk.click("button:has-text('Ablehnen …')")
        question = clerk.locator("h2:has-text('Rechnung wirklich ablehnen?')")
        question.wait_for()  # the answer to the POST may still be loading
        assert question.is_visible()
        checker.check(clerk, "clerk (Ablehnung bestätigen)")
        shot(clerk, "axe-ablehnung-bestaetigen")

    summary = ROOT / "tests" / "artifacts" / "web" / "axe-summary.txt"
    summary.parent.mkdir(parents=True, exist_ok=True)
    summary.write_text(
        f"{checker.pages} pages checked, {len(checker.violations)} violations, "
        f"{len(checker.unplain)} lines not in plain words\n"
        + "".join(
            f"{route}: {len(v)}x, e.g. {v[0]}\n" for route, v in sorted(checker.checked.items())
        )
        + "".join(f"VIOLATION {v}\n" for v in checker.violations)
        + "".join(f"NOT PLAIN {v}\n" for v in checker.unplain),
        encoding="utf-8",
    )
    missing = sorted(set(routes) - set(checker.checked) - {"/"})  # "/" only redirects
    assert not missing, f"pages no role reached (add a link or a visit): {missing}"
    assert checker.pages >= 25, checker.pages
    assert not checker.violations, "\n".join(checker.violations)
    assert not checker.unplain, "\n".join(checker.unplain)


def test_stabsstelle_charts_with_their_tables_open(tmp_path: Path) -> None:
    # Each chart of the Stabsstelle carries its values as a table (WCAG 1.1.1); the crawl
    # above sees the tables folded, here axe checks them open, over a pilot's weeks of data.
    from datetime import date

    from einvoice.services.demo_history import seed_pilot_history

    application, container = make_app(tmp_path)
    seed_pilot_history(container.pipeline, date.today(), weeks=3)
    account(container, "stab.meier", Role.STABSSTELLE)
    with live_server(application) as base, chromium() as browser:
        checker = Checker(base, _page_routes(application))
        page = browser.new_page(locale="de-DE", viewport={"width": 1280, "height": 900})
        _login(page, base, "stab.meier")
        page.goto(base + "/stabsstelle")
        tables = page.locator("details.chart-table")
        assert tables.count() == 7
        for n in range(tables.count()):
            tables.nth(n).locator("summary").click()
            assert tables.nth(n).locator("table").is_visible()
        checker.check(page, "stabsstelle (Tabellen offen)")
        shot(page, "stabsstelle-tabellen")
    assert checker.pages == 1
    assert not checker.violations, "\n".join(checker.violations)


def test_invoice_page_with_the_creditor_form(tmp_path: Path) -> None:
    # An invoice whose seller is no creditor: creditor accounting names the creditor on the
    # invoice page (a form the crawl's seeded invoices do not show).
    from dataclasses import replace

    from sqlalchemy import select

    from einvoice.samplegen.spec import german_vat_id
    from einvoice.samplegen.ubl import to_ubl
    from einvoice.storage.tables import Invoice
    from tests.integration.workflow_setup import sample

    application, container = make_app(tmp_path)
    account(container, "hansen", Role.SUPPLIER, organisation="Bürobedarf Hansen GmbH")
    account(container, "kb.krause", Role.CREDITOR_ACCOUNTING)
    stranger = replace(
        sample(0).seller,
        name="Neue Firma GmbH",
        electronic_address="rechnung@neue-firma.example",
        vat_id=german_vat_id("77777777"),
        registration=None,
    )
    unknown = tmp_path / "neu.xml"
    unknown.write_bytes(to_ubl(sample(0, seller=stranger, number="NF-A11Y")))
    with live_server(application) as base, chromium() as browser:
        page = browser.new_page(locale="de-DE", viewport={"width": 1280, "height": 900})
        _login(page, base, "hansen")
        page.goto(base + "/einreichen")
        page.set_input_files("input[type=file]", str(unknown))
        page.click("button:has-text('Einreichen und prüfen')")
        page.wait_for_url("**/einreichungen/*")
        page.close()
        with container.sessions() as session:
            invoice_id = session.scalars(
                select(Invoice.id).where(Invoice.number == "NF-A11Y")
            ).one()
        checker = Checker(base, _page_routes(application))
        page = browser.new_page(locale="de-DE", viewport={"width": 1280, "height": 900})
        _login(page, base, "kb.krause")
        page.goto(f"{base}/rechnungen/{invoice_id}")
        assert page.locator("button:has-text('Kreditor zuordnen')").is_visible()
        checker.check(page, "kreditorenbuchhaltung (Kreditor zuordnen)")
        shot(page, "axe-kreditor-zuordnen")
        # issue 25: the creditor created from the invoice (form prefilled), then proposed
        page.click("a:has-text('Neuen Kreditor aus dieser Rechnung anlegen')")
        page.wait_for_url("**/kreditoren/neu?rechnung=*")
        checker.check(page, "kreditorenbuchhaltung (Kreditor aus Rechnung anlegen)")
        page.fill("input[name=number]", "K-80099")
        page.fill("textarea[name=reason]", "USt-IdNr. bestätigt")
        page.click("button:has-text('Kreditor anlegen und vorschlagen')")
        page.wait_for_url("**hinweis=kreditor-angelegt")
        checker.check(page, "kreditorenbuchhaltung (Kreditor vorgeschlagen)")
        shot(page, "axe-kreditor-angelegt")
    assert checker.pages == 3
    assert not checker.violations, "\n".join(checker.violations)
