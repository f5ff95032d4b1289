"""The API's addresses for giving and reviewing updates."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from planboard.api import update_views
from planboard.lib import converters  # noqa: F401 - registers the "ref" converter

STRATEGY = "strategies/<slug:slug>/"
REVIEWED = STRATEGY + "periods/<slug:period>/updates/<ref:ref>/"

urlpatterns = [
    path(
        STRATEGY + "periods/<slug:period>/updates/",
        login_not_required(update_views.PeriodUpdates.as_view()),
        name="period_updates",
    ),
    path(
        STRATEGY + "actions/<ref:ref>/update",
        login_not_required(update_views.ActionUpdate.as_view()),
        name="action_update",
    ),
    path(
        REVIEWED + "accept",
        login_not_required(update_views.AcceptUpdate.as_view()),
        name="accept_update",
    ),
    path(
        REVIEWED + "return",
        login_not_required(update_views.ReturnUpdate.as_view()),
        name="return_update",
    ),
]
