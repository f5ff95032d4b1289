"""The public summary of a strategy's engagement, its JSON and its CSV.

Shown only while both the strategy and its engagement summary are published (else
"not found"). Cached and answered like the strategy's public page
(``planboard.public.cache``), with a fingerprint that also watches the engagement
activities, so a published or withdrawn outcome shows at the next request.
"""

import json

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import condition, require_GET

from planboard.lib.site import site_link
from planboard.public import cache
from planboard.public.engagement_summary import as_csv, as_json, engagement_content
from planboard.public.models import EngagementSummary
from planboard.public.views import _public, published_strategy


def published_content(slug):
    """The public summary of the engagement of the published strategy ``slug``, or 404."""
    strategy = published_strategy(slug)
    summary = EngagementSummary.objects.filter(
        strategy=strategy, published_at__isnull=False
    ).first()
    if summary is None:
        raise Http404("The engagement of this strategy is not published.")
    return engagement_content(strategy, summary.introduction)


def _cached(request, name, build):
    return cache.cached(request, name, build, cache.ENGAGEMENT_WATCHED)


@login_not_required
@require_GET
@condition(etag_func=cache.engagement_etag)
def page(request, slug):
    def build():
        context = {"content": published_content(slug)}
        return render(request, "public/engagement.html", context).content

    return _public(request, HttpResponse(_cached(request, f"engagement:{slug}", build)))


@login_not_required
@require_GET
@condition(etag_func=cache.engagement_etag)
def data(request, slug):
    def build():
        url = site_link("public_engagement", slug=slug)
        content = as_json(published_content(slug), url=url)
        return json.dumps(content, ensure_ascii=False, indent=2).encode("utf-8")

    body = _cached(request, f"engagement-json:{slug}", build)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return _public(request, response)


@login_not_required
@require_GET
@condition(etag_func=cache.engagement_etag)
def spreadsheet(request, slug):
    def build():
        return as_csv(published_content(slug))

    body = _cached(request, f"engagement-csv:{slug}", build)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-engagement.csv"'
    return _public(request, response)
