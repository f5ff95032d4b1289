"""Forms of the public page: asking for another format, and governance's public texts.

Messages follow the NHS.UK style ("Enter ...", "Choose ..."); the publishing services
check the rules again, so a request that skips these forms is refused the same.
"""

from django import forms

from planboard.lib.forms import NhsukFormMixin
from planboard.public.models import SUMMARY_LIMIT, InformationRequest, RequestedFormat
from planboard.web.cycle_forms import VersionField

DETAILS_LIMIT = 2000


def _text(value: str) -> str:
    return (value or "").replace("\r\n", "\n").strip()


class InformationRequestForm(NhsukFormMixin, forms.Form):
    """A member of the public asks for a strategy's progress in another format."""

    ANCHORS = {
        "format": "format",
        "language": "language",
        "name": "name",
        "contact": "contact",
        "details": "details",
    }

    format = forms.ChoiceField(
        choices=RequestedFormat.choices,
        error_messages={
            "required": "Choose the format you need",
            "invalid_choice": "Choose one of the formats listed",
        },
    )
    language = forms.CharField(required=False, max_length=100)
    name = forms.CharField(
        max_length=200,
        error_messages={
            "required": "Enter your name",
            "max_length": "Your name must be 200 characters or fewer",
        },
    )
    contact = forms.CharField(
        max_length=300,
        error_messages={
            "required": "Enter an email address, phone number or postal address",
            "max_length": "Your contact details must be 300 characters or fewer",
        },
    )
    details = forms.CharField(required=False)

    def clean_language(self):
        language = _text(self.cleaned_data.get("language"))
        if self.cleaned_data.get("format") == RequestedFormat.LANGUAGE and not language:
            raise forms.ValidationError("Enter the language you need")
        return language

    def clean_details(self):
        details = _text(self.cleaned_data.get("details"))
        if len(details) > DETAILS_LIMIT:
            raise forms.ValidationError(
                f"What you need must be {DETAILS_LIMIT} characters or fewer"
            )
        return details

    def record(self, strategy, *, when) -> InformationRequest:
        data = self.cleaned_data
        return InformationRequest.objects.create(
            strategy=strategy,
            format=data["format"],
            language=data["language"] if data["format"] == RequestedFormat.LANGUAGE else "",
            details=data["details"],
            name=_text(data["name"]),
            contact=_text(data["contact"]),
            received_at=when,
        )


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
        summary = _text(self.cleaned_data.get("summary"))
        if len(summary) > SUMMARY_LIMIT:
            raise forms.ValidationError(
                f"The public summary must be {SUMMARY_LIMIT} characters or fewer"
            )
        return summary

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("published") and not cleaned.get("summary") and "summary" in cleaned:
            self.add_error(
                "summary", f"Write a public summary of {self.what} before you publish it"
            )
        return cleaned
