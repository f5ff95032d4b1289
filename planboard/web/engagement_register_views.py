"""The private register of involvement and reward: its people, each activity's
involvement, the rate card and the finance team's export.

The register is the governance team's (``require_register_rights``); an activity's
lead sees that activity's involvement only, with the names and access needs of the
people in it (they run the sessions, so they make the adjustments), never their
contact or the rest of the register. Every write is a service of
``planboard.engagement.register``.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from planboard.engagement import finance
from planboard.engagement.models import Activity, Involvement, Participant, RewardRate
from planboard.engagement.register import (
    erase_participant,
    mark_paid,
    save_involvement,
    save_participant,
    save_rate,
)
from planboard.lib.services import ServiceError
from planboard.lib.versions import EditConflict
from planboard.people.permissions import is_governance, require_register_rights
from planboard.plans.models import Strategy
from planboard.web import engagement_finance_files as finance_files
from planboard.web.engagement_register_forms import (
    InvolvementForm,
    PaidForm,
    ParticipantForm,
    RateForm,
    RegisterSearchForm,
    participant_initial,
)

PAGE_SIZE = 50
MONEY = DecimalField(max_digits=12, decimal_places=2)


def _register_strategy(request, slug):
    strategy = get_object_or_404(Strategy, slug=slug)
    require_register_rights(request.user)
    return strategy


def _money(expression, condition=None):
    return Coalesce(Sum(expression, filter=condition), Value(0), output_field=MONEY)


@require_GET
def engagement_register(request, slug):
    strategy = _register_strategy(request, slug)
    form = RegisterSearchForm(request.GET)
    people = Participant.objects.filter(strategy=strategy)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if query:
        people = people.filter(name__icontains=query)
    people = people.annotate(
        activity_count=Count("involvements__activity", distinct=True),
        total_hours=_money("involvements__hours"),
        total_due=_money(F("involvements__amount_due") + F("involvements__expenses")),
        total_paid=_money(
            F("involvements__amount_due") + F("involvements__expenses"),
            Q(involvements__paid_on__isnull=False),
        ),
    ).order_by("name", "pk")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "strategy": strategy,
        "section": "engagement",
        "page": page,
        "query": query,
        "filters": f"q={query}" if query else "",
    }
    return render(request, "web/engagement/register.html", context)


def _participant_page(request, strategy, participant, form, *, status=200, conflict=None):
    involvements = participant.involvements.select_related("activity", "rate").order_by(
        "-took_part_on"
    )
    context = {
        "strategy": strategy,
        "section": "engagement",
        "participant": participant,
        "involvements": involvements,
        "form": form,
        "conflict": conflict,
    }
    return render(request, "web/engagement/register_participant.html", context, status=status)


@require_http_methods(["GET", "POST"])
def engagement_participant_add(request, slug):
    strategy = _register_strategy(request, slug)
    form = ParticipantForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                person = save_participant(
                    form.fill(Participant(strategy=strategy)), user=request.user
                )
            except ServiceError as error:
                form.show_service_error(error)
            else:
                messages.success(request, f"{person.name} is added to the register.")
                return redirect("engagement_participant", slug=slug, pk=person.pk)
    context = {"strategy": strategy, "section": "engagement", "form": form}
    return render(request, "web/engagement/register_add.html", context, status=status)


@require_http_methods(["GET", "POST"])
def engagement_participant(request, slug, pk):
    strategy = _register_strategy(request, slug)
    participant = get_object_or_404(Participant, pk=pk, strategy=strategy)
    if request.method == "GET":
        form = ParticipantForm(initial=participant_initial(participant))
        return _participant_page(request, strategy, participant, form)
    form = ParticipantForm(request.POST)
    if form.is_valid():
        try:
            version = form.cleaned_data["version"] or participant.version
            save_participant(form.fill(participant), user=request.user, version=version)
        except EditConflict as clash:
            form.data = form.data.copy()
            form.data["version"] = str(clash.current.version)
            saved = Participant.objects.get(pk=pk)
            return _participant_page(request, strategy, saved, form, status=409, conflict=saved)
        except ServiceError as error:
            form.show_service_error(error)
        else:
            messages.success(request, "Their details are saved.")
            return redirect("engagement_participant", slug=slug, pk=pk)
    participant.refresh_from_db()
    return _participant_page(request, strategy, participant, form, status=400)


@require_http_methods(["GET", "POST"])
def engagement_participant_erase(request, slug, pk):
    strategy = _register_strategy(request, slug)
    participant = get_object_or_404(Participant, pk=pk, strategy=strategy)
    if request.method == "POST":
        erase_participant(participant, user=request.user)
        messages.success(request, "Their details are erased. Their hours and pay are kept.")
        return redirect("engagement_participant", slug=slug, pk=pk)
    context = {"strategy": strategy, "section": "engagement", "participant": participant}
    return render(request, "web/engagement/register_erase.html", context)


def _rate_names(strategy) -> list[str]:
    names = RewardRate.objects.filter(strategy=strategy).values_list("name", flat=True)
    return sorted(set(names))


@require_http_methods(["GET", "POST"])
def engagement_involvement(request, slug, pk):
    strategy = get_object_or_404(Strategy, slug=slug)
    activity = get_object_or_404(Activity.objects.select_related("lead"), pk=pk, strategy=strategy)
    require_register_rights(request.user, activity)
    governs = is_governance(request.user)
    rows = activity.involvements.select_related("participant", "rate").order_by(
        "took_part_on", "participant__name"
    )
    if governs:
        people = Participant.objects.filter(strategy=strategy).order_by("name")
    else:
        people = Participant.objects.filter(involvements__activity=activity).distinct()
        people = people.order_by("name")
    form = InvolvementForm(
        request.POST if request.method == "POST" else None,
        people=people,
        rate_names=_rate_names(strategy),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            chosen = form.cleaned_data
            involvement = Involvement(
                participant=people.get(pk=chosen["participant"]),
                activity=activity,
                took_part_on=chosen["took_part_on"],
                role=chosen["role"],
                hours=chosen["hours"],
                reward=chosen["reward"],
                expenses=chosen["expenses"],
            )
            try:
                save_involvement(involvement, user=request.user, rate_name=chosen["rate"])
            except ServiceError as error:
                form.show_service_error(error)
            else:
                messages.success(request, "The involvement is recorded.")
                return redirect("engagement_involvement", slug=slug, pk=pk)
    context = {
        "strategy": strategy,
        "section": "engagement",
        "activity": activity,
        "rows": rows,
        "form": form,
        "governs": governs,
    }
    return render(request, "web/engagement/register_involvement.html", context, status=status)


@require_http_methods(["GET", "POST"])
def engagement_rates(request, slug):
    strategy = _register_strategy(request, slug)
    form = RateForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            rate = RewardRate(strategy=strategy, **form.cleaned_data)
            try:
                save_rate(rate, user=request.user)
            except ServiceError as error:
                form.show_service_error(error)
            else:
                messages.success(request, f"The {rate.name} rate is added.")
                return redirect("engagement_rates", slug=slug)
    lines = list(
        RewardRate.objects.filter(strategy=strategy)
        .annotate(uses=Count("involvements"))
        .order_by("name", "valid_from")
    )
    for number, line in enumerate(lines):
        following = lines[number + 1] if number + 1 < len(lines) else None
        same = following is not None and following.name == line.name
        line.until = following.valid_from if same else None
    context = {"strategy": strategy, "section": "engagement", "lines": lines, "form": form}
    return render(request, "web/engagement/register_rates.html", context, status=status)


def _quarter(request, strategy):
    quarters = finance.quarters_with_involvement(strategy)
    chosen = request.GET.get("quarter") or request.POST.get("quarter") or ""
    if chosen and chosen not in quarters:
        raise Http404("There is no involvement in that quarter.")
    return quarters, chosen or (quarters[0] if quarters else "")


@require_http_methods(["GET", "POST"])
def engagement_finance(request, slug):
    strategy = _register_strategy(request, slug)
    quarters, quarter = _quarter(request, strategy)
    form = PaidForm(
        request.POST if request.method == "POST" else None, initial={"quarter": quarter}
    )
    status = 200
    if request.method == "POST" and quarter:
        status = 400
        if form.is_valid():
            outstanding = finance.in_quarter(strategy, quarter).filter(paid_on__isnull=True)
            try:
                marked = mark_paid(
                    list(outstanding), user=request.user, paid_on=form.cleaned_data["paid_on"]
                )
            except ServiceError as error:
                form.show_service_error(error)
            else:
                messages.success(request, f"{marked} involvements in {quarter} marked paid.")
                return redirect(f"{request.path}?quarter={quarter}")
    rows = finance.finance_rows(strategy, quarter) if quarter else []
    context = {
        "strategy": strategy,
        "section": "engagement",
        "quarters": quarters,
        "quarter": quarter,
        "rows": rows,
        "total": finance.totals(rows),
        "form": form,
    }
    return render(request, "web/engagement/register_finance.html", context, status=status)


@require_GET
def engagement_finance_export(request, slug, format):
    strategy = _register_strategy(request, slug)
    if format not in ("csv", "xlsx"):
        raise Http404("The due and paid table downloads as CSV or Excel.")
    quarters, quarter = _quarter(request, strategy)
    rows = finance.finance_rows(strategy, quarter) if quarter else []
    name = f"{strategy.slug}-involvement-{quarter.replace('/', '-').replace(' ', '-')}"
    if format == "csv":
        content, kind = finance_files.finance_csv(rows), "text/csv; charset=utf-8"
    else:
        title = f"{strategy.title}: involvement due and paid, {quarter}"
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        content = finance_files.finance_xlsx(rows, title)
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}.{format}"'
    return response
