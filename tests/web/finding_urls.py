"""Two URL configurations for the findings page's links to an action's editing page:
one with an ``edit_action`` page and one without, whichever planboard has today."""

from django.http import HttpResponse
from django.urls import include, path

from planboard import urls
from planboard.web import urls as web_urls


def _editing_page(request, slug, ref):
    return HttpResponse(f"Editing action {ref}")


def _without_edit_action():
    return [p for p in web_urls.urlpatterns if getattr(p, "name", None) != "edit_action"]


class WithEditAction:
    urlpatterns = [
        path("strategies/<slug:slug>/actions/<ref:ref>/change/", _editing_page, name="edit_action"),
        *urls.urlpatterns,
    ]


class WithoutEditAction:
    urlpatterns = [
        *[p for p in urls.urlpatterns if "web" not in str(getattr(p, "urlconf_name", ""))],
        path("", include(_without_edit_action())),
    ]
