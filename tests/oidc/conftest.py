from tests.oidc.server import oidc_provider, single_sign_on  # noqa: F401
