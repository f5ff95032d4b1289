"""What the NHS.UK templates ask of a form, shared by the web app's and the public page's forms.

The NHS.UK error summary links each message to its field, and each field shows its own
first error inline; the mixin gives every form those two and the value a field shows,
so the templates read any form the same way.
"""


def summary_errors(form, anchors: dict) -> list[dict]:
    """The form's errors for the NHS.UK error summary, each linked to its field, in order."""
    items = []
    for name, errors in form.errors.items():
        anchor = anchors.get(name)
        for message in errors:
            items.append({"text": message, "href": f"#{anchor}"} if anchor else {"text": message})
    return items


class NhsukFormMixin:
    """What the NHS.UK templates ask of a form: the error summary, each field's inline
    error and the value to show. ``ANCHORS`` maps field names to the ids errors link to."""

    ANCHORS: dict = {}

    def summary_errors(self) -> list[dict]:
        return summary_errors(self, self.ANCHORS)

    def field_error(self, name):
        """The first error of field ``name``, for its inline message, or None."""
        errors = self.errors.get(name) if self.is_bound else None
        return {"text": errors[0]} if errors else None

    def shown_value(self, name):
        """The value to show in a field: what was typed, else the initial value."""
        if self.is_bound:
            return self.data.get(name, "")
        value = self.initial.get(name, "")
        return "" if value is None else value
