"""The public pages: no sign-in, only what governance has published.

The strategy page, its JSON feed and its CSV download are cached by the content's
fingerprint and answer conditional requests (see ``planboard.public.cache``); the
form asking for another format is not cached, since it carries a CSRF token.
"""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_GET, require_http_methods

from planboard.lib.site import site_link
from planboard.plans.models import Strategy
from planboard.public import cache, feeds, requests, throttle
from planboard.public.content import public_plan
from planboard.public.forms import InformationRequestForm
from planboard.public.models import EngagementSummary, RequestedFormat
from planboard.public.said_and_done import any_published


def published_strategies():
    return Strategy.objects.filter(publication__published=True).select_related("publication")


def published_strategy(slug) -> Strategy:
    """The published strategy ``slug``; 404 when there is none or it is not published."""
    return get_object_or_404(published_strategies(), slug=slug)


def _public(request, response):
    """Anyone may keep a public response, but must check it is current before reuse.

    The response is the same for everyone, signed in or not (the public layout shows
    no account), so it must not vary by cookie. Django's sign-in check reads the
    session of every request, which would add "Vary: Cookie" and stop shared caches
    from keeping the page; the session was only read, never changed, so it is marked
    as not read.
    """
    patch_cache_control(response, public=True, no_cache=True)
    if hasattr(request, "session") and not request.session.modified:
        request.session.accessed = False
    return response


@login_not_required
@require_GET
@condition(etag_func=cache.etag)
def index(request):
    def build():
        strategies = [
            {
                "slug": s.slug,
                "title": s.title,
                "organisation": s.organisation,
                "summary": s.publication.summary,
            }
            for s in published_strategies().order_by("title")
        ]
        return render(request, "public/index.html", {"strategies": strategies}).content

    return _public(request, HttpResponse(cache.cached(request, "index", build)))


@login_not_required
@require_GET
@condition(etag_func=cache.etag)
def strategy(request, slug):
    def build():
        found = published_strategy(slug)
        context = {
            "plan": public_plan(found),
            "feedback_published": any_published(found),
            "engagement_published": EngagementSummary.objects.filter(
                strategy=found, published_at__isnull=False
            ).exists(),
        }
        return render(request, "public/strategy.html", context).content

    return _public(request, HttpResponse(cache.cached(request, f"page:{slug}", build)))


@login_not_required
@require_GET
@condition(etag_func=cache.etag)
def strategy_json(request, slug):
    def build():
        found = published_strategy(slug)
        url = site_link("public_strategy", slug=slug)
        content = feeds.as_json(public_plan(found), url=url)
        return json.dumps(content, ensure_ascii=False, indent=2).encode("utf-8")

    body = cache.cached(request, f"json:{slug}", build)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return _public(request, response)


@login_not_required
@require_GET
@condition(etag_func=cache.etag)
def strategy_csv(request, slug):
    def build():
        return feeds.as_csv(public_plan(published_strategy(slug)))

    response = HttpResponse(
        cache.cached(request, f"csv:{slug}", build), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{slug}-progress.csv"'
    return _public(request, response)


@login_not_required
@require_http_methods(["GET", "POST"])
def other_formats(request, slug):
    found = published_strategy(slug)
    if request.method == "GET":
        return _request_page(request, found, InformationRequestForm())
    form = InformationRequestForm(request.POST)
    if not form.is_valid():
        return _request_page(request, found, form, status=400)
    try:
        requests.send_request(found, **form.cleaned_data, address=throttle.client_address(request))
    except requests.TooManyRequests as refusal:
        form.add_error(None, str(refusal))
        return _request_page(request, found, form, status=429)
    return redirect(reverse("public_other_formats_sent", kwargs={"slug": slug}))


def _request_page(request, found, form, status=200):
    context = {"strategy": found, "form": form, "formats": RequestedFormat}
    return render(request, "public/other_formats.html", context, status=status)


@login_not_required
@require_GET
def other_formats_sent(request, slug):
    found = published_strategy(slug)
    return render(request, "public/other_formats_sent.html", {"strategy": found})


@login_not_required
@require_GET
def accessibility(request):
    strategies = published_strategies().order_by("title")
    context = {"strategies": strategies, "contact": settings.PUBLIC_CONTACT}
    return render(request, "public/accessibility.html", context)
