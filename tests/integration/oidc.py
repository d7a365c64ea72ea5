"""A real OpenID provider for integration tests: the npm package ``oidc-provider``.

``openid_provider(...)`` starts ``tests/integration/oidc/provider.mjs`` with the
machine's Node.js on a free loopback port and stops it afterwards. It supports

- the client-credentials grant (service log-ins, e.g. IMAP with XOAUTH2),
- the authorization code flow with PKCE (S256) and a built-in login page on which
  any name signs in; ``accounts`` gives a name its claims (role, department, ...),
- token introspection at ``/token/introspection`` (used by Dovecot's oauth2 passdb),
- userinfo, revocation and discovery at ``/.well-known/openid-configuration``.

The npm package is installed by ``.ci/run`` (``npm ci`` in tests/integration/oidc);
locally run the same once. Without Node.js or the package the tests skip loudly
(fail with CI=true). State lives in memory: one provider per test (or module).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.integration.services import free_port, missing, port_open

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc"
INSTALL_HINT = f"run 'npm ci' in {PROVIDER_DIR} (done by .ci/run)"


@dataclass(frozen=True)
class OpenIdProvider:
    issuer: str
    port: int
    log: Path

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    @property
    def token_endpoint(self) -> str:
        return f"{self.issuer}/token"

    @property
    def introspection_endpoint(self) -> str:
        return f"{self.issuer}/token/introspection"

    @property
    def authorization_endpoint(self) -> str:
        return f"{self.issuer}/auth"

    @property
    def userinfo_endpoint(self) -> str:
        return f"{self.issuer}/me"

    def client_credentials_token(
        self, client_id: str, client_secret: str, scope: str | None = None
    ) -> dict[str, Any]:
        """A token from the client-credentials grant (HTTP Basic client auth)."""
        import httpx

        data = {"grant_type": "client_credentials"} | ({"scope": scope} if scope else {})
        answer = httpx.post(
            self.token_endpoint, data=data, auth=(client_id, client_secret), timeout=10
        )
        answer.raise_for_status()
        return dict(answer.json())

    def introspect(self, token: str, client_id: str, client_secret: str) -> dict[str, Any]:
        import httpx

        answer = httpx.post(
            self.introspection_endpoint,
            data={"token": token},
            auth=(client_id, client_secret),
            timeout=10,
        )
        answer.raise_for_status()
        return dict(answer.json())


def client_credentials_client(
    client_id: str, client_secret: str, token_claims: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Metadata of a confidential client that may use the client-credentials grant.

    ``token_claims`` are added to its access tokens (e.g. ``{"email": "rechnung"}``,
    the claim a mail server maps to the mailbox user).
    """
    client: dict[str, Any] = {
        "client_id": client_id,
        "client_secret": client_secret,
        "grant_types": ["client_credentials"],
        "response_types": [],
        "redirect_uris": [],
    }
    if token_claims:
        client["token_claims"] = token_claims
    return client


def code_flow_client(
    client_id: str, redirect_uris: list[str], client_secret: str | None = None
) -> dict[str, Any]:
    """Metadata of a client of the authorization code flow (PKCE is required for all).

    Without a secret it is a public client (``token_endpoint_auth_method=none``).
    """
    client: dict[str, Any] = {
        "client_id": client_id,
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        "redirect_uris": redirect_uris,
    }
    if client_secret is None:
        client["token_endpoint_auth_method"] = "none"
    else:
        client["client_secret"] = client_secret
    return client


@contextmanager
def openid_provider(
    *,
    clients: list[dict[str, Any]],
    accounts: dict[str, dict[str, Any]] | None = None,
    access_token_ttl: int = 600,
    claims: dict[str, list[str]] | None = None,
    require_pkce: bool = True,
    id_token_algs: list[str] | None = None,
) -> Iterator[OpenIdProvider]:
    """Start the provider on 127.0.0.1 and yield it once discovery answers."""
    node = shutil.which("node")
    if node is None:
        missing("OpenID provider", "Node.js (node) is not installed")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        missing("OpenID provider", f"npm package oidc-provider not installed: {INSTALL_HINT}")
    assert node is not None
    base = Path(tempfile.mkdtemp(prefix="einvoice-oidc-"))
    port = free_port()
    config: dict[str, Any] = {
        "port": port,
        "clients": clients,
        "accounts": accounts or {},
        "access_token_ttl": access_token_ttl,
        "require_pkce": require_pkce,
    }
    if claims is not None:
        config["claims"] = claims
    if id_token_algs is not None:
        config["id_token_algs"] = id_token_algs
    (base / "config.json").write_text(json.dumps(config))
    log = base / "provider.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [node, str(PROVIDER_DIR / "provider.mjs"), str(base / "config.json")],
            cwd=PROVIDER_DIR,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60  # a loaded 2-core machine starts Node slowly
        while not (b"READY" in log.read_bytes() and port_open("127.0.0.1", port)):
            if process.poll() is not None:
                raise RuntimeError(f"OpenID provider ended at start:\n{log.read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"OpenID provider did not listen:\n{log.read_text()}")
            time.sleep(0.1)
        yield OpenIdProvider(f"http://127.0.0.1:{port}", port, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(base, ignore_errors=True)
