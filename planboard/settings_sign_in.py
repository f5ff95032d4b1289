"""planboard's settings for single sign-on through an OpenID Connect provider, read from
environment variables (docs/sign-in.md, docs/configuration.md); planboard.settings
takes them all."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from planboard.lib.env import env_bool, env_int, env_list, env_str

# Set up when OIDC_CLIENT_ID and an issuer (or a discovery address, or the endpoints) are
# set; planboard reads the provider's discovery document at the first sign-in, not here.
OIDC_ISSUER = env_str("OIDC_ISSUER").rstrip("/")
OIDC_DISCOVERY_URL = env_str("OIDC_DISCOVERY_URL")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
OIDC_RP_SCOPES = env_str("OIDC_SCOPES") or "openid email profile"
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_AUTHORIZATION_ENDPOINT")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_TOKEN_ENDPOINT")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_USERINFO_ENDPOINT")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_JWKS_URI")
OIDC_OP_END_SESSION_ENDPOINT = env_str("OIDC_END_SESSION_ENDPOINT")
# Empty: the asymmetric ones the provider publishes, or RS256.
OIDC_SIGN_ALGORITHMS = env_list("OIDC_SIGN_ALGORITHMS", [])
OIDC_TENANTS = env_list("OIDC_TENANTS", [])
OIDC_GROUP_CLAIMS = env_list("OIDC_GROUP_CLAIMS", ["groups", "roles"])
OIDC_GROUP_MAP = {}
for _pair in env_list("OIDC_GROUP_MAP", []):
    _value, _, _group = _pair.rpartition("=")
    if not _value.strip() or _group.strip() not in ("Governance", "Lead", "Board member"):
        raise ImproperlyConfigured(
            "OIDC_GROUP_MAP must be pairs of <claim value>=<Governance, Lead or Board member>"
            f" separated by commas, not {_pair!r}."
        )
    OIDC_GROUP_MAP[_value.strip()] = _group.strip()
OIDC_BUTTON_LABEL = env_str("OIDC_BUTTON_LABEL") or "Sign in with your organisation's account"
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10, minimum=1)
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = True  # for the provider's sign-out (id_token_hint)
OIDC_AUTHENTICATION_CALLBACK_URL = "sign_in_callback"
# Off: only the provider's button signs in (when single sign-on is set up).
PASSWORD_SIGN_IN = env_bool("PASSWORD_SIGN_IN", True)
if not PASSWORD_SIGN_IN and not OIDC_RP_CLIENT_ID:
    raise ImproperlyConfigured("PASSWORD_SIGN_IN may be off only when OIDC_CLIENT_ID is set.")
# Signing out posts a form whose answer sends the browser on to the provider's sign-out,
# which the Content-Security-Policy's form-action must allow (below).
OIDC_ORIGINS = sorted(
    {
        f"{parts.scheme}://{parts.netloc}"
        for parts in map(urlsplit, (OIDC_ISSUER, OIDC_DISCOVERY_URL, OIDC_OP_END_SESSION_ENDPOINT))
        if parts.scheme and parts.netloc
    }
)
