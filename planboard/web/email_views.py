"""E-mail pages: everyone's "Your e-mails" (what they are sent, and turning off the
optional ones), and the governance team's list of e-mails that could not be sent.

The e-mails themselves are written and sent by ``planboard.notifications``.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from planboard.lib.forms import NhsukFormMixin
from planboard.lib.services import ServiceError
from planboard.notifications import services
from planboard.notifications.models import OPTIONAL, Kind, Notification, Status
from planboard.people.permissions import require_governance

RECENT = 10
LISTED = 200
CHOOSE_LISTED = services.NOT_OPTIONAL


class ChoicesForm(NhsukFormMixin, forms.Form):
    """The optional e-mails ticked to be received; the rest are turned off."""

    ANCHORS = {"receive": "receive"}

    receive = forms.MultipleChoiceField(
        required=False,
        choices=[(kind.value, kind.label) for kind in OPTIONAL],
        error_messages={"invalid_choice": CHOOSE_LISTED, "invalid_list": CHOOSE_LISTED},
    )

    def clean_receive(self):
        return self.service_check(services.clean_receive, self.cleaned_data["receive"])


@require_http_methods(["GET", "POST"])
def my_emails(request):
    user = request.user
    if request.method == "POST":
        form = ChoicesForm(request.POST)
        if form.is_valid():
            try:
                services.save_choices(user, receive=form.cleaned_data["receive"], user=user)
            except ServiceError as error:
                form.show_service_error(error)
            else:
                messages.success(request, "Your choices of e-mails are saved.")
                return redirect("my_emails")
    else:
        form = ChoicesForm(initial={"receive": _received(user)})
    return render(
        request,
        "web/my_emails.html",
        {
            "form": form,
            "received": _received(user) if not form.is_bound else form.data.getlist("receive"),
            "compulsory": [Kind.UPDATE_RETURNED, Kind.REQUEST_RECEIVED],
            "optional": OPTIONAL,
            "recent": list(Notification.objects.filter(recipient=user)[:RECENT]),
            "statuses": Status,
        },
        status=400 if form.is_bound else 200,
    )


def _received(user) -> list[str]:
    off = services.turned_off_kinds(user)
    return [kind.value for kind in OPTIONAL if kind.value not in off]


@require_http_methods(["GET"])
def failed_emails(request):
    require_governance(request.user, "see the e-mails that could not be sent")
    failed = Notification.objects.filter(status=Status.FAILED).select_related("recipient")
    context = {"failed": list(failed[:LISTED]), "attempts": settings.NOTIFICATION_ATTEMPTS}
    return render(request, "web/failed_emails.html", context)


@require_POST
def send_email_again(request, pk):
    require_governance(request.user, "send e-mails again")
    notification = get_object_or_404(Notification, pk=pk)
    try:
        services.send_again(notification, user=request.user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The e-mail to {notification.address} is queued to send again.")
    return redirect("failed_emails")
