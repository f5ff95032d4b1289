"""Forms of the public page: asking for another format, and governance's public texts.

Each field is checked by the service's own rule, in its words (the NHS.UK style:
"Enter ...", "Choose ..."); the services check everything again when called, so a
request that skips these forms is refused the same.
"""

from django import forms

from planboard.lib.forms import NhsukFormMixin, VersionField
from planboard.public import publishing, requests


class InformationRequestForm(NhsukFormMixin, forms.Form):
    """A member of the public asks for a strategy's progress in another format."""

    ANCHORS = {
        "format": "format",
        "language": "language",
        "name": "name",
        "contact": "contact",
        "details": "details",
    }

    format = forms.CharField(required=False)
    language = forms.CharField(required=False, strip=False)
    name = forms.CharField(required=False, strip=False)
    contact = forms.CharField(required=False, strip=False)
    details = forms.CharField(required=False, strip=False)

    def clean_format(self):
        return self.service_check(requests.clean_format, self.cleaned_data["format"])

    def clean_language(self):
        chosen = self.cleaned_data.get("format")
        return self.service_check(requests.clean_language, chosen, self.cleaned_data["language"])

    def clean_name(self):
        return self.service_check(requests.clean_name, self.cleaned_data["name"])

    def clean_contact(self):
        return self.service_check(requests.clean_contact, self.cleaned_data["contact"])

    def clean_details(self):
        return self.service_check(requests.clean_details, self.cleaned_data["details"])


class SummaryForm(NhsukFormMixin, forms.Form):
    """A public summary, and for strategies and actions whether they are published."""

    ANCHORS = {"summary": "summary", "published": "published"}

    summary = forms.CharField(required=False, strip=False)
    published = forms.BooleanField(required=False)
    version = VersionField()

    def __init__(self, *args, what: str, can_publish: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.what = what
        if not can_publish:
            del self.fields["published"]

    @classmethod
    def initial_for(cls, record) -> dict:
        return {
            "summary": record.summary,
            "published": getattr(record, "published", False),
            "version": record.version,
        }

    def clean_summary(self):
        return self.service_check(
            publishing.check_summary, self.cleaned_data.get("summary"), published=False, what=""
        )

    def clean(self):
        cleaned = super().clean()
        if "summary" in cleaned:
            try:
                publishing.check_summary(
                    cleaned["summary"], published=cleaned.get("published"), what=self.what
                )
            except publishing.PublicationError as error:
                self.show_service_error(error)
        return cleaned
