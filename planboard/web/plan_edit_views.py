"""The governance team's pages that change the plan's themes, commitments and areas.

Each page looks up what its URL names, refuses anyone outside the governance team
(403) with the rule its service asks, and makes one service call. A refusal shows on
the field it names (400); a save over someone else's shows their values beside the
form (409), which keeps what was typed so it can be saved again knowingly.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from planboard.lib.services import ServiceError
from planboard.lib.versions import EditConflict
from planboard.people.permissions import require_governance
from planboard.plans import structure
from planboard.plans.models import Area, Commitment, Strategy, Theme
from planboard.web.plan_edit_forms import AreaForm, CommitmentForm, ThemeForm

DOING = structure.DOING


def governed_strategy(request, slug):
    strategy = get_object_or_404(Strategy, slug=slug)
    require_governance(request.user, DOING)
    return strategy


def edit_page(request, form, *, save, page: dict, shown=None):
    """Show ``form``, or on a POST save it with ``save(form)`` and redirect where it says.

    ``page`` gives the template its title, caption, back link and button; ``shown``
    lists a record's values as a summary list's rows, to show beside the form when
    someone else saved the record first."""
    if request.method == "POST" and form.is_valid():
        try:
            done, message = save(form)
        except EditConflict as conflict:
            return _render(request, form, page, status=409, current=conflict.current, shown=shown)
        except ServiceError as error:
            form.show_service_error(error)
        else:
            messages.success(request, message)
            return redirect(done)
    status = 400 if form.is_bound else 200
    return _render(request, form, page, status=status)


def _render(request, form, page, *, status, current=None, shown=None):
    if current is not None:
        # The form keeps what was typed; saving it again now replaces ``current`` knowingly.
        form.data = form.data.copy()
        form.data["version"] = str(current.version)
    context = {
        **page,
        "section": "plan",
        "form": form,
        "current": current,
        "current_rows": shown(current) if current is not None and shown else [],
    }
    return render(request, "web/plan_edit/form.html", context, status=status)


def _plan_url(strategy, anchor=""):
    return reverse("plan", kwargs={"slug": strategy.slug}) + anchor


def _theme_rows(theme):
    return [{"key": "Number", "value": theme.number}, {"key": "Title", "value": theme.title}]


@require_http_methods(["GET", "POST"])
def add_theme(request, slug):
    strategy = governed_strategy(request, slug)
    form = ThemeForm(request.POST or None)

    def save(form):
        data = form.cleaned_data
        theme = structure.add_theme(
            strategy, title=data["title"], number=data["number"], user=request.user
        )
        return _plan_url(strategy), f"Theme {theme} is added."

    page = _page(strategy, "Add a theme", "Add the theme")
    return edit_page(request, form, save=save, page=page)


@require_http_methods(["GET", "POST"])
def edit_theme(request, slug, number):
    strategy = governed_strategy(request, slug)
    theme = get_object_or_404(Theme, strategy=strategy, number=number)
    initial = {"title": theme.title, "number": theme.number, "version": theme.version}
    form = ThemeForm(request.POST or None, initial=initial)

    def save(form):
        data = form.cleaned_data
        changed = structure.change_theme(
            theme,
            title=data["title"],
            number=data["number"],
            version=data["version"],
            user=request.user,
        )
        return _plan_url(strategy), f"Theme {changed} is saved."

    page = _page(strategy, f"Change theme {theme.number}", "Save the theme")
    return edit_page(request, form, save=save, page=page, shown=_theme_rows)


def _commitment_rows(commitment):
    return [
        {"key": "Number", "value": commitment.number},
        {"key": "Commitment", "value": commitment.text},
        {"key": "Retired", "value": commitment.retired_reason if commitment.is_retired else "No"},
    ]


def _commitments_url(strategy, commitment=None):
    url = reverse("commitments", kwargs={"slug": strategy.slug})
    return f"{url}#commitment-{commitment.ref.replace('.', '-')}" if commitment else url


@require_http_methods(["GET", "POST"])
def add_commitment(request, slug, number):
    strategy = governed_strategy(request, slug)
    theme = get_object_or_404(Theme, strategy=strategy, number=number)
    form = CommitmentForm(request.POST or None)

    def save(form):
        data = form.cleaned_data
        added = structure.add_commitment(
            theme, text=data["text"], number=data["number"], user=request.user
        )
        return _commitments_url(strategy, added), f"Commitment {added.ref} is added."

    page = _page(strategy, f"Add a commitment to theme {theme}", "Add the commitment")
    return edit_page(request, form, save=save, page=page)


@require_http_methods(["GET", "POST"])
def edit_commitment(request, slug, ref):
    strategy = governed_strategy(request, slug)
    theme_number, number = ref
    commitment = get_object_or_404(
        Commitment.objects.select_related("theme"),
        theme__strategy=strategy,
        theme__number=theme_number,
        number=number,
    )
    initial = {
        "text": commitment.text,
        "number": commitment.number,
        "retired": commitment.is_retired,
        "retired_reason": commitment.retired_reason,
        "version": commitment.version,
    }
    form = CommitmentForm(request.POST or None, initial=initial, editing=True)

    def save(form):
        data = form.cleaned_data
        changed = structure.change_commitment(
            commitment,
            text=data["text"],
            number=data["number"],
            retired=data["retired"],
            retired_reason=data["retired_reason"],
            version=data["version"],
            user=request.user,
        )
        return _commitments_url(strategy, changed), f"Commitment {changed.ref} is saved."

    page = _page(strategy, f"Change commitment {commitment.ref}", "Save the commitment")
    return edit_page(request, form, save=save, page=page, shown=_commitment_rows)


@require_http_methods(["GET", "POST"])
def add_area(request, slug):
    strategy = governed_strategy(request, slug)
    form = AreaForm(request.POST or None)

    def save(form):
        area = structure.add_area(strategy, name=form.cleaned_data["name"], user=request.user)
        return _plan_url(strategy, "#change-the-plan"), f"Area {area.name} is added."

    page = _page(strategy, "Add an area", "Add the area")
    return edit_page(request, form, save=save, page=page)


@require_http_methods(["GET", "POST"])
def edit_area(request, slug, pk):
    strategy = governed_strategy(request, slug)
    area = get_object_or_404(Area, strategy=strategy, pk=pk)
    form = AreaForm(request.POST or None, initial={"name": area.name, "version": area.version})

    def save(form):
        data = form.cleaned_data
        changed = structure.change_area(
            area, name=data["name"], version=data["version"], user=request.user
        )
        return _plan_url(strategy, "#change-the-plan"), f"Area {changed.name} is saved."

    page = _page(strategy, f"Change area {area.name}", "Save the area")
    return edit_page(
        request, form, save=save, page=page, shown=lambda a: [{"key": "Name", "value": a.name}]
    )


def _page(strategy, title, button, back=None, back_text="Back to the plan"):
    return {
        "strategy": strategy,
        "title": title,
        "button_text": button,
        "back": back or _plan_url(strategy),
        "back_text": back_text,
    }
