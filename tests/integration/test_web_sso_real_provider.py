"""Single sign-on against the real OpenID provider (npm ``oidc-provider``, certified):
a valid sign-in works; an HS256-signed ID token (the provider offers HS256 in its
discovery), a discovery for another issuer, a foreign state and an aborted sign-in are
each a German refusal (403) with a ``login_failed`` event (issue 21, findings 3 and 4).
The forged tokens a real provider cannot be made to send (``none``, wrong key, tampered,
expired, ...) are in test_web_sso_refusals.py."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx

from einvoice.services import account_admin
from einvoice.services import security_log as sec
from einvoice.web.oidc import OidcSettings
from tests.integration.oidc import code_flow_client, openid_provider
from tests.integration.web import client, make_app

CALLBACK = "https://testserver/login/sso/antwort"
ACCOUNTS = {"carla": {"role": "clerk", "department": "amt-10", "name": "Carla Clerk"}}


def _app(tmp_path: Path, issuer: str) -> tuple[Any, Any]:
    application, container = make_app(tmp_path)
    application.state.settings = replace(
        application.state.settings,
        oidc=OidcSettings(
            issuer=issuer,
            client_id="einvoice-web",
            client_secret="geheim-1",
            scope="openid email profile einvoice",
            allow_loopback_http=True,
        ),
        staff_password_login=False,
    )
    application.state.oidc_client = None
    return application, container


def _sign_in(application: Any, *, abort: bool = False, state: str | None = None) -> Any:
    """/login/sso -> the provider's login page (name "carla") -> back to the callback."""
    browser = client(application)
    start = browser.get("/login/sso")
    assert start.status_code == 302, start.text[:300]
    with httpx.Client(timeout=10) as provider:
        page = provider.get(start.headers["location"], follow_redirects=True)
        if abort:
            link = re.search(r'href="([^"]*/abort)"', page.text)
            assert link, page.text[:500]
            answer = provider.get(urljoin(str(page.url), link.group(1)))
        else:
            action = re.search(r'<form[^>]*action="([^"]+)"', page.text)
            assert action, page.text[:500]
            fields = dict(
                re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text)
            )
            answer = provider.post(
                urljoin(str(page.url), action.group(1)),
                data={**fields, "login": "carla", "password": "egal"},
            )
        while not answer.headers.get("location", "").startswith(CALLBACK):
            assert answer.status_code in (302, 303), (answer.status_code, answer.text[:300])
            answer = provider.get(urljoin(str(answer.url), answer.headers["location"]))
    target = answer.headers["location"].removeprefix("https://testserver")
    if state is not None:
        target = re.sub(r"state=[^&]*", f"state={state}", target)
    return browser.get(target, headers={"accept": "text/html"})


def _failures(container: Any) -> list[str]:
    return [e.detail for e in sec.events(container.sessions, kind=sec.Kind.LOGIN_FAILED.value)]


def test_real_provider_valid_sign_in_and_refusals(tmp_path: Path) -> None:
    web = code_flow_client("einvoice-web", [CALLBACK], "geheim-1")
    with openid_provider(clients=[web], accounts=ACCOUNTS) as provider:
        application, container = _app(tmp_path, provider.issuer)
        answer = _sign_in(application)
        assert answer.status_code == 303, answer.text[:500]
        names = {r.username: r for r in account_admin.list_accounts(container.sessions)}
        assert names["carla"].sso
        assert _failures(container) == []

        answer = _sign_in(application, state="fremd")
        assert answer.status_code == 403
        assert "in einem anderen Fenster begonnen" in answer.text
        assert "CSRF Warning" not in answer.text
        assert any("mismatching_state" in e for e in _failures(container))

        answer = _sign_in(application, abort=True)
        assert answer.status_code == 403
        assert "abgebrochen" in answer.text
        assert any("access_denied" in e for e in _failures(container))

        # the configured issuer is not the one the provider's discovery names
        application, container = _app(
            tmp_path / "b", provider.issuer.replace("127.0.0.1", "localhost")
        )
        answer = client(application).get("/login/sso", headers={"accept": "text/html"})
        assert answer.status_code == 403, answer.text[:300]
        assert "Anmeldung nicht möglich" in answer.text
        assert any("discovery issuer" in e for e in _failures(container))


def test_real_provider_hs256_id_token_is_refused(tmp_path: Path) -> None:
    web = code_flow_client("einvoice-web", [CALLBACK], "geheim-1")
    web["id_token_signed_response_alg"] = "HS256"
    with openid_provider(
        clients=[web], accounts=ACCOUNTS, id_token_algs=["RS256", "HS256"]
    ) as provider:
        discovery = httpx.get(provider.discovery_url, timeout=10).json()
        assert "HS256" in discovery["id_token_signing_alg_values_supported"]
        application, container = _app(tmp_path, provider.issuer)
        answer = _sign_in(application)
        assert answer.status_code == 403, answer.text[:500]
        assert "städtische Anmeldung konnte nicht bestätigt werden" in answer.text
        failures = _failures(container)
        assert len(failures) == 1 and "algorithm 'HS256' not allowed" in failures[0], failures
        assert [r.username for r in account_admin.list_accounts(container.sessions)] == []
