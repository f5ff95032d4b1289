"""The API's addresses, under /api/v1/. Every view answers 401 itself rather than
redirecting to the sign-in page (``login_not_required``): a program, not a person,
reads it."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView

from planboard.api import reading_urls, update_urls

app_name = "api"

urlpatterns = [
    path(
        "openapi.json",
        login_not_required(SpectacularJSONAPIView.as_view()),
        name="openapi",
    ),
    *reading_urls.urlpatterns,
    *update_urls.urlpatterns,
]
