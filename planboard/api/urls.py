"""The API's addresses, under /api/v1/. Every view answers 401 itself rather than
redirecting to the sign-in page (``login_not_required``): a program, not a person,
reads it. The one exception is ``docs/``, the description of the API for people: a page
like any other, for anyone signed in."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from planboard.api import docs, reading_urls, update_urls
from planboard.api.reading import OpenApiDocument

app_name = "api"

urlpatterns = [
    path(
        "openapi.json",
        login_not_required(OpenApiDocument.as_view()),
        name="openapi",
    ),
    path("docs/", docs.api_docs, name="docs"),
    *reading_urls.urlpatterns,
    *update_urls.urlpatterns,
]
