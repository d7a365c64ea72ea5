"""Single sign-on refuses every ID token it must not trust (issue 21, findings 3, 4, 7).

Before: an unsigned ID token (``alg: none``, offered by the provider's discovery) signed
in as admin; an ``http://`` issuer was accepted; a wrong issuer, audience, expiry, nonce,
key, an HS256 token and a tampered payload each ended in HTTP 500 without a security
event; provider errors reached the user in English ("mismatching_state: CSRF
Warning!"); and a name from the provider equal to a routing person's
(``dez1.hartmann``) made an account with that person's approval limits.

Now each is a German refusal page (403) and a ``login_failed`` event with the reason.
The broken provider is tests/integration/oidc_rogue.py (it offers ``none`` and HS256);
the real ``oidc-provider`` (npm) is used in test_web_sso_real_provider.py.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from einvoice.errors import ConfigurationError
from einvoice.services import account_admin
from einvoice.services import security_log as sec
from einvoice.services.accounts import Role
from einvoice.web.oidc import OidcSettings, settings_from
from tests.integration.oidc_rogue import rogue_provider
from tests.integration.web import client, make_app

CLERK = {
    "sub": "u-4711",
    "role": "clerk",
    "department": "amt-10",
    "name": "Carla Clerk",
    "preferred_username": "carla.clerk",
}
ATTACKER = {**CLERK, "sub": "u-666", "role": "admin", "preferred_username": "mallory"}


def sso_app(tmp_path: Path, issuer: str) -> tuple[Any, Any]:
    application, container = make_app(tmp_path)
    application.state.settings = replace(
        application.state.settings,
        oidc=OidcSettings(
            issuer=issuer,
            client_id="einvoice-web",
            client_secret="geheim-1",
            scope="openid email profile",
            allow_loopback_http=True,
        ),
        staff_password_login=False,
    )
    application.state.oidc_client = None
    return application, container


def sign_in(application: Any, *, state: str | None = None) -> httpx.Response:
    """Start at /login/sso, let the provider answer, come back to the callback."""
    browser = client(application)
    start = browser.get("/login/sso")
    assert start.status_code == 302, start.text[:300]
    back = httpx.get(start.headers["location"], follow_redirects=False, timeout=10)
    target = back.headers["location"].removeprefix("https://testserver")
    if state is not None:
        target = target.replace("state=", f"state={state}", 1)
    return browser.get(target, headers={"accept": "text/html"})


def failures(container: Any) -> list[str]:
    return [e.detail for e in sec.events(container.sessions, kind=sec.Kind.LOGIN_FAILED.value)]


def test_a_valid_token_signs_in(tmp_path: Path) -> None:
    with rogue_provider(CLERK) as provider:
        application, container = sso_app(tmp_path, provider.issuer)
        answer = sign_in(application)
        assert answer.status_code == 303, answer.text[:500]
        assert answer.headers["location"] == "/eingang"
        rows = {r.username: r for r in account_admin.list_accounts(container.sessions)}
        assert rows["carla.clerk"].sso and rows["carla.clerk"].role is Role.CLERK
        assert failures(container) == []


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("none", "algorithm 'none' not allowed"),
        ("hs256-public-key", "algorithm 'HS256' not allowed"),
        ("hs256-secret", "algorithm 'HS256' not allowed"),
        ("wrong-issuer", "issuer"),
        ("wrong-audience", "audience"),
        ("expired", "expired"),
        ("bad-nonce", "nonce"),
        ("wrong-key", "signature"),
        ("tampered", "signature"),
    ],
)
def test_an_invalid_id_token_is_refused_with_403_and_an_event(
    tmp_path: Path, mode: str, reason: str
) -> None:
    with rogue_provider(ATTACKER) as provider:
        provider.mode = mode
        application, container = sso_app(tmp_path, provider.issuer)
        answer = sign_in(application)
        assert answer.status_code == 403, (mode, answer.status_code, answer.text[:500])
        assert "Anmeldung nicht möglich" in answer.text
        assert "städtische Anmeldung konnte nicht bestätigt werden" in answer.text
        assert "einvoice_session" not in answer.headers.get("set-cookie", "") or (
            "/eingang" not in answer.headers.get("location", "")
        )
        events = failures(container)
        assert len(events) == 1 and reason in events[0], (mode, events)
        names = [r.username for r in account_admin.list_accounts(container.sessions)]
        assert "mallory" not in names  # no account was made from the token


def test_provider_errors_and_a_foreign_state_are_german_refusals(tmp_path: Path) -> None:
    with rogue_provider(CLERK) as provider:
        application, container = sso_app(tmp_path, provider.issuer)
        answer = sign_in(application, state="fremd-")
        assert answer.status_code == 403
        assert "abgelaufen oder wurde in einem anderen Fenster begonnen" in answer.text
        assert "CSRF Warning" not in answer.text and "mismatching_state" not in answer.text
        provider.mode = "error"
        answer = sign_in(application)
        assert answer.status_code == 403
        assert "beim städtischen Anmeldedienst abgebrochen" in answer.text
        events = failures(container)
        assert any("mismatching_state" in e for e in events), events
        assert any("access_denied" in e for e in events), events
        # a callback nobody started (no state in the session) is refused as well
        answer = client(application).get(
            "/login/sso/antwort?code=x&state=y", headers={"accept": "text/html"}
        )
        assert answer.status_code == 403


def test_a_discovery_for_another_issuer_is_refused(tmp_path: Path) -> None:
    with rogue_provider(CLERK) as provider:
        provider.advertised_issuer = "https://idp.angreifer.example"
        application, container = sso_app(tmp_path, provider.issuer)
        answer = client(application).get("/login/sso", headers={"accept": "text/html"})
        assert answer.status_code == 403, answer.text[:300]
        assert any("discovery issuer" in e for e in failures(container))


def test_only_https_issuers_and_asymmetric_algorithms_can_be_configured() -> None:
    base = {"EINVOICE_OIDC_CLIENT_ID": "c", "EINVOICE_OIDC_CLIENT_SECRET": "s"}
    for issuer in ("http://idp.stadt.example", "http://127.0.0.1:8080", "ftp://x"):
        with pytest.raises(ConfigurationError, match="https"):
            settings_from({**base, "EINVOICE_OIDC_ISSUER": issuer})
    for algs in ("none", "HS256", "RS256,HS512", "RS256,none"):
        with pytest.raises(ConfigurationError, match="nie none oder HS256"):
            settings_from(
                {
                    **base,
                    "EINVOICE_OIDC_ISSUER": "https://idp.stadt.example",
                    "EINVOICE_OIDC_ID_TOKEN_ALGS": algs,
                }
            )
    good = settings_from({**base, "EINVOICE_OIDC_ISSUER": "https://idp.stadt.example"})
    assert good is not None and good.id_token_algs == ("RS256", "ES256")
    assert not good.allow_loopback_http
    with pytest.raises(ConfigurationError):
        OidcSettings(issuer="http://idp.stadt.example", client_id="c", client_secret="s")


def test_a_routing_persons_name_from_the_provider_does_not_make_that_person(
    tmp_path: Path,
) -> None:
    hartmann = {**CLERK, "sub": "u-1", "role": "approver", "preferred_username": "dez1.hartmann"}
    with rogue_provider(hartmann) as provider:
        application, container = sso_app(tmp_path, provider.issuer)
        answer = sign_in(application)
        assert answer.status_code == 403, answer.text[:300]
        assert "Person der Freigaberegeln" in answer.text
        names = [r.username for r in account_admin.list_accounts(container.sessions)]
        assert "dez1.hartmann" not in names
        assert any("dez1.hartmann" in e for e in failures(container))
        # an administrator links the person to this identity (issuer + sub): now it signs in
        account_admin.link_sso(
            container.sessions,
            "dez1.hartmann",
            f"{provider.issuer} u-1",
            actor="admin",
            role=Role.APPROVER,
            department="amt-10",
        )
        answer = sign_in(application)
        assert answer.status_code == 303, answer.text[:300]
        # another identity calling itself the same is still refused
        provider.claims = {**hartmann, "sub": "u-2"}
        answer = sign_in(application)
        assert answer.status_code == 403
