"""The "Your API tokens" page: each signed-in person lists their tokens, makes one and
revokes one, through the services of ``planboard.api.tokens``.

A new token's secret is shown once, on the page the form redirects to (POST, redirect,
GET): the form keeps it in the session for exactly one showing, so it is never in an
address, and reloading the page or going back does not show it again.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from planboard.api import tokens
from planboard.api.models import ApiToken
from planboard.lib.forms import TAMPERED, NhsukFormMixin
from planboard.lib.services import ServiceError

NEVER = "never"
EXPIRY_CHOICES = [
    ("30", "In 30 days"),
    (str(tokens.DEFAULT_EXPIRY_DAYS), f"In {tokens.DEFAULT_EXPIRY_DAYS} days"),
    (str(tokens.MAX_EXPIRY_DAYS), f"In a year ({tokens.MAX_EXPIRY_DAYS} days)"),
    (NEVER, "Never: it works until you revoke it"),
]
SHOWN_ONCE = "api_token_made"  # the session key holding a new token until it is shown


class TokenForm(NhsukFormMixin, forms.Form):
    ANCHORS = {"name": "name", "scope": "scope", "expires": "expires"}
    SERVICE_FIELDS = {"expires_days": "expires"}

    name = forms.CharField(required=False, max_length=1000)
    scope = forms.ChoiceField(
        choices=ApiToken.Scope.choices,
        error_messages={
            "required": "Choose whether the token reads only or also writes.",
            "invalid_choice": TAMPERED,
        },
    )
    expires = forms.ChoiceField(
        choices=EXPIRY_CHOICES,
        error_messages={"required": "Choose when the token expires.", "invalid_choice": TAMPERED},
    )

    def clean_name(self):
        return self.service_check(tokens.clean_name, self.cleaned_data["name"])

    def expires_days(self) -> int | None:
        value = self.cleaned_data["expires"]
        return None if value == NEVER else int(value)


@never_cache
@require_http_methods(["GET", "POST"])
def my_api_tokens(request):
    user = request.user
    if request.method == "POST":
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                token, secret = tokens.create_token(
                    user,
                    owner=user,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    expires_days=form.expires_days(),
                )
            except ServiceError as error:
                form.show_service_error(error)
            else:
                request.session[SHOWN_ONCE] = {"pk": token.pk, "secret": secret}
                return redirect("api_token_made")
    else:
        form = TokenForm(initial={"expires": str(tokens.DEFAULT_EXPIRY_DAYS)})
    now = timezone.now()
    mine = [(token, tokens.state(token, now)) for token in ApiToken.objects.filter(user=user)]
    context = {"form": form, "tokens": mine, "expiry_choices": EXPIRY_CHOICES}
    return render(request, "api/tokens.html", context, status=400 if form.is_bound else 200)


@never_cache
@require_GET
def api_token_made(request):
    """The new token's secret, shown this once; afterwards the list of tokens."""
    made = request.session.pop(SHOWN_ONCE, None)
    token = made and ApiToken.objects.filter(pk=made["pk"], user=request.user).first()
    if not token:
        messages.info(request, "A token's secret is shown only once, when it is made.")
        return redirect("my_api_tokens")
    return render(request, "api/token_made.html", {"token": token, "secret": made["secret"]})


@require_POST
def revoke_api_token(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    tokens.revoke_token(request.user, token)
    messages.success(
        request,
        f"You revoked the token “{token.name}” ({token.prefix}…): "
        "nothing can use the API with it any more.",
    )
    return redirect("my_api_tokens")
