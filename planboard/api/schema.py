"""How the OpenAPI document names the API's authentication: a bearer token."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "planboard.api.authentication.BearerToken"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token: `Authorization: Bearer pb_...`.",
        }
