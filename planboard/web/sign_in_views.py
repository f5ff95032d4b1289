"""Signing in and out: the password form, the single sign-on provider's round trip (the
authorization-code flow with PKCE, mozilla-django-oidc's views) and its refusals.

A failed callback (an error from the provider, a sign-in link used twice, a token that
does not check out, someone planboard does not know) is told to the sign-in throttle as
a failed sign-in, so it counts against the address like a wrong password.
"""

from dataclasses import asdict
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from planboard.people import provider
from planboard.people.sign_in import Refusal, signing_failure
from planboard.web.forms import SignInForm

REFUSAL = "sign_in_refusal"
PASSWORD_OFF = "Password sign-in is switched off: use the button to sign in."  # noqa: S105


def provider_context() -> dict:
    return {
        "provider_label": settings.OIDC_BUTTON_LABEL if provider.configured() else "",
        "password_sign_in": settings.PASSWORD_SIGN_IN or not provider.configured(),
    }


class SignInView(auth_views.LoginView):
    """The sign-in page: the provider's button when single sign-on is set up, and the
    password form unless ``PASSWORD_SIGN_IN`` is off."""

    template_name = "registration/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **provider_context()}

    def post(self, request, *args, **kwargs):
        if provider_context()["password_sign_in"]:
            return super().post(request, *args, **kwargs)
        context = self.get_context_data(password_refused=PASSWORD_OFF)
        return render(request, self.template_name, context, status=403)


def _refuse(request, refusal: Refusal, *, tell_throttle: bool):
    if tell_throttle:
        user_login_failed.send(sender=__name__, credentials={}, request=request)
    request.session.pop("oidc_id_token", None)
    request.session[REFUSAL] = asdict(refusal)
    return HttpResponseRedirect(reverse("sign_in_refused"))


class ProviderSignIn(OIDCAuthenticationRequestView):
    """Sends the browser to the provider, with a state, a nonce and a PKCE challenge."""

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not provider.configured():
            raise Http404("Single sign-on is not set up.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider.current().authorization_endpoint
        except provider.ProviderUnavailable as unavailable:
            return _refuse(request, Refusal(str(unavailable)), tell_throttle=False)
        return super().get(request)


class ProviderCallback(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back; signs in, or says why not."""

    def get(self, request):
        if not provider.configured():
            raise Http404("Single sign-on is not set up.")
        if request.GET.get("error"):
            described = request.GET.get("error_description") or request.GET["error"]
            states = request.session.get("oidc_states") or {}
            if states.pop(request.GET.get("state", ""), None):  # never usable again
                request.session.modified = True
            reason = f"The sign-in provider did not sign you in: {described[:200]}."
            return _refuse(request, Refusal(reason), tell_throttle=True)
        try:
            return super().get(request)
        except SuspiciousOperation as error:
            return _refuse(request, signing_failure(error), tell_throttle=True)

    def login_failure(self):
        request = self.request
        refusal = getattr(request, "sign_in_refusal", None)
        user = getattr(self, "user", None)
        if refusal is None and user is not None and not user.is_active:
            refusal = Refusal("Your planboard account is switched off.", True)
            user_login_failed.send(sender=__name__, credentials={}, request=request)
            return _refuse(request, refusal, tell_throttle=False)
        if refusal is None:
            # No state in the session, or no code: a link opened again, or in another
            # browser. (While the throttle holds, its own page is shown instead.)
            refusal = signing_failure(SuspiciousOperation("no state or no code"))
            locked = getattr(request, "axes_locked_out", False)
            return _refuse(request, refusal, tell_throttle=not locked)
        # Django told the throttle already, as authenticating returned nobody.
        return _refuse(request, refusal, tell_throttle=False)


@login_not_required
@require_GET
def sign_in_refused(request):
    """Why the provider's sign-in did not sign someone in; for someone planboard does not
    know, who to ask."""
    refusal = request.session.get(REFUSAL)
    if refusal is None:
        return HttpResponseRedirect(reverse("login"))
    return render(request, "registration/sign_in_refused.html", {"refusal": Refusal(**refusal)})


class SignOutView(auth_views.LogoutView):
    """Ends the session and, where the provider offers it, the provider's session too
    (RP-initiated logout), coming back to the sign-in page."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        if not id_token or not provider.configured():
            return response
        try:
            endpoint = provider.current().end_session_endpoint
        except provider.ProviderUnavailable:
            return response
        if not endpoint:
            return response
        query = urlencode(
            {
                "id_token_hint": id_token,
                "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
                "client_id": settings.OIDC_RP_CLIENT_ID,
            }
        )
        return HttpResponseRedirect(f"{endpoint}{'&' if '?' in endpoint else '?'}{query}")


sign_in = SignInView.as_view()
provider_sign_in = login_not_required(ProviderSignIn.as_view())
provider_callback = login_not_required(ProviderCallback.as_view())
sign_out = SignOutView.as_view()
