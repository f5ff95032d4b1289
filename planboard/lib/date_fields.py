"""Dates typed into NHS.UK's date input: a day, a month and a year in three boxes.

``NhsukDateField`` reads a full date from the boxes ``<name>-day``, ``<name>-month`` and
``<name>-year``; ``NhsukMonthField`` reads a month from ``<name>-month`` and
``<name>-year`` (a target given as a month, stored as the month's last day, as
``planboard.plans.targets`` stores every target). Both are tolerant of what people type,
as the NHS.UK and GOV.UK date patterns ask: spaces, leading zeros, "3rd", and a month
written as a number or a name, in full or shortened ("3", "Mar", "march", "Sept").

Their messages follow the NHS.UK date input's guidance and name the date they are
about: "Enter the date updates are due", "The meeting date must include a month",
"The new target date must be a real date". Each error says which boxes are wrong
(``parts``), so the page marks those boxes and the error summary links to the first.
``date_input`` gives the ``dateInput`` macro everything it needs for one field.
"""

import calendar
import datetime
import re

from django import forms

DAY, MONTH, YEAR = "day", "month", "year"
MONTH_NAMES = {name.casefold(): number for number, name in enumerate(calendar.month_name) if name}
_ORDINAL = re.compile(r"^([0-9]{1,2})(st|nd|rd|th)$")
_NUMBER = re.compile(r"[0-9]+")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def _number(text: str) -> int | None:
    return int(text) if _NUMBER.fullmatch(text) else None


def read_month(text: str) -> int | None:
    """The month ``text`` names: a number 1 to 12, or a name in full or from its first
    3 letters ("mar", "March", "sept"); None when it is not one. The date input's month
    box and the dates an imported tracker writes ("Sept 2017") both read months here."""
    written = text.strip().rstrip(".").casefold()
    number = _number(written)
    if number is not None:
        return number if 1 <= number <= 12 else None
    if len(written) < 3:
        return None
    found = [number for name, number in MONTH_NAMES.items() if name.startswith(written)]
    return found[0] if len(found) == 1 else None


def read_day(text: str) -> int | None:
    """The day of the month ``text`` gives (1 to 31, "03", "3rd"); None when it is not one."""
    written = text.strip().casefold()
    ordinal = _ORDINAL.match(written)
    if ordinal:
        written = ordinal.group(1)
    number = _number(written)
    return number if number is not None and 1 <= number <= 31 else None


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


class DatePartsWidget(forms.Widget):
    """Reads the boxes ``<name>-day``, ``<name>-month`` and ``<name>-year`` of a form.

    A link may give the whole date under the field's own name as year-month-day
    (``?as_of=2017-03-08``), so addresses written before the boxes keep working.
    """

    def __init__(self, parts=(DAY, MONTH, YEAR)):
        super().__init__()
        self.parts = tuple(parts)

    def value_from_datadict(self, data, files, name):
        whole = _ISO.fullmatch(str(data.get(name, "")).strip())
        if whole and self.value_omitted_from_data(data, files, name):
            typed = dict(zip((YEAR, MONTH, DAY), whole.groups(), strict=True))
            return {part: typed[part] for part in self.parts}
        return {part: str(data.get(f"{name}-{part}", "")) for part in self.parts}

    def value_omitted_from_data(self, data, files, name):
        return all(f"{name}-{part}" not in data for part in self.parts)


