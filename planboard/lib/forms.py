"""What the NHS.UK templates ask of a form, shared by the web app's and the public page's forms.

The NHS.UK error summary links each message to its field, and each field shows its own
first error inline; the mixin gives every form those two and the value a field shows,
so the templates read any form the same way. A form checks what a person typed with
the services' own rules (``service_check``) and shows a service's refusal on the field
it names (``show_service_error``), so a page and a command refuse in the same words.
"""

from django import forms

from planboard.lib.date_fields import NhsukDateField, date_input, first_box
from planboard.lib.services import ServiceError

TAMPERED = "This form was changed outside planboard. Open the page again and start from there."


def summary_errors(form, anchors: dict) -> list[dict]:
    """The form's errors for the NHS.UK error summary, each linked to its field, in order
    (a date's to its first box to fix)."""
    items = []
    for name, errors in form.errors.items():
        anchor = anchors.get(name)
        if anchor and isinstance(form.fields.get(name), NhsukDateField):
            anchor = first_box(form, name, anchor)
        for message in errors:
            items.append({"text": message, "href": f"#{anchor}"} if anchor else {"text": message})
    return items


class NhsukFormMixin:
    """What the NHS.UK templates ask of a form: the error summary, each field's inline
    error and the value to show. ``ANCHORS`` maps field names to the ids errors link to;
    ``SERVICE_FIELDS`` maps the names services give fields to the form's, where they
    differ."""

    ANCHORS: dict = {}
    SERVICE_FIELDS: dict = {}

    def summary_errors(self) -> list[dict]:
        return summary_errors(self, self.ANCHORS)

    def field_error(self, name):
        """The first error of field ``name``, for its inline message, or None."""
        errors = self.errors.get(name) if self.is_bound else None
        return {"text": errors[0]} if errors else None

    def show_service_error(self, error: ServiceError) -> None:
        """Show a service's refusal on the field it is about, or above the form."""
        field = self.SERVICE_FIELDS.get(error.field, error.field)
        self.add_error(field if field in self.fields else None, str(error))

    @staticmethod
    def service_check(check, *args, **kwargs):
        """Run one of a service's checks on a field; its refusal becomes the field's error."""
        try:
            return check(*args, **kwargs)
        except ServiceError as error:
            raise forms.ValidationError(str(error)) from None

    def date_input(self, name, legend, **kwargs) -> dict:
        """The ``dateInput`` macro's parameters for date field ``name`` (see
        ``planboard.lib.date_fields.date_input``); its id is the field's anchor."""
        return date_input(self, name, id=self.ANCHORS.get(name, name), legend=legend, **kwargs)

    def shown_value(self, name):
        """The value to show in a field: what was typed, else the initial value."""
        if self.is_bound:
            return self.data.get(name, "")
        value = self.initial.get(name, "")
        return "" if value is None else value


class VersionField(forms.CharField):
    """The version of the record the form was built from; empty for a new record."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        if not value.isdigit() or len(value) > 9:
            raise forms.ValidationError(TAMPERED)
        return int(value)
