"""Board papers: the list of a strategy's periods and the paper for one of them.

The paper is built by ``planboard.papers.content.build_paper``; these views only look
the strategy and period up and render it. Everyone signed in may read a paper.
"""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from planboard.papers.content import build_paper
from planboard.plans.models import Strategy
from planboard.web.cycle import find_period


@require_GET
def papers(request, slug):
    strategy = get_object_or_404(Strategy, slug=slug)
    periods = list(strategy.periods.exclude(status="planned").order_by("-starts_on"))
    context = {"strategy": strategy, "section": "papers", "periods": periods}
    return render(request, "web/papers.html", context)


@require_GET
def paper(request, slug, period):
    strategy = get_object_or_404(Strategy, slug=slug)
    found = find_period(strategy, period)
    context = {
        "strategy": strategy,
        "section": "papers",
        "period": found,
        "paper": build_paper(strategy, found),
    }
    return render(request, "web/paper.html", context)
