"""The single sign-on provider (OpenID Connect): what it is, read when first needed.

Everything comes from the settings (docs/configuration.md#single-sign-on): an issuer, whose
``/.well-known/openid-configuration`` names the endpoints, the keys (JWKS) and the signing
algorithms, or a discovery address of its own, or each endpoint set one by one (a setting
wins over discovery). Discovery is read on the first sign-in, never at start-up, and kept
for an hour; the keys likewise, read again at once when a token names a key not seen yet
(the provider has rolled its keys).
"""

import threading
import time
from dataclasses import dataclass

import requests
from django.conf import settings

KEPT_SECONDS = 3600
# A token naming an unknown key reads the keys again, but not more often than this.
KEYS_REREAD_SECONDS = 60
# Asymmetric algorithms only: a client secret is not a signing key unless asked for.
ASYMMETRIC = ("RS", "PS", "ES", "Ed")
DEFAULT_ALGORITHMS = ("RS256",)

_lock = threading.Lock()
_kept: dict = {}


class ProviderUnavailable(Exception):
    """The provider could not be read; its message is one sentence for the person."""


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str
    algorithms: tuple[str, ...]
    token_auth_methods: tuple[str, ...]

    def expected_issuer(self, claims: dict) -> str:
        """The ``iss`` a token must carry. Microsoft's multi-tenant discovery names its
        issuer with a ``{tenantid}`` placeholder, filled from the token's own ``tid``,
        which must then be one of ``OIDC_TENANTS``."""
        if "{tenantid}" not in self.issuer:
            return self.issuer
        tenant = str(claims.get("tid") or "")
        if not tenant or tenant not in settings.OIDC_TENANTS:
            raise ProviderUnavailable(
                "Your organisation's tenant is not one planboard accepts (OIDC_TENANTS)."
            )
        return self.issuer.replace("{tenantid}", tenant)

    @property
    def uses_basic_auth(self) -> bool:
        methods = self.token_auth_methods
        return "client_secret_basic" in methods and "client_secret_post" not in methods


def configured() -> bool:
    """Whether single sign-on is set up: a client id and where to find the provider."""
    return bool(
        settings.OIDC_RP_CLIENT_ID
        and (
            settings.OIDC_ISSUER
            or settings.OIDC_DISCOVERY_URL
            or settings.OIDC_OP_AUTHORIZATION_ENDPOINT
        )
    )


def discovery_url() -> str:
    if settings.OIDC_DISCOVERY_URL:
        return settings.OIDC_DISCOVERY_URL
    if settings.OIDC_ISSUER:
        return settings.OIDC_ISSUER.rstrip("/") + "/.well-known/openid-configuration"
    return ""


def _explicit() -> dict:
    return {
        "issuer": settings.OIDC_ISSUER,
        "authorization_endpoint": settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        "token_endpoint": settings.OIDC_OP_TOKEN_ENDPOINT,
        "userinfo_endpoint": settings.OIDC_OP_USER_ENDPOINT,
        "jwks_uri": settings.OIDC_OP_JWKS_ENDPOINT,
        "end_session_endpoint": settings.OIDC_OP_END_SESSION_ENDPOINT,
    }


def _get_json(url: str, what: str) -> dict:
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        found = response.json()
    except (requests.RequestException, ValueError):
        raise ProviderUnavailable(
            f"planboard could not read the sign-in provider's {what}; try again later."
        ) from None
    if not isinstance(found, dict):
        raise ProviderUnavailable(f"The sign-in provider's {what} is not a JSON object.")
    return found


def _remember(key, make, seconds=KEPT_SECONDS):
    with _lock:
        kept = _kept.get(key)
        if kept and kept[0] > time.monotonic():
            return kept[1]
    value = make()
    with _lock:
        _kept[key] = (time.monotonic() + seconds, value)
    return value


def forget() -> None:
    """Read discovery and keys again when next needed."""
    with _lock:
        _kept.clear()


def _read() -> Provider:
    explicit = _explicit()
    needed = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    found = {}
    if discovery_url() and not all(explicit[name] for name in needed):
        found = _get_json(discovery_url(), "discovery document")
    values = {name: explicit[name] or str(found.get(name) or "") for name in explicit}
    # The issuer the provider names itself wins over the one that found it: Microsoft's
    # multi-tenant address ("organizations") names a per-tenant issuer.
    values["issuer"] = str(found.get("issuer") or "") or explicit["issuer"]
    missing = [name for name in needed if not values[name]]
    if missing:
        raise ProviderUnavailable(
            f"The sign-in provider's {missing[0].replace('_', ' ')} is not known; "
            "set OIDC_ISSUER or the endpoint itself."
        )
    if settings.OIDC_SIGN_ALGORITHMS:
        algorithms = tuple(settings.OIDC_SIGN_ALGORITHMS)
    else:
        offered = found.get("id_token_signing_alg_values_supported") or []
        algorithms = tuple(a for a in offered if str(a).startswith(ASYMMETRIC))
        algorithms = algorithms or DEFAULT_ALGORITHMS
    return Provider(
        **values,
        algorithms=algorithms,
        token_auth_methods=tuple(found.get("token_endpoint_auth_methods_supported") or ()),
    )


def current() -> Provider:
    """The provider, read from discovery when first needed and kept for an hour."""
    key = ("provider", discovery_url(), *_explicit().values(), *settings.OIDC_SIGN_ALGORITHMS)
    return _remember(key, _read)


def keys(*, again: bool = False) -> list[dict]:
    """The provider's published keys (its JWKS). ``again`` reads them afresh, unless they
    were read in the last minute."""
    uri = current().jwks_uri
    key = ("keys", uri)
    if again:
        with _lock:
            kept = _kept.get(key)
            if kept and kept[0] - KEPT_SECONDS + KEYS_REREAD_SECONDS < time.monotonic():
                del _kept[key]
    found = _remember(key, lambda: _get_json(uri, "keys"))
    return [k for k in found.get("keys") or [] if isinstance(k, dict)]
