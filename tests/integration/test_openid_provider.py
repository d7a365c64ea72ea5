"""The shared OpenID provider fixture works as a real provider (tests/integration/oidc.py)."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import time
from urllib.parse import parse_qs, urljoin, urlparse

import httpx

from tests.integration.oidc import client_credentials_client, code_flow_client, openid_provider

REDIRECT = "http://127.0.0.1:9/callback"  # never called: the test reads the Location header


def test_client_credentials_token_is_introspected_and_expires() -> None:
    clients = [client_credentials_client("einvoice-imap", "s3cret", {"email": "rechnung"})]
    with openid_provider(clients=clients, access_token_ttl=2) as provider:
        discovery = httpx.get(provider.discovery_url, timeout=10).json()
        assert discovery["token_endpoint"] == provider.token_endpoint
        assert discovery["introspection_endpoint"] == provider.introspection_endpoint
        token = provider.client_credentials_token("einvoice-imap", "s3cret")
        assert token["token_type"] == "Bearer" and token["expires_in"] == 2
        seen = provider.introspect(token["access_token"], "einvoice-imap", "s3cret")
        assert seen["active"] is True
        assert seen["client_id"] == "einvoice-imap" and seen["email"] == "rechnung"
        wrong = httpx.post(
            provider.token_endpoint,
            data={"grant_type": "client_credentials"},
            auth=("einvoice-imap", "falsch"),
            timeout=10,
        )
        assert wrong.status_code == 401
        time.sleep(3)
        expired = provider.introspect(token["access_token"], "einvoice-imap", "s3cret")
        assert expired == {"active": False}


def _form(html: str) -> tuple[str, dict[str, str]]:
    action = re.search(r'<form[^>]*action="([^"]+)"', html)
    assert action, html
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    return action.group(1), fields


def test_authorization_code_with_pkce_gives_the_accounts_claims() -> None:
    clients = [code_flow_client("einvoice-web", [REDIRECT], client_secret="w3b")]
    accounts = {
        "anna": {"email": "anna@stadt.example", "role": "approver", "department": "Tiefbau"}
    }
    with openid_provider(clients=clients, accounts=accounts) as provider:
        verifier = secrets.token_urlsafe(48)
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        params = {
            "client_id": "einvoice-web",
            "response_type": "code",
            "redirect_uri": REDIRECT,
            "scope": "openid email einvoice",
            "state": "zustand",
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        with httpx.Client(base_url=provider.issuer, timeout=10) as browser:
            # without PKCE the provider refuses
            refused = browser.get("/auth", params={**params, "code_challenge": ""})
            assert refused.status_code in (302, 303, 400)
            assert "code_challenge" in (refused.headers.get("location", "") + refused.text)
            page = browser.get("/auth", params=params, follow_redirects=True)
            action, fields = _form(page.text)
            answer = browser.post(
                urljoin(str(page.url), action),
                data={**fields, "login": "anna", "password": "egal"},
            )
            while answer.status_code in (302, 303) and not answer.headers["location"].startswith(
                REDIRECT
            ):
                answer = browser.get(answer.headers["location"])
            location = answer.headers["location"]
        query = parse_qs(urlparse(location).query)
        assert query["state"] == ["zustand"]
        exchange = {
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": REDIRECT,
        }
        bad = httpx.post(
            provider.token_endpoint,
            data={**exchange, "code_verifier": "x" * 43},
            auth=("einvoice-web", "w3b"),
            timeout=10,
        )
        assert bad.status_code == 400  # wrong verifier; the code is now consumed
        # a second sign-in, this time with the right verifier
        with httpx.Client(base_url=provider.issuer, timeout=10) as browser:
            page = browser.get("/auth", params=params, follow_redirects=True)
            action, fields = _form(page.text)
            answer = browser.post(
                urljoin(str(page.url), action), data={**fields, "login": "anna", "password": "x"}
            )
            while not answer.headers["location"].startswith(REDIRECT):
                answer = browser.get(answer.headers["location"])
            code = parse_qs(urlparse(answer.headers["location"]).query)["code"][0]
        tokens = httpx.post(
            provider.token_endpoint,
            data={**exchange, "code": code, "code_verifier": verifier},
            auth=("einvoice-web", "w3b"),
            timeout=10,
        ).json()
        payload = tokens["id_token"].split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        assert claims["sub"] == "anna" and claims["role"] == "approver"
        assert claims["department"] == "Tiefbau" and claims["aud"] == "einvoice-web"
        userinfo = httpx.get(
            provider.userinfo_endpoint,
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
            timeout=10,
        ).json()
        assert userinfo["email"] == "anna@stadt.example"
