"""The API's addresses for reading the plan and its record."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from planboard.api import reading
from planboard.lib import converters  # noqa: F401 - registers the "ref" converter

STRATEGY = "strategies/<slug:slug>/"
PERIOD = STRATEGY + "periods/<slug:period>/"


def read(view):
    return login_not_required(view.as_view())


urlpatterns = [
    path("strategies/", read(reading.StrategyList), name="strategies"),
    path(STRATEGY, read(reading.StrategyDetail), name="strategy"),
    path(STRATEGY + "themes/", read(reading.ThemeList), name="themes"),
    path(STRATEGY + "commitments/", read(reading.CommitmentList), name="commitments"),
    path(STRATEGY + "actions/", read(reading.ActionList), name="actions"),
    path(STRATEGY + "actions/<ref:ref>/", read(reading.ActionDetail), name="action"),
    path(STRATEGY + "periods/", read(reading.PeriodList), name="periods"),
    path(PERIOD, read(reading.PeriodDetail), name="period"),
    path(PERIOD + "findings/", read(reading.FindingList), name="findings"),
    path(PERIOD + "papers/", read(reading.PaperFileList), name="papers"),
    path(PERIOD + "papers/<int:pk>/file", read(reading.PaperFileDownload), name="paper_file"),
]
