"""Access tokens from the OAuth2 client-credentials flow, refreshed before they expire.

One cache per process (keyed by token endpoint, client and scope): each poll opens a
new connection but reuses the token until shortly before its end
(``refresh_margin``); a token the server refuses is dropped so that the next log-in
fetches a fresh one.
"""

from __future__ import annotations

import logging
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from einvoice.mailbox.errors import MailboxCause, MailboxError
from einvoice.mailbox.settings import OAuth2Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AccessToken:
    value: str
    expires_at: float  # monotonic clock
    lifetime: float


def refresh_margin(lifetime: float) -> float:
    """Fetch a new token this many seconds before the old one ends (1 min, less for short ones)."""
    return min(60.0, lifetime / 5)


class TokenCache:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._tokens: dict[tuple[str, str, str | None], AccessToken] = {}
        self._lock = threading.Lock()

    def token(self, settings: OAuth2Settings, verify: ssl.SSLContext) -> AccessToken:
        key = (settings.token_url, settings.client_id, settings.scope)
        with self._lock:
            cached = self._tokens.get(key)
            now = self._clock()
            if cached is not None and now < cached.expires_at - refresh_margin(cached.lifetime):
                return cached
            fresh = fetch(settings, verify, now)
            self._tokens[key] = fresh
            if cached is not None:
                log.info("OAuth2 token for %s refreshed before expiry", settings.client_id)
            return fresh

    def peek(self, settings: OAuth2Settings) -> AccessToken | None:
        """The token held for these settings (valid or not), without fetching."""
        with self._lock:
            return self._tokens.get((settings.token_url, settings.client_id, settings.scope))

    def forget(self, settings: OAuth2Settings) -> None:
        with self._lock:
            self._tokens.pop((settings.token_url, settings.client_id, settings.scope), None)


def fetch(settings: OAuth2Settings, verify: ssl.SSLContext, now: float) -> AccessToken:
    """One ``grant_type=client_credentials`` request; errors in German."""
    data = {"grant_type": "client_credentials"}
    if settings.scope:
        data["scope"] = settings.scope
    auth: tuple[str, str] | None = None
    if settings.client_auth == "basic":
        auth = (settings.client_id, settings.client_secret)
    else:
        data |= {"client_id": settings.client_id, "client_secret": settings.client_secret}
    where = settings.token_url
    try:
        answer = httpx.post(where, data=data, auth=auth, verify=verify, timeout=30)
    except httpx.HTTPError as exc:
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, ssl.SSLCertVerificationError):
            raise MailboxError(
                MailboxCause.CERTIFICATE,
                f"Zertifikat des Token-Dienstes {where} nicht anerkannt ({cause.verify_message}).",
            ) from exc
        raise MailboxError(
            MailboxCause.CONNECTION, f"Token-Dienst {where} nicht erreichbar ({exc})."
        ) from exc
    try:
        body = answer.json()
    except ValueError:
        body = {}
    if answer.status_code != 200 or not isinstance(body, dict) or "access_token" not in body:
        detail = ""
        if isinstance(body, dict):
            detail = " ".join(
                str(body.get(k) or "") for k in ("error", "error_description")
            ).strip()
        raise MailboxError(
            MailboxCause.LOGIN,
            f"Token-Dienst {where} hat den Client {settings.client_id!r} abgelehnt "
            f"(HTTP {answer.status_code}{': ' + detail[:300] if detail else ''}). "
            "Client-ID, Geheimnis und Berechtigungen der App-Registrierung prüfen.",
        )
    try:
        lifetime = float(body.get("expires_in") or 3600)
    except (TypeError, ValueError):
        lifetime = 3600.0
    return AccessToken(str(body["access_token"]), now + lifetime, lifetime)


TOKENS = TokenCache()
