"""A deliberately broken OpenID provider for the sign-on tests (loopback, in-process).

Its discovery offers ``none`` and ``HS256`` besides RS256, and its token endpoint hands
out the ID token that ``mode`` says - valid, unsigned (``none``), HMAC-signed with its
public RSA key as the secret (``hs256-public-key``) or with the client secret
(``hs256-secret``), for another issuer or audience, expired, with another nonce,
signed by another key under the published key id, or with a payload changed after
signing (``tampered``). The authorization endpoint signs in at once (no login page)
and sends the browser back with code and state, or with ``error`` in mode ``error``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

MODES = (
    "valid",
    "none",
    "hs256-public-key",
    "hs256-secret",
    "wrong-issuer",
    "wrong-audience",
    "expired",
    "bad-nonce",
    "wrong-key",
    "tampered",
)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _json64(value: dict[str, Any]) -> str:
    return _b64(json.dumps(value, separators=(",", ":")).encode())


@dataclass
class RogueProvider:
    port: int
    client_id: str
    client_secret: str
    claims: dict[str, Any]
    mode: str = "valid"
    nonces: dict[str, str] = field(default_factory=dict)  # code -> nonce of its sign-in
    keys: dict[str, Any] = field(default_factory=dict)
    advertised_issuer: str | None = None  # what discovery names (None: the real one)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.advertised_issuer or self.issuer,
            "authorization_endpoint": f"{self.issuer}/auth",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "userinfo_endpoint": f"{self.issuer}/me",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["none", "HS256", "RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.keys["good"].as_dict(private=False)]}

    def id_token(self, nonce: str) -> str:
        from joserfc import jwt

        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            **self.claims,
        }
        mode = self.mode
        if mode == "wrong-issuer":
            claims["iss"] = "https://idp.angreifer.example"
        elif mode == "wrong-audience":
            claims["aud"] = "ein-anderer-client"
        elif mode == "expired":
            claims["iat"], claims["exp"] = now - 7200, now - 3600
        elif mode == "bad-nonce":
            claims["nonce"] = "nicht-die-eigene"
        if mode == "none":
            return f"{_json64({'alg': 'none', 'typ': 'JWT'})}.{_json64(claims)}."
        if mode.startswith("hs256"):
            header = {"alg": "HS256", "typ": "JWT", "kid": "k1"}
            secret = (
                self.keys["good"].as_pem(private=False)
                if mode == "hs256-public-key"
                else self.client_secret.encode()
            )
            signing_input = f"{_json64(header)}.{_json64(claims)}"
            mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
            return f"{signing_input}.{_b64(mac)}"
        key = self.keys["other" if mode == "wrong-key" else "good"]
        if mode != "tampered":
            return str(jwt.encode({"alg": "RS256", "kid": "k1"}, claims, key))
        # signed for a harmless account, then the payload is changed: admin
        token = jwt.encode({"alg": "RS256", "kid": "k1"}, {**claims, "role": "supplier"}, key)
        head, _, rest = token.partition(".")
        signature = rest.partition(".")[2]
        return f"{head}.{_json64({**claims, 'role': 'admin'})}.{signature}"


class _Handler(BaseHTTPRequestHandler):
    provider: RogueProvider

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _json(self, value: dict[str, Any], status: int = 200) -> None:
        body = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        p = self.provider
        if url.path == "/.well-known/openid-configuration":
            self._json(p.discovery())
        elif url.path == "/jwks":
            self._json(p.jwks())
        elif url.path == "/me":
            self._json(p.claims)
        elif url.path == "/auth":
            code = f"code-{len(p.nonces) + 1}"
            p.nonces[code] = query.get("nonce", "")
            if p.mode == "error":
                back = {"error": "access_denied", "state": query.get("state", "")}
            else:
                back = {"code": code, "state": query.get("state", "")}
            self.send_response(302)
            self.send_header("Location", f"{query['redirect_uri']}?{urlencode(back)}")
            self.end_headers()
        else:
            self._json({"error": "not_found"}, 404)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        p = self.provider
        if urlparse(self.path).path != "/token" or form.get("code") not in p.nonces:
            self._json({"error": "invalid_grant"}, 400)
            return
        nonce = p.nonces.pop(form["code"])
        self._json(
            {
                "access_token": "zugang-1",
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": p.id_token(nonce),
            }
        )


@contextmanager
def rogue_provider(
    claims: dict[str, Any], client_id: str = "einvoice-web", client_secret: str = "geheim-1"
) -> Iterator[RogueProvider]:
    from joserfc.jwk import RSAKey

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    provider = RogueProvider(server.server_address[1], client_id, client_secret, claims)
    provider.keys = {
        "good": RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig"}),
        "other": RSAKey.generate_key(2048, parameters={"kid": "k1", "use": "sig"}),
    }
    handler = type("Handler", (_Handler,), {"provider": provider})
    server.RequestHandlerClass = handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
