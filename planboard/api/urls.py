"""The API's addresses, under /api/v1/. Every view answers 401 itself rather than
redirecting to the sign-in page (``login_not_required``): a program, not a person,
reads it."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from planboard.api import not_found, reading_urls, update_urls

app_name = "api"

urlpatterns = [
    path(
        "openapi.json",
        login_not_required(SpectacularJSONAPIView.as_view()),
        name="openapi",
    ),
    *reading_urls.urlpatterns,
    *update_urls.urlpatterns,
    # Last: any other address under /api/v1/ is a 404 problem, not the site's page.
    re_path(r"", login_not_required(not_found.NotFound.as_view())),
]
