"""Staff single sign-on through OpenID Connect (authorization code flow with PKCE, Authlib).

Role and Amt come from configurable claims of the ID token / userinfo, optionally
translated by a mapping table (``EINVOICE_OIDC_ROLE_MAP="Rechnungspruefung=clerk,..."``).
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from einvoice.errors import ConfigurationError
from einvoice.services.accounts import AccountError, Role
from einvoice.web.oidc_tokens import ASYMMETRIC_ALGS, DEFAULT_ALGS, IdTokenRefused, verify

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
    id_token_algs: tuple[str, ...] = DEFAULT_ALGS  # EINVOICE_OIDC_ID_TOKEN_ALGS (never none/HS*)
    # plain http to a provider on this machine (127.0.0.1, ::1, localhost): tests only, never
    # settable from the environment
    allow_loopback_http: bool = False

    def __post_init__(self) -> None:
        bad = [a for a in self.id_token_algs if a not in ASYMMETRIC_ALGS]
        if bad or not self.id_token_algs:
            raise ConfigurationError(
                f"EINVOICE_OIDC_ID_TOKEN_ALGS: {', '.join(bad) or '(leer)'} nicht erlaubt; "
                f"erlaubt sind nur Signaturen mit öffentlichem Schlüssel: "
                f"{', '.join(sorted(ASYMMETRIC_ALGS))} (nie none oder HS256)."
            )
        problem = url_problem(self.issuer, self.allow_loopback_http)
        if problem:
            raise ConfigurationError(f"EINVOICE_OIDC_ISSUER: {problem}")

    @property
    def discovery_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_problem(url: str, allow_loopback_http: bool = False) -> str | None:
    """Why ``url`` may not be used to talk to the provider (None: it may): https only."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and allow_loopback_http and _loopback(parts.hostname or ""):
        return None
    return f"{url[:200]!r} ist keine https-Adresse (die Anmeldung läuft nur über TLS)."


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
    algs = tuple(
        a.strip() for a in (env.get("EINVOICE_OIDC_ID_TOKEN_ALGS") or "").split(",") if a.strip()
    )
    return OidcSettings(
        id_token_algs=algs or DEFAULT_ALGS,
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
    """The Authlib client (Starlette integration): discovery, PKCE S256, nonce; the
    discovery document and the ID token are checked by the project's own rules."""
    from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App

    class HardenedApp(StarletteOAuth2App):  # type: ignore[misc]
        async def load_server_metadata(self) -> dict[str, Any]:
            metadata: dict[str, Any] = await super().load_server_metadata()
            check_metadata(settings, metadata)
            return metadata

        async def parse_id_token(
            self,
            token: Mapping[str, Any],
            nonce: str,
            claims_options: Any = None,
            claims_cls: Any = None,
            leeway: int = 120,
        ) -> dict[str, Any]:
            from authlib.oidc.core import UserInfo

            metadata = await self.load_server_metadata()
            arguments = {
                "issuer": metadata["issuer"],
                "client_id": settings.client_id,
                "nonce": nonce,
                "algorithms": settings.id_token_algs,
            }
            id_token = str(token.get("id_token") or "")
            try:
                claims = verify(
                    id_token, jwks=await self.fetch_jwk_set(), now=time.time(), **arguments
                )
            except IdTokenRefused as first:
                if "signature" not in first.reason:
                    raise
                # the provider may have rolled its keys since we fetched them: once more
                claims = verify(
                    id_token,
                    jwks=await self.fetch_jwk_set(force=True),
                    now=time.time(),
                    **arguments,
                )
            return dict(UserInfo(claims))

    class HardenedOAuth(OAuth):  # type: ignore[misc]
        oauth2_client_cls = HardenedApp

    oauth = HardenedOAuth()
    oauth.register(
        "city",
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        server_metadata_url=settings.discovery_url,
        client_kwargs={"scope": settings.scope, "code_challenge_method": "S256"},
    )
    return oauth.create_client("city")


def check_metadata(settings: OidcSettings, metadata: Mapping[str, Any]) -> None:
    """The discovery document names the configured issuer and only https endpoints."""
    if str(metadata.get("issuer") or "").rstrip("/") != settings.issuer.rstrip("/"):
        raise IdTokenRefused(
            f"discovery issuer {str(metadata.get('issuer'))[:100]!r} is not {settings.issuer!r}"
        )
    for name in ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint"):
        value = metadata.get(name)
        if value and url_problem(str(value), settings.allow_loopback_http):
            raise IdTokenRefused(f"discovery {name} is not https: {str(value)[:100]!r}")


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
