"""Staff single sign-on through OpenID Connect (authorization code flow with PKCE, Authlib).

Role and Amt come from configurable claims of the ID token / userinfo, optionally
translated by a mapping table (``EINVOICE_OIDC_ROLE_MAP="Rechnungspruefung=clerk,..."``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from einvoice.errors import ConfigurationError
from einvoice.services.accounts import AccountError, Role

SSO_ROLES = (
    Role.CLERK,
    Role.APPROVER,
    Role.DEPARTMENT_ADMIN,
    Role.STABSSTELLE,
    Role.CREDITOR_ACCOUNTING,
    Role.ADMIN,
)


@dataclass(frozen=True)
class OidcSettings:
    issuer: str  # EINVOICE_OIDC_ISSUER (discovery: ISSUER/.well-known/openid-configuration)
    client_id: str  # EINVOICE_OIDC_CLIENT_ID
    client_secret: str  # EINVOICE_OIDC_CLIENT_SECRET (no default)
    scope: str = "openid email profile"  # EINVOICE_OIDC_SCOPE
    role_claim: str = "role"  # EINVOICE_OIDC_ROLE_CLAIM
    department_claim: str = "department"  # EINVOICE_OIDC_DEPARTMENT_CLAIM
    role_map: Mapping[str, Role] = field(default_factory=dict)  # EINVOICE_OIDC_ROLE_MAP
    department_map: Mapping[str, str] = field(default_factory=dict)  # EINVOICE_OIDC_DEPARTMENT_MAP

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def _pairs(raw: str, name: str) -> dict[str, str]:
    found = {}
    for item in raw.split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ConfigurationError(f"{name}: erwartet 'Wert=Ziel,Wert=Ziel', nicht {item!r}")
        found[key.strip()] = value.strip()
    return found


def settings_from(env: Mapping[str, str]) -> OidcSettings | None:
    issuer = (env.get("EINVOICE_OIDC_ISSUER") or "").strip()
    if not issuer:
        return None
    client_id = (env.get("EINVOICE_OIDC_CLIENT_ID") or "").strip()
    secret = env.get("EINVOICE_OIDC_CLIENT_SECRET") or ""
    if not client_id or not secret:
        raise ConfigurationError(
            "EINVOICE_OIDC_ISSUER ist gesetzt: EINVOICE_OIDC_CLIENT_ID und "
            "EINVOICE_OIDC_CLIENT_SECRET müssen es auch sein (kein Standardwert)."
        )
    roles = {}
    for key, value in _pairs(
        env.get("EINVOICE_OIDC_ROLE_MAP", ""), "EINVOICE_OIDC_ROLE_MAP"
    ).items():
        try:
            roles[key] = Role(value)
        except ValueError as exc:
            raise ConfigurationError(f"EINVOICE_OIDC_ROLE_MAP: unbekannte Rolle {value!r}") from exc
    return OidcSettings(
        issuer=issuer,
        client_id=client_id,
        client_secret=secret,
        scope=env.get("EINVOICE_OIDC_SCOPE") or "openid email profile",
        role_claim=env.get("EINVOICE_OIDC_ROLE_CLAIM") or "role",
        department_claim=env.get("EINVOICE_OIDC_DEPARTMENT_CLAIM") or "department",
        role_map=roles,
        department_map=_pairs(
            env.get("EINVOICE_OIDC_DEPARTMENT_MAP", ""), "EINVOICE_OIDC_DEPARTMENT_MAP"
        ),
    )


@dataclass(frozen=True, slots=True)
class StaffClaims:
    subject: str  # "ISSUER SUB": unique across providers
    username: str
    display_name: str
    email: str | None
    role: Role
    department: str | None


def _values(claim: Any) -> list[str]:
    if isinstance(claim, str):
        return [claim]
    if isinstance(claim, list | tuple):
        return [str(c) for c in claim]
    return []


def staff_claims(settings: OidcSettings, claims: Mapping[str, Any]) -> StaffClaims:
    """Role and Amt from the claims; AccountError (German) when they do not fit."""
    sub = str(claims.get("sub") or "")
    if not sub:
        raise AccountError("Die Anmeldung lieferte keine Kennung (sub).")
    role: Role | None = None
    for value in _values(claims.get(settings.role_claim)):
        candidate = settings.role_map.get(value)
        if candidate is None and value in {r.value for r in SSO_ROLES}:
            candidate = Role(value)
        if candidate in SSO_ROLES:
            role = candidate
            break
    if role is None:
        raise AccountError(
            "Ihre städtische Anmeldung nennt keine Rolle für die E-Rechnung. Bitte wenden Sie "
            "sich an die Systemverwaltung."
        )
    departments = _values(claims.get(settings.department_claim))
    department = (
        settings.department_map.get(departments[0], departments[0]) if departments else None
    )
    if role.is_staff and not department:
        raise AccountError(
            "Ihre städtische Anmeldung nennt kein Amt. Bitte die Systemverwaltung fragen."
        )
    raw = str(claims.get("preferred_username") or sub).strip().lower()
    username = "".join(c for c in raw if c.isalnum() or c in "._-")[:120] or "sso"
    return StaffClaims(
        subject=f"{claims.get('iss') or settings.issuer} {sub}"[:512],
        username=username,
        display_name=str(claims.get("name") or username)[:250],
        email=str(claims["email"])[:250] if claims.get("email") else None,
        role=role,
        department=department,
    )


def client(settings: OidcSettings) -> Any:
    """The Authlib client (Starlette integration): discovery, PKCE S256, nonce, ID token check."""
    from authlib.integrations.starlette_client import OAuth

    oauth = OAuth()
    oauth.register(
        "city",
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        server_metadata_url=settings.discovery_url,
        client_kwargs={"scope": settings.scope, "code_challenge_method": "S256"},
    )
    return oauth.create_client("city")


def provider_logout_url(request: Any, id_token: str | None) -> str | None:
    """The provider's end-session URL (RP-initiated logout): its session ends too."""
    client = getattr(request.app.state, "oidc_client", None)
    settings = request.app.state.settings
    if client is None or settings.oidc is None:
        return None
    metadata = getattr(client, "server_metadata", None) or {}
    endpoint = metadata.get("end_session_endpoint")
    if not endpoint:
        return None
    from urllib.parse import urlencode

    query = {
        "client_id": settings.oidc.client_id,
        "post_logout_redirect_uri": settings.base_url.rstrip("/") + "/login?hinweis=abgemeldet",
    }
    if id_token:
        query["id_token_hint"] = id_token
    return f"{endpoint}?{urlencode(query)}"
