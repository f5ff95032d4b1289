"""The forms of the pages that keep a plan's key of roles and people and its RAG scale.

Each form lists its fields in ``SHOWN`` (name, kind, label, hint) for the one template
that draws them all with the NHS.UK macros (``web/people_edit/form.html``); the checks
that matter are the services' own (``planboard.people.key``, ``planboard.plans.scale``),
shown on the field they name.
"""

from django import forms
from django.contrib.auth import get_user_model

from planboard.lib.forms import NhsukFormMixin, VersionField
from planboard.lib.users import display_name
from planboard.plans.models import TagColour
from planboard.plans.scale import words


class KeyForm(NhsukFormMixin, forms.Form):
    """A form drawn from ``SHOWN``; each field's errors link to the id of its name."""

    SHOWN: list[tuple[str, str, str, str]] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.ANCHORS = {name: name.replace("_", "-") for name, *_ in self.SHOWN}

    def shown(self):
        """Each field to draw: its name, kind, label, hint, id and choices."""
        for name, kind, label, hint in self.SHOWN:
            field = self.fields[name]
            yield {
                "name": name,
                "kind": kind,
                "label": label,
                "hint": hint,
                "id": name.replace("_", "-"),
                "choices": [(str(value), text) for value, text in getattr(field, "choices", [])],
            }

    def chosen(self, name) -> list[str]:
        """The choices of a list field that show ticked: as sent, else as saved."""
        if self.is_bound:
            return self.data.getlist(name)
        return [str(value) for value in self.initial.get(name) or []]


def _text(label, limit):
    return forms.CharField(
        required=False,
        max_length=limit,
        error_messages={"max_length": f"The {label} must be {limit} characters or fewer."},
    )


class RoleForm(KeyForm):
    SHOWN = [
        ("title", "input", "Name", "As the plan's key writes it, for example Engagement Manager."),
        ("abbreviation", "input", "Short name", "For example EM. Leave empty if it has none."),
        ("in_key", "checkbox", "Named in the plan's key of roles", ""),
    ]
    title = _text("name", 200)
    abbreviation = _text("short name", 60)
    in_key = forms.BooleanField(required=False)
    version = VersionField()


class MergeForm(KeyForm):
    SHOWN = [
        (
            "kept",
            "select",
            "Merge it into",
            "Every action this role leads, and everyone who holds it, moves to the role "
            "chosen here. This role is then removed; its names become the kept role's aliases.",
        )
    ]
    kept = forms.ChoiceField(error_messages={"required": "Choose the role to keep."})
    version = VersionField()

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = {str(role.pk): role for role in roles}
        self.fields["kept"].choices = [
            ("", "Choose a role"),
            *[(k, str(r)) for k, r in self.roles.items()],
        ]
        self.fields["kept"].error_messages["invalid_choice"] = (
            "Choose the role to keep from the list."
        )

    def kept_role(self):
        return self.roles[self.cleaned_data["kept"]]


def _role_choices(roles):
    return [(str(role.pk), str(role)) for role in roles]


class PersonForm(KeyForm):
    SHOWN = [
        ("name", "input", "Name", ""),
        ("account", "select", "Account", "The account this person signs in with, if any."),
        ("email", "input", "E-mail address", "Used when their account has no address of its own."),
        ("roles", "checkboxes", "Roles held", "The actions these roles lead are this person's."),
    ]
    name = _text("name", 200)
    account = forms.ChoiceField(required=False)
    email = forms.EmailField(
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter the e-mail address in the right form, like name@example.org."
        },
    )
    roles = forms.MultipleChoiceField(required=False)
    version = VersionField()

    def __init__(self, *args, roles=(), accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if accounts is None:
            accounts = get_user_model().objects.filter(is_active=True).order_by("username")
        self.accounts = {str(account.pk): account for account in accounts}
        self.fields["account"].choices = [
            ("", "No account"),
            *[(k, f"{display_name(a)} ({a.username})") for k, a in self.accounts.items()],
        ]
        self.fields["account"].error_messages["invalid_choice"] = (
            "Choose an account from the list; only accounts that are switched on are listed."
        )
        self.roles = {str(role.pk): role for role in roles}
        self.fields["roles"].choices = _role_choices(roles)
        self.fields["roles"].error_messages["invalid_choice"] = "Choose roles from the list."

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data["email"],
            "account": self.accounts.get(data["account"]),
            "roles": [self.roles[pk] for pk in data["roles"]],
        }


class SplitForm(KeyForm):
    SHOWN = [
        ("first_name", "input", "First person's name", "Keeps the account and e-mail address."),
        ("first_roles", "checkboxes", "Roles the first person holds", ""),
        ("second_name", "input", "Second person's name", ""),
        ("second_roles", "checkboxes", "Roles the second person holds", ""),
    ]
    SERVICE_FIELDS = {}
    first_name = _text("first person's name", 200)
    first_roles = forms.MultipleChoiceField(required=False)
    second_name = _text("second person's name", 200)
    second_roles = forms.MultipleChoiceField(required=False)
    version = VersionField()

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = {str(role.pk): role for role in roles}
        for name in ("first_roles", "second_roles"):
            self.fields[name].choices = _role_choices(roles)
            self.fields[name].error_messages["invalid_choice"] = "Choose roles from the list."

    def person(self, which) -> dict:
        data = self.cleaned_data
        return {
            "name": data[f"{which}_name"],
            "roles": [self.roles[pk] for pk in data[f"{which}_roles"]],
        }


class LeadsForm(KeyForm):
    SHOWN = [("leads", "checkboxes", "Roles that lead this action", "")]
    leads = forms.MultipleChoiceField(required=False)
    version = VersionField()

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.roles = {str(role.pk): role for role in roles}
        self.fields["leads"].choices = _role_choices(roles)
        self.fields["leads"].error_messages["invalid_choice"] = "Choose the leads from the list."

    def chosen_roles(self) -> list:
        return [self.roles[pk] for pk in self.cleaned_data["leads"]]


class LevelForm(KeyForm):
    SHOWN = [
        ("label", "input", "Label", "For example Green."),
        ("colour", "select", "Colour", "The colour of the level's tag."),
        ("position", "number", "Place in the scale", "1 is first."),
        ("definition", "textarea", "Meaning", "What a rating at this level says about the action."),
        ("means_complete", "checkbox", "An action at this level is complete", ""),
        (
            "aliases",
            "textarea",
            "Aliases",
            "Other words that mean this level in trackers and papers, one a line, "
            "for example Yellow for Amber.",
        ),
    ]
    label = _text("label", 40)
    colour = forms.ChoiceField(
        choices=TagColour.choices,
        error_messages={
            "required": "Choose the level's colour.",
            "invalid_choice": "Choose the level's colour from the list.",
        },
    )
    position = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=99,
        error_messages={
            "invalid": "Enter the level's place in the scale as a whole number, like 2.",
            "min_value": "Enter the level's place in the scale, from 1 to 99.",
            "max_value": "Enter the level's place in the scale, from 1 to 99.",
        },
    )
    definition = _text("meaning", 500)
    means_complete = forms.BooleanField(required=False)
    aliases = _text("list of aliases", 2000)
    version = VersionField()

    def values(self) -> dict:
        return {**self.cleaned_data, "aliases": words(self.cleaned_data["aliases"])}
