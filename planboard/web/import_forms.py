"""Forms of the import page: the file to upload, and the field each of its columns holds."""

from django import forms

from planboard.imports.safety import MAX_FILE_BYTES
from planboard.imports.table_header import FIELDS, IGNORE, SHARED
from planboard.lib.forms import NhsukFormMixin

MAX_MB = MAX_FILE_BYTES // 1024 // 1024


class UploadForm(NhsukFormMixin, forms.Form):
    """A table of actions (CSV, Excel or Word) and, for a workbook, the sheet to read."""

    ANCHORS = {"file": "import-file", "sheet": "import-sheet"}

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
