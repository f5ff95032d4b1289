"""The public "you said, we did" page of a strategy, its JSON and its CSV.

Cached and answered like the strategy's public page (``planboard.public.cache``), with a
fingerprint that also watches the feedback, so publishing or withdrawing an item shows
at the next request. A filter that is not one of the choices gets a 400 naming it.
"""

import json

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import condition, require_GET

from planboard.lib.site import site_link
from planboard.public import cache, said_and_done
from planboard.public.content import public_plan
from planboard.public.views import _public, published_strategy

PAGE_SIZE = 50


def _choices(strategy):
    plan = public_plan(strategy)
    return plan, said_and_done.public_services(strategy)


def _page_number(request) -> int:
    raw = request.GET.get("page", "")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 1_000_000 else 1


def _filters_key(request) -> str:
    return "&".join(f"{k}={request.GET.get(k, '')[:20]}" for k in ("theme", "service"))


@login_not_required
@require_GET
@condition(etag_func=cache.feedback_etag)
def page(request, slug):
    number = _page_number(request)

    def build():
        found = published_strategy(slug)
        plan, services = _choices(found)
        filters = said_and_done.read_filters(request.GET, themes=plan.themes, services=services)
        shown = Paginator(said_and_done.filtered(found, filters), PAGE_SIZE).get_page(number)
        context = {
            "plan": plan,
            "services": services,
            "filters": filters,
            "page": shown,
            "items": said_and_done.public_feedback(shown.object_list, plan),
            "filter_query": "&".join(f"{k}={v}" for k, v in filters.as_query().items()),
        }
        return render(request, "public/you_said_we_did.html", context).content

    name = f"said:{slug}:{_filters_key(request)}:{number}"
    try:
        body = cache.cached(request, name, build, cache.FEEDBACK_WATCHED)
    except said_and_done.FilterError as error:
        # Not cached: a mistake in the address is answered, not kept.
        plan, services = _choices(published_strategy(slug))
        context = {
            "plan": plan,
            "services": services,
            "error": error,
            "query": request.GET,
            "page": None,
        }
        return render(request, "public/you_said_we_did.html", context, status=400)
    return _public(request, HttpResponse(body))


def _refused(error):
    return HttpResponse(f"{error}\n", status=400, content_type="text/plain; charset=utf-8")


def _cached_data(request, slug, kind, make):
    """``make(plan, items, filters)`` for every published item matching the filters, cached."""

    def build():
        found = published_strategy(slug)
        plan, services = _choices(found)
        filters = said_and_done.read_filters(request.GET, themes=plan.themes, services=services)
        items = said_and_done.public_feedback(said_and_done.filtered(found, filters), plan)
        return make(plan, items, filters)

    name = f"said-{kind}:{slug}:{_filters_key(request)}"
    return cache.cached(request, name, build, cache.FEEDBACK_WATCHED)


@login_not_required
@require_GET
@condition(etag_func=cache.feedback_etag)
def as_json(request, slug):
    def make(plan, items, filters):
        url = site_link("public_you_said_we_did", slug=slug)
        content = said_and_done.as_json(plan, items, url=url, filters=filters)
        return json.dumps(content, ensure_ascii=False, indent=2).encode("utf-8")

    try:
        body = _cached_data(request, slug, "json", make)
    except said_and_done.FilterError as error:
        return _refused(error)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return _public(request, response)


@login_not_required
@require_GET
@condition(etag_func=cache.feedback_etag)
def as_csv(request, slug):
    def make(plan, items, filters):
        return said_and_done.as_csv(items)

    try:
        body = _cached_data(request, slug, "csv", make)
    except said_and_done.FilterError as error:
        return _refused(error)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-you-said-we-did.csv"'
    return _public(request, response)
