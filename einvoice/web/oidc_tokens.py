"""The ID token of the city's OpenID provider, checked by the project's own rules.

Authlib would accept whatever signature algorithms the provider's discovery lists -
including ``none`` (an unsigned token) and HMAC, which with a public RSA key as the
"secret" lets anyone sign - and its claim errors surfaced as HTTP 500. Here:

- the algorithm must be one of those pinned by configuration
  (``EINVOICE_OIDC_ID_TOKEN_ALGS``, default ``RS256,ES256``); ``none`` and ``HS*`` can
  never be configured;
- the signature is checked with the provider's published keys (JWKS);
- ``iss`` equals the configured issuer, ``aud`` names this client (``azp`` too when
  there are several audiences), ``exp``/``iat`` are current (one minute of clock
  skew), ``nonce`` equals the one of this sign-in, ``sub`` is there.

Every failure raises :class:`IdTokenRefused` with a reason for the security log; the
user sees a German refusal page (403).
"""

from __future__ import annotations

import base64
import hmac
import json
from collections.abc import Collection, Mapping
from typing import Any

ASYMMETRIC_ALGS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)
DEFAULT_ALGS = ("RS256", "ES256")
LEEWAY_SECONDS = 60


class IdTokenRefused(Exception):
    """The ID token (or the provider's answer) is not acceptable; ``reason`` for the log."""

    def __init__(self, reason: str, text_de: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.text_de = text_de  # what the user reads (None: the general refusal)


def _segment(text: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def header_of(id_token: str) -> dict[str, Any]:
    parts = id_token.split(".")
    if len(parts) != 3:
        raise IdTokenRefused("id token is not a signed JWT (JWS compact form)")
    try:
        header = _segment(parts[0])
    except (ValueError, UnicodeDecodeError) as exc:
        raise IdTokenRefused("id token header unreadable") from exc
    if not isinstance(header, dict):
        raise IdTokenRefused("id token header unreadable")
    return header


def verify(
    id_token: str,
    *,
    jwks: Mapping[str, Any],
    issuer: str,
    client_id: str,
    nonce: str | None,
    algorithms: Collection[str],
    now: float,
) -> dict[str, Any]:
    """The claims of a valid ID token; :class:`IdTokenRefused` otherwise."""
    from joserfc import jwt
    from joserfc.errors import JoseError
    from joserfc.jwk import KeySet

    allowed = [a for a in algorithms if a in ASYMMETRIC_ALGS]
    alg = header_of(id_token).get("alg")
    if alg not in allowed:
        raise IdTokenRefused(f"id token algorithm {alg!r} not allowed (pinned: {allowed})")
    try:
        keys = KeySet.import_key_set(dict(jwks))  # type: ignore[arg-type]
        token = jwt.decode(id_token, keys, algorithms=allowed)
    except JoseError as exc:
        raise IdTokenRefused(f"id token signature: {exc.error}: {exc.description or ''}") from exc
    except (ValueError, TypeError, KeyError) as exc:
        raise IdTokenRefused(f"id token signature: {type(exc).__name__}") from exc
    claims = dict(token.claims)
    check_claims(claims, issuer=issuer, client_id=client_id, nonce=nonce, now=now)
    return claims


def check_claims(
    claims: Mapping[str, Any], *, issuer: str, client_id: str, nonce: str | None, now: float
) -> None:
    if claims.get("iss") != issuer:
        raise IdTokenRefused(f"id token issuer {str(claims.get('iss'))[:100]!r} is not {issuer!r}")
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience
    if not isinstance(audiences, list) or client_id not in audiences:
        raise IdTokenRefused(f"id token audience {str(audience)[:100]!r} lacks {client_id!r}")
    if len(audiences) > 1 and claims.get("azp") != client_id:
        raise IdTokenRefused("id token has several audiences but azp is not this client")
    expires, issued = claims.get("exp"), claims.get("iat")
    if not isinstance(expires, int | float) or isinstance(expires, bool):
        raise IdTokenRefused("id token without exp")
    if expires < now - LEEWAY_SECONDS:
        raise IdTokenRefused("id token expired")
    if not isinstance(issued, int | float) or isinstance(issued, bool):
        raise IdTokenRefused("id token without iat")
    if issued > now + LEEWAY_SECONDS:
        raise IdTokenRefused("id token issued in the future")
    given = claims.get("nonce")
    if not nonce or not isinstance(given, str) or not hmac.compare_digest(given, nonce):
        raise IdTokenRefused("id token nonce does not match this sign-in")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not sub:
        raise IdTokenRefused("id token without sub")
