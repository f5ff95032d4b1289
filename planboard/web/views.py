"""The signed-in pages. Each view looks things up, makes one domain call and renders.

Every page reads a whole plan in a fixed number of queries (select_related and
prefetch_related), so a plan of 5,000 actions costs the same number as one of 50.
"""

from dataclasses import replace

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from planboard.lib import clock
from planboard.notifications.services import failed_count
from planboard.people.models import Person, Role
from planboard.people.permissions import (
    is_governance,
    may_link_feedback,
    may_read_feedback,
    may_update,
)
from planboard.plans.models import Action, Commitment, Strategy
from planboard.progress.checker import check_report
from planboard.progress.services import current_period
from planboard.web.engagement_plan import activities_per_commitment, activities_serving
from planboard.web.feedback_plan import feedback_behind, feedback_serving
from planboard.web.filters import filter_actions
from planboard.web.findings import group_findings
from planboard.web.forms import AsOfForm, PlanFilterForm
from planboard.web.history import action_history
from planboard.web.home import home_page
from planboard.web.jinja import governs
from planboard.web.plan import plan_parts, plan_sections, plan_structure


@login_not_required
@require_GET
def healthz(request):
    """200 when the database answers, 503 otherwise; for load balancers and monitors."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
def home(request):
    page = home_page(request.user, Strategy.objects.all(), _today())
    failed = failed_count() if is_governance(request.user) else 0
    context = {"home": page, "summaries": page.summaries, "failed_emails": failed}
    return render(request, "web/home.html", context)


@require_GET
def plan(request, slug):
    strategy = get_object_or_404(Strategy, slug=slug)
    parts = plan_parts(strategy)
    form = PlanFilterForm.for_parts(request.GET, parts)
    criteria = form.criteria()
    actions = Action.objects.for_strategy(strategy).in_plan()
    today = _today()
    shown = filter_actions(actions.in_plan_order(), criteria, today)
    sections = plan_sections(strategy, parts, shown, today, keep_empty=not criteria.is_active)
    governance = governs(request)
    context = {
        "strategy": strategy,
        "section": "plan",
        "form": form,
        "filtered": criteria.is_active,
        "searched": criteria.search,
        "narrowed": replace(criteria, search="").is_active,
        "sections": sections,
        "shown": sum(section.action_count for section in sections),
        "total": actions.count(),
        "governance": governance,
        **(plan_structure(strategy, parts) if governance else {}),
    }
    return render(request, "web/plan.html", context)


@require_GET
def action_detail(request, slug, ref):
    strategy = get_object_or_404(Strategy, slug=slug)
    theme_number, number = ref
    actions = Action.objects.for_strategy(strategy).select_related(
        "theme", "area", "rag_level", "retired_by"
    )
    action = get_object_or_404(
        actions.prefetch_related(
            Prefetch("leads", Role.objects.prefetch_related("people")),
            Prefetch("commitments", Commitment.objects.select_related("theme")),
        ),
        theme__number=theme_number,
        number=number,
    )
    action.theme.strategy = strategy
    context = {
        "strategy": strategy,
        "section": "plan",
        "action": action,
        "history": action_history(action),
        "target_changes": list(action.target_changes.select_related("changed_by")),
        "updates": list(
            action.updates.select_related(
                "period", "proposed_rag", "adjusted_rag", "submitted_by", "reviewed_by"
            ).order_by("-period__starts_on")
        ),
        "may_update": may_update(request.user, action) and not action.is_retired,
        "period": current_period(strategy),
        "governance": is_governance(request.user),
        "feedback": feedback_behind(action),
        "reads_feedback": may_read_feedback(request.user, strategy),
        "links_feedback": may_link_feedback(request.user, action) and not action.is_retired,
        "engagement": activities_serving(action),
    }
    return render(request, "web/action.html", context)


@require_GET
def commitments(request, slug):
    strategy = get_object_or_404(Strategy, slug=slug)
    serving = Action.objects.in_plan().select_related("theme").order_by("theme__number", "number")
    themes = strategy.themes.prefetch_related(
        Prefetch("commitments", Commitment.objects.prefetch_related(Prefetch("actions", serving)))
    )
    context = {
        "strategy": strategy,
        "section": "commitments",
        "themes": themes,
        "governance": is_governance(request.user),
        "feedback": feedback_serving(strategy),
        "reads_feedback": may_read_feedback(request.user, strategy),
        "engagement": activities_per_commitment(strategy),
    }
    return render(request, "web/commitments.html", context)


@require_GET
def people(request, slug):
    strategy = get_object_or_404(Strategy, slug=slug)
    # In the key's order; an aggregate query would otherwise drop Meta.ordering.
    roles = (
        strategy.roles.annotate(action_count=Count("actions"))
        .prefetch_related("people")
        .order_by("-in_key", "pk")
    )
    context = {
        "strategy": strategy,
        "section": "people",
        "roles": [role for role in roles if role.in_key],
        "other_leads": [role for role in roles if not role.in_key],
        "people": Person.objects.filter(strategy=strategy).prefetch_related("roles"),
    }
    return render(request, "web/people.html", context)


@require_GET
def findings(request, slug):
    strategy = get_object_or_404(Strategy, slug=slug)
    form = AsOfForm(request.GET or None)
    as_of = form.as_of_date(_today())
    report = check_report(strategy, as_of)
    context = {
        "strategy": strategy,
        "section": "findings",
        "form": form,
        "as_of": as_of,
        "report": report,
        "groups": group_findings(strategy, report, fixes=is_governance(request.user)),
    }
    return render(request, "web/findings.html", context)


def _today():
    return clock.today()