class NhsukDateField(forms.Field):
    """A full date typed as a day, a month and a year.

    ``subject`` is how the messages name the date, as it would follow "Enter": "the
    date updates are due". ``years`` limits the year (a range), with its own message.
    """

    parts = (DAY, MONTH, YEAR)
    example = "15 3 2027"

    def __init__(self, *, subject: str, required=True, years: range | None = None, **kwargs):
        kwargs.setdefault("widget", DatePartsWidget(self.parts))
        super().__init__(required=required, **kwargs)
        self.subject = subject
        self.years = years

    @property
    def hint(self) -> str:
        return f"For example, {self.example}"

    def _error(self, message: str, parts) -> forms.ValidationError:
        return forms.ValidationError(message, code="date", params={"parts": tuple(parts)})

    def _named(self) -> str:
        return self.subject[:1].upper() + self.subject[1:]

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value
        typed = {part: " ".join(str((value or {}).get(part, "")).split()) for part in self.parts}
        missing = [part for part in self.parts if not typed[part]]
        if len(missing) == len(self.parts):
            if self.required:
                raise self._error(f"Enter {self.subject}", self.parts)
            return None
        if missing:
            raise self._error(f"{self._named()} must include a {_joined(missing)}", missing)
        numbers = {}
        wrong = []
        for part in self.parts:
            reader = {DAY: read_day, MONTH: read_month, YEAR: _read_year}[part]
            numbers[part] = reader(typed[part])
            if numbers[part] is None:
                wrong.append(part)
        if wrong == [YEAR] and _number(typed[YEAR]) is not None and len(typed[YEAR]) != 4:
            raise self._error(f"{self._named()} must include a year with 4 numbers", [YEAR])
        if wrong:
            raise self._error(f"{self._named()} must be a real date", wrong)
        if self.years is not None and numbers[YEAR] not in self.years:
            first, last = self.years[0], self.years[-1]
            raise self._error(f"{self._named()} must be in a year from {first} to {last}", [YEAR])
        return self.date_from(numbers)

    def date_from(self, numbers: dict) -> datetime.date:
        try:
            return datetime.date(numbers[YEAR], numbers[MONTH], numbers[DAY])
        except ValueError:
            raise self._error(f"{self._named()} must be a real date", [DAY]) from None

    def parts_of(self, value) -> dict:
        """The boxes' values for ``value`` (a date, or the boxes as typed)."""
        if isinstance(value, datetime.date):
            return {DAY: str(value.day), MONTH: str(value.month), YEAR: str(value.year)}
        if isinstance(value, dict):
            return {part: value.get(part, "") for part in self.parts}
        return {part: "" for part in self.parts}


class NhsukMonthField(NhsukDateField):
    """A month typed as a month and a year; its value is the month's last day."""

    parts = (MONTH, YEAR)
    example = "3 2027"

    def date_from(self, numbers: dict) -> datetime.date:
        year, month = numbers[YEAR], numbers[MONTH]
        return datetime.date(year, month, calendar.monthrange(year, month)[1])


class NhsukTargetField(NhsukDateField):
    """A target: a day, a month and a year, the day left empty for a target that is a
    month (its value then the month's last day; ``precision`` says which)."""

    example = "15 3 2027, or 3 2027 for a month"

    def to_python(self, value):
        if isinstance(value, dict) and not str(value.get(DAY, "")).strip():
            month_only = NhsukMonthField(subject=self.subject, required=False, years=self.years)
            return month_only.to_python(value)
        return super().to_python(value)

    @staticmethod
    def precision(value) -> str:
        """ "day" when the day was typed, else "month" (``value``: the boxes as typed)."""
        return "day" if isinstance(value, dict) and str(value.get(DAY, "")).strip() else "month"


def _read_year(text: str) -> int | None:
    written = text.strip()
    number = _number(written) if len(written) == 4 else None
    return number if number is not None and number >= 1000 else None


def wrong_parts(form, name) -> tuple:
    """The boxes of date field ``name`` to mark as wrong: those its first error names."""
    if not form.is_bound or name not in form.errors:
        return ()
    error = form.errors[name].as_data()[0]
    parts = (error.params or {}).get("parts") if error.params else None
    return tuple(parts) if parts else form.fields[name].parts


def date_input(form, name, *, id, legend, hint=None, hint_after="", legend_classes=None) -> dict:
    """The ``dateInput`` macro's parameters for date field ``name`` of ``form``: its
    legend, hint, first error, and each box with what to show in it, the wrong ones
    marked. The boxes' ids are ``<id>-day``, ``<id>-month`` and ``<id>-year``.
    ``hint`` replaces the field's example; ``hint_after`` follows it."""
    field = form.fields[name]
    if form.is_bound:
        shown = field.widget.value_from_datadict(form.data, form.files, name)
    else:
        shown = field.parts_of(form.initial.get(name, field.initial))
    wrong = wrong_parts(form, name)
    errors = form.errors.get(name) if form.is_bound else None
    legend_params = {"text": legend}
    if legend_classes:
        legend_params["classes"] = legend_classes
    return {
        "id": id,
        "fieldset": {"legend": legend_params},
        "hint": {"text": " ".join(filter(None, [hint or field.hint, hint_after]))},
        "errorMessage": {"text": errors[0]} if errors else None,
        "items": [
            {
                "id": f"{id}-{part}",
                "name": f"{name}-{part}",
                "label": part.capitalize(),
                "width": 4 if part == YEAR else 2,
                "value": shown[part],
                "classes": "nhsuk-input--error" if part in wrong else "",
            }
            for part in field.parts
        ],
    }


def first_box(form, name, anchor: str) -> str:
    """The id of the first box of date field ``name`` to fix, for the error summary."""
    parts = wrong_parts(form, name) or form.fields[name].parts
    return f"{anchor}-{parts[0]}"
