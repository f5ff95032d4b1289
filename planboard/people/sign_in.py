"""Signing in through the single sign-on provider: mozilla-django-oidc's backend, with
the provider read lazily (``provider.py``), the ID token checked in full and the account
found by the provider's stable subject (``identities.py``).

The library checks the signature and the nonce; planboard also checks the audience, the
issuer (per tenant for Microsoft Entra ID), the expiry and the algorithm, which must be
one the provider publishes (RS256 where it says none), never the client secret's HS256
unless ``OIDC_SIGN_ALGORITHMS`` asks for it. Keys without ``alg`` are tried by their type.

A sign-in that fails leaves a one-sentence reason on the request
(``request.sign_in_refusal``) for the callback page to show; Django then tells the
sign-in throttle, which counts it against the address.
"""

import logging
from dataclasses import dataclass

import jwt
import requests
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from requests.auth import HTTPBasicAuth

from planboard.lib.services import ServiceError
from planboard.people import provider
from planboard.people.identities import Claims, NotRecognised, account_for_sign_in

LOG = logging.getLogger(__name__)
LEEWAY_SECONDS = 60
KEY_TYPES = {"RS": "RSA", "PS": "RSA", "ES": "EC", "Ed": "OKP"}


@dataclass(frozen=True)
class Refusal:
    reason: str
    not_recognised: bool = False
    email: str = ""


class SignInFailed(Exception):
    """A sign-in refused; its message is one sentence for the person."""


class ProviderBackend(OIDCAuthenticationBackend):
    """Authenticates the provider's callback; every other sign-in passes it by."""

    def __init__(self, *args, **kwargs):
        # The library reads its settings here; planboard reads them when a callback comes.
        self.UserModel = get_user_model()

    @property
    def OIDC_RP_CLIENT_ID(self):
        return self.get_settings("OIDC_RP_CLIENT_ID")

    @property
    def OIDC_RP_CLIENT_SECRET(self):
        return self.get_settings("OIDC_RP_CLIENT_SECRET")

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):
        return provider.current().token_endpoint

    def authenticate(self, request, **kwargs):
        if request is None or "nonce" not in kwargs or not provider.configured():
            return None
        try:
            return super().authenticate(request, **kwargs)
        except SignInFailed as refused:
            request.sign_in_refusal = Refusal(str(refused))
        except provider.ProviderUnavailable as unavailable:
            request.sign_in_refusal = Refusal(str(unavailable))
        except requests.RequestException as error:
            LOG.warning("Single sign-on failed at the provider: %s", error)
            request.sign_in_refusal = Refusal(
                "The sign-in provider refused to finish signing you in; sign in again."
            )
        return None

    def get_token(self, payload):
        if not payload.get("client_secret"):
            payload.pop("client_secret", None)  # a public client, proving itself by PKCE
        auth = None
        if "client_secret" in payload and provider.current().uses_basic_auth:
            auth = HTTPBasicAuth(payload["client_id"], payload.pop("client_secret"))
        response = requests.post(
            self.OIDC_OP_TOKEN_ENDPOINT,
            data=payload,
            auth=auth,
            timeout=self.get_settings("OIDC_TIMEOUT"),
        )
        self.raise_token_response_error(response)
        return response.json()

    def verify_token(self, token, **kwargs):
        """The ID token's claims, once its signature, audience, issuer, expiry and nonce
        are all as they must be."""
        found = provider.current()
        try:
            header = jwt.get_unverified_header(token or "")
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError:
            raise SignInFailed("The sign-in provider sent a token planboard cannot read.") from None
        algorithm = header.get("alg")
        if algorithm not in found.algorithms:
            raise SignInFailed(
                f"The sign-in provider's token is signed with {algorithm}, "
                "which planboard does not accept."
            )
        payload = self._decode(token, header, algorithm, found.expected_issuer(unverified))
        if "nonce" in kwargs and payload.get("nonce") != kwargs["nonce"]:
            raise SignInFailed("The sign-in provider's token was not made for this sign-in.")
        return payload

    def _decode(self, token, header, algorithm, issuer):
        audience = self.OIDC_RP_CLIENT_ID
        for key in self._keys(header, algorithm):
            try:
                payload = jwt.decode(
                    token,
                    key,
                    algorithms=[algorithm],
                    audience=audience,
                    issuer=issuer,
                    leeway=LEEWAY_SECONDS,
                    options={"require": ["exp", "iat", "iss", "aud", "sub"]},
                )
            except jwt.InvalidSignatureError:
                continue
            except jwt.ExpiredSignatureError:
                raise SignInFailed(
                    "The sign-in provider's token has expired; sign in again."
                ) from None
            except jwt.InvalidAudienceError:
                raise SignInFailed(
                    "The sign-in provider's token was made for another service."
                ) from None
            except jwt.InvalidIssuerError:
                raise SignInFailed(
                    "The sign-in provider's token comes from another issuer."
                ) from None
            except jwt.PyJWTError as error:
                raise SignInFailed(f"The sign-in provider's token is not valid: {error}.") from None
            authorised = payload.get("azp")
            if authorised and authorised != audience:
                raise SignInFailed("The sign-in provider's token was made for another service.")
            return payload
        raise SignInFailed("The sign-in provider's token is not signed with the provider's keys.")

    def _keys(self, header, algorithm):
        """The keys that may have signed the token: the client secret for HS algorithms
        (only when configured), else the published keys of the algorithm's type and the
        token's key id, read again once if none matches."""
        if algorithm.startswith("HS"):
            yield self.OIDC_RP_CLIENT_SECRET
            return
        kind = KEY_TYPES.get(algorithm[:2])
        for again in (False, True):
            matching = [
                key
                for key in provider.keys(again=again)
                if key.get("kty") == kind
                and key.get("use", "sig") == "sig"
                and key.get("alg", algorithm) == algorithm
                and (not header.get("kid") or key.get("kid") == header["kid"])
            ]
            if matching:
                for key in matching:
                    yield jwt.PyJWK(key, algorithm=algorithm).key
                return

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, with the provider's user info where it gives it for the
        same subject (Entra ID puts what planboard needs in the ID token)."""
        claims = dict(payload)
        endpoint = provider.current().userinfo_endpoint
        if not endpoint or not access_token:
            return claims
        response = requests.get(
            endpoint,
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=self.get_settings("OIDC_TIMEOUT"),
        )
        if response.ok and "json" in response.headers.get("content-type", ""):
            info = response.json()
            if isinstance(info, dict) and info.get("sub") == payload.get("sub"):
                claims.update({k: v for k, v in info.items() if k not in ("iss", "aud")})
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        claims = Claims.read(payload["iss"], self.get_userinfo(access_token, id_token, payload))
        try:
            return account_for_sign_in(claims)
        except NotRecognised as refused:
            self.request.sign_in_refusal = Refusal(str(refused), True, claims.email)
        except ServiceError as refused:
            self.request.sign_in_refusal = Refusal(str(refused))
        return None


def signing_failure(error: SuspiciousOperation) -> Refusal:
    """What a person is told when the library itself refuses the callback."""
    LOG.warning("Single sign-on refused: %s", error)
    return Refusal("This sign-in has already been used or has expired; sign in again.")
