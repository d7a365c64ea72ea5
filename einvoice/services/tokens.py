"""Signed, expiring tokens for e-mail links (verification, password reset).

itsdangerous signs the payload with the installation's secret and a purpose (salt),
so a token for one purpose is worthless for another. A reset token also carries a
fingerprint of the current password hash: once the password changed, it is spent.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from einvoice.errors import PermanentError

VERIFY_EMAIL = "verify-email"
RESET_PASSWORD = "reset-password"
INVITATION = "invitation"  # a staff account an administrator created: set the first password
MAX_AGE = {VERIFY_EMAIL: 3 * 24 * 3600, RESET_PASSWORD: 3600, INVITATION: 7 * 24 * 3600}


class TokenError(PermanentError):
    """The link is broken, expired or already used (German text for the page)."""


@dataclass(frozen=True, slots=True)
class Signer:
    secret: str

    def make(self, purpose: str, payload: dict[str, Any]) -> str:
        serializer = URLSafeTimedSerializer(self.secret, salt=f"einvoice.{purpose}")
        token = serializer.dumps(payload)
        return str(token)

    def read(self, purpose: str, token: str) -> dict[str, Any]:
        serializer = URLSafeTimedSerializer(self.secret, salt=f"einvoice.{purpose}")
        try:
            payload = serializer.loads(token[:2000], max_age=MAX_AGE[purpose])
        except SignatureExpired as exc:
            raise TokenError("Der Link ist abgelaufen. Bitte fordern Sie einen neuen an.") from exc
        except BadSignature as exc:
            raise TokenError("Der Link ist ungültig (unvollständig kopiert?).") from exc
        if not isinstance(payload, dict):
            raise TokenError("Der Link ist ungültig.")
        return payload

    def read_any(self, purposes: tuple[str, ...], token: str) -> dict[str, Any]:
        """The payload of a token made for one of ``purposes`` (the first error otherwise)."""
        first: TokenError | None = None
        for purpose in purposes:
            try:
                return self.read(purpose, token)
            except TokenError as exc:
                first = first or exc
        assert first is not None
        raise first


def fingerprint(password_hash: str) -> str:
    """A short digest of the password hash: changes whenever the password changes."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]
