"""``Authorization: Bearer TOKEN`` for the API, and what a token's scope allows."""

from rest_framework import authentication, exceptions, permissions

from planboard.api import tokens
from planboard.api.models import ApiToken
from planboard.public.throttle import client_address

NOT_VALID = "The token is not valid: it is wrong, revoked or expired, or its account is off."


class BearerToken(authentication.BaseAuthentication):
    """A personal access token in the Authorization header. Every use is recorded."""

    keyword = b"bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as 'Authorization: Bearer TOKEN', with nothing else."
            )
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(NOT_VALID) from None
        token = tokens.find(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(NOT_VALID)
        # The use is noted (when, and from where) by the per-token limit
        # (``throttle.take_turn``), in the one statement that counts the request.
        token.used_from = client_address(request._request) or None
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="planboard"'


class TokenScope(permissions.BasePermission):
    """Reading needs a token (or a signed-in session); anything else needs a write token.

    What the account itself may do is asked by the services the views call.
    """

    message = "This token may only read: make a token with the write scope to change anything."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if not hasattr(view, request.method.lower()):
            return True  # a method the address does not answer: 405, whatever the token
        token = request.auth
        return isinstance(token, ApiToken) and token.writes
