"""Keeping a plan's key of roles and people: add and rename roles and people, link a
person to an account, say which roles they hold, merge two roles, split one "person"
into two. The governance team's pages; every save is a service of
``planboard.people.key`` (version-checked, in the history)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from planboard.lib.services import ServiceError
from planboard.lib.users import display_name
from planboard.lib.versions import EditConflict
from planboard.people import key
from planboard.people.models import Person, Role
from planboard.people.permissions import require_governance
from planboard.plans import editing
from planboard.plans.models import Action, Strategy
from planboard.web.key_forms import LeadsForm, MergeForm, PersonForm, RoleForm, SplitForm

EDIT = "change the key of roles and people"


def governed_strategy(request, slug, doing=EDIT):
    strategy = get_object_or_404(Strategy, slug=slug)
    require_governance(request.user, doing)
    return strategy


def form_page(request, form, *, save, page: dict, done, describe=None):
    """Show ``form`` (GET) or save it with ``save(form)`` (POST) and go to ``done``.

    ``page`` holds the template's words (title, caption, intro, button, back); a
    conflict shows the saved record as ``describe(current)`` rows beside the form.
    """
    status, current = 200, None
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            try:
                message = save(form)
            except EditConflict as conflict:
                current, status = conflict.current, 409
                form.data = form.data.copy()
                form.data["version"] = str(getattr(current, "version", "") or "")
            except ServiceError as error:
                form.show_service_error(error)
                status = 400
            else:
                messages.success(request, message)
                return redirect(done)
    context = {
        **page,
        "form": form,
        "conflict": status == 409,
        "current_rows": describe(current) if (describe and current is not None) else [],
    }
    return render(request, "web/people_edit/form.html", context, status=status)


def _people_url(strategy, anchor=""):
    return reverse("people", kwargs={"slug": strategy.slug}) + anchor


def _page(strategy, title, intro, button):
    return {
        "strategy": strategy,
        "title": title,
        "intro": intro,
        "button": button,
        "back": {"href": _people_url(strategy), "text": "People and roles"},
    }


def _role_rows(role):
    return [
        {"key": "Name", "value": role.title},
        {"key": "Short name", "value": role.abbreviation or "No short name"},
        {"key": "Named in the key", "value": "Yes" if role.in_key else "No"},
    ]


def _person_rows(person):
    return [
        {"key": "Name", "value": person.name},
        {
            "key": "Account",
            "value": display_name(person.user) if person.user else "No account linked",
        },
        {"key": "E-mail address", "value": person.email or "No e-mail address"},
        {"key": "Roles held", "value": ", ".join(map(str, person.roles.all())) or "No roles"},
    ]


@require_http_methods(["GET", "POST"])
def add_role(request, slug):
    strategy = governed_strategy(request, slug)
    form = RoleForm(request.POST if request.method == "POST" else None, initial={"in_key": True})

    def save(form):
        role = key.save_role(strategy, form.cleaned_data, version=None, user=request.user)
        return f"{role} is added to the key of roles."

    page = _page(strategy, "Add a role", "A role that can lead actions.", "Add the role")
    return form_page(request, form, save=save, page=page, done=_people_url(strategy))


@require_http_methods(["GET", "POST"])
def edit_role(request, slug, pk):
    strategy = governed_strategy(request, slug)
    role = get_object_or_404(Role, pk=pk, strategy=strategy)
    initial = {
        "title": role.title,
        "abbreviation": role.abbreviation,
        "in_key": role.in_key,
        "version": role.version,
    }
    form = RoleForm(request.POST if request.method == "POST" else None, initial=initial)

    def save(form):
        saved = key.save_role(
            strategy,
            form.cleaned_data,
            version=form.cleaned_data["version"] or 0,
            user=request.user,
            role=role,
        )
        return f"{saved} is saved."

    page = _page(strategy, f"Change the role {role}", "", "Save the role")
    page["links"] = [
        {
            "href": reverse("merge_role", kwargs={"slug": slug, "pk": role.pk}),
            "text": f"Merge {role.short_name} into another role",
        }
    ]
    return form_page(
        request, form, save=save, page=page, done=_people_url(strategy), describe=_role_rows
    )


@require_http_methods(["GET", "POST"])
def merge_role(request, slug, pk):
    strategy = governed_strategy(request, slug)
    role = get_object_or_404(Role, pk=pk, strategy=strategy)
    others = strategy.roles.exclude(pk=role.pk).order_by("-in_key", "title")
    data = request.POST if request.method == "POST" else None
    form = MergeForm(data, initial={"version": role.version}, roles=others)

    def save(form):
        kept = key.merge_roles(
            role, form.kept_role(), version=form.cleaned_data["version"] or 0, user=request.user
        )
        return f"{role} is merged into {kept}."

    led = role.actions.count()
    page = _page(
        strategy,
        f"Merge the role {role}",
        f"{role} leads {led} {'action' if led == 1 else 'actions'}.",
        "Merge the roles",
    )
    return form_page(
        request, form, save=save, page=page, done=_people_url(strategy), describe=_role_rows
    )


@require_http_methods(["GET", "POST"])
def add_person(request, slug):
    strategy = governed_strategy(request, slug)
    roles = list(strategy.roles.order_by("-in_key", "title"))
    form = PersonForm(request.POST if request.method == "POST" else None, roles=roles)

    def save(form):
        person = key.save_person(strategy, form.values(), version=None, user=request.user)
        return f"{person} is added to the key."

    page = _page(strategy, "Add a person", "Someone named in the plan's key.", "Add the person")
    return form_page(request, form, save=save, page=page, done=_people_url(strategy))


@require_http_methods(["GET", "POST"])
def edit_person(request, slug, pk):
    strategy = governed_strategy(request, slug)
    person = get_object_or_404(Person.objects.prefetch_related("roles"), pk=pk, strategy=strategy)
    roles = list(strategy.roles.order_by("-in_key", "title"))
    initial = {
        "name": person.name,
        "account": str(person.user_id or ""),
        "email": person.email,
        "roles": [role.pk for role in person.roles.all()],
        "version": person.version,
    }
    data = request.POST if request.method == "POST" else None
    form = PersonForm(data, initial=initial, roles=roles)

    def save(form):
        saved = key.save_person(
            strategy,
            form.values(),
            version=form.cleaned_data["version"] or 0,
            user=request.user,
            person=person,
        )
        return f"{saved} is saved."

    page = _page(strategy, f"Change {person}", "", "Save")
    page["links"] = [
        {
            "href": reverse("split_person", kwargs={"slug": slug, "pk": person.pk}),
            "text": f"Split {person} into two people",
        }
    ]
    return form_page(
        request, form, save=save, page=page, done=_people_url(strategy), describe=_person_rows
    )


@require_http_methods(["GET", "POST"])
def split_person(request, slug, pk):
    strategy = governed_strategy(request, slug)
    person = get_object_or_404(Person.objects.prefetch_related("roles"), pk=pk, strategy=strategy)
    roles = list(strategy.roles.order_by("-in_key", "title"))
    held = [role.pk for role in person.roles.all()]
    initial = {"first_roles": held, "second_roles": held, "version": person.version}
    form = SplitForm(
        request.POST if request.method == "POST" else None, initial=initial, roles=roles
    )

    def save(form):
        first, second = key.split_person(
            person,
            form.person("first"),
            form.person("second"),
            version=form.cleaned_data["version"] or 0,
            user=request.user,
        )
        return f"{person} is now two people: {first} and {second}."

    page = _page(
        strategy,
        f"Split {person} into two people",
        "For a key that names two people as one. The first keeps the account and e-mail address.",
        "Split",
    )
    return form_page(
        request, form, save=save, page=page, done=_people_url(strategy), describe=_person_rows
    )


@require_http_methods(["GET", "POST"])
def action_leads(request, slug, ref):
    strategy = governed_strategy(request, slug, "change an action's leads")
    found = Action.objects.for_strategy(strategy).select_related("theme")
    action = get_object_or_404(found.prefetch_related("leads"), theme__number=ref[0], number=ref[1])
    roles = list(strategy.roles.order_by("-in_key", "title"))
    initial = {"leads": [role.pk for role in action.leads.all()], "version": action.version}
    data = request.POST if request.method == "POST" else None
    form = LeadsForm(data, initial=initial, roles=roles)

    def save(form):
        editing.set_action_leads(
            action,
            form.chosen_roles(),
            version=form.cleaned_data["version"] or 0,
            user=request.user,
        )
        return f"The leads of action {action.ref} are saved."

    done = reverse("action", kwargs={"slug": slug, "ref": action.ref})
    page = {
        "strategy": strategy,
        "title": f"Leads of action {action.ref}",
        "intro": action.text,
        "button": "Save the leads",
        "back": {"href": done, "text": f"Action {action.ref}"},
    }
    if action.lead_text:
        page["intro"] += f" The source names its leads as: {action.lead_text}"

    def rows(current):
        leads = ", ".join(map(str, current.leads.all())) or "None named"
        return [{"key": "Leads", "value": leads}]

    return form_page(request, form, save=save, page=page, done=done, describe=rows)
