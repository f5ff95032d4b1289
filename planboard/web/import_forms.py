"""Forms of the import page: the file to upload, where its rows go, and the field each of
its columns holds."""

from django import forms

from planboard.imports.destination import (
    CHOICES,
    INTO_NEW_THEME,
    INTO_THEME,
    DestinationError,
    check_destination,
    default_choice,
)
from planboard.imports.safety import MAX_FILE_BYTES
from planboard.imports.table_header import FIELDS, IGNORE, SHARED
from planboard.lib.forms import NhsukFormMixin

MAX_MB = MAX_FILE_BYTES // 1024 // 1024


class DestinationForm(NhsukFormMixin, forms.Form):
    """Where the rows without a theme in their ref go: a theme of the strategy (chosen),
    a new theme or a new strategy (named). Checked with the import's own rules."""

    ANCHORS = {
        "into": "into",
        "theme": "into-theme",
        "theme_name": "into-theme-name",
        "strategy_name": "into-strategy-name",
    }

    # Not sent (a form made by a script): the default, as the page offers it.
    into = forms.ChoiceField(
        choices=list(CHOICES.items()),
        required=False,
        error_messages={"invalid_choice": "Choose where the rows without a theme go"},
    )
    theme = forms.CharField(required=False, max_length=20)
    theme_name = forms.CharField(required=False, max_length=1000)
    strategy_name = forms.CharField(required=False, max_length=1000)

    def __init__(self, *args, strategy, chosen: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.strategy = strategy
        self.themes = list(strategy.themes.order_by("number"))
        chosen = chosen or default_choice(strategy)
        self.initial.update(
            {
                "into": chosen.get("into"),
                "theme": str(chosen.get("theme") or ""),
                "theme_name" if chosen.get("into") == INTO_NEW_THEME else "strategy_name": (
                    chosen.get("name", "")
                ),
            }
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.destination = check_destination(self.strategy, self.choice())
        except DestinationError as error:
            self.show_service_error(error)
        return cleaned

    def choice(self) -> dict:
        data = self.cleaned_data
        into = data.get("into")
        if not into:
            return default_choice(self.strategy)
        if into == INTO_THEME:
            return {"into": into, "theme": data.get("theme")}
        name = data.get("theme_name" if into == INTO_NEW_THEME else "strategy_name")
        return {"into": into, "name": name}

    def theme_items(self) -> list[dict]:
        chosen = str(self.shown_value("theme"))
        return [
            {
                "value": str(theme.pk),
                "text": f"{theme.number}. {theme.title}",
                "selected": str(theme.pk) == chosen,
            }
            for theme in self.themes
        ]


class UploadForm(DestinationForm):
    """A table of actions (CSV, Excel or Word), for a workbook the sheet to read, and
    where its rows without a theme go."""

    ANCHORS = {"file": "import-file", "sheet": "import-sheet", **DestinationForm.ANCHORS}

    file = forms.FileField(
        error_messages={
            "required": "Choose a CSV, Excel or Word file to import",
            "empty": "The file is empty",
            "invalid": "Choose a CSV, Excel or Word file to import",
        }
    )
    sheet = forms.CharField(
        required=False,
        max_length=255,
        error_messages={"max_length": "The sheet name must be 255 characters or fewer"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB: files of up to "
                f"{MAX_MB} MB can be imported"
            )
        return upload

    def add_file_error(self, message: str) -> None:
        """A problem reading the file, one line, shown against the file field."""
        self.add_error("file", message)


class MappingForm(NhsukFormMixin, forms.Form):
    """One choice of field per column header of the uploaded table."""

    def __init__(self, *args, headers: list[str], mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.headers = headers
        self.ANCHORS = {}
        for at, header in enumerate(headers):
            name = f"column_{at}"
            self.fields[name] = forms.ChoiceField(
                choices=list(FIELDS.items()),
                label=header,
                error_messages={"invalid_choice": f'Choose a field for the column "{header}"'},
            )
            self.initial[name] = mapping.get(header, IGNORE)
            self.ANCHORS[name] = f"column-{at}"

    def rows(self) -> list[dict]:
        """For the template: each column's header, select name and id, and choices."""
        rows = []
        for at, header in enumerate(self.headers):
            name = f"column_{at}"
            chosen = self.shown_value(name)
            rows.append(
                {
                    "header": header,
                    "name": name,
                    "id": f"column-{at}",
                    "error": self.field_error(name),
                    "items": [
                        {"value": value, "text": text, "selected": value == chosen}
                        for value, text in FIELDS.items()
                    ],
                }
            )
        return rows

    def clean(self):
        cleaned = super().clean()
        seen: dict[str, str] = {}
        for at, header in enumerate(self.headers):
            name = cleaned.get(f"column_{at}")
            if not name or name in SHARED:  # several columns may hold progress
                continue
            if name in seen:
                self.add_error(
                    f"column_{at}",
                    f'"{seen[name]}" and "{header}" are both read as {FIELDS[name].lower()}: '
                    "choose one of them",
                )
            seen.setdefault(name, header)
        return cleaned

    def mapping(self) -> dict[str, str]:
        """{header: field} for every column, as ``import_table`` takes it."""
        return {header: self.cleaned_data[f"column_{at}"] for at, header in enumerate(self.headers)}
