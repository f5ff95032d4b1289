"""The governance team's form for what an activity changed, as the public reads it."""

from django import forms

from planboard.lib.forms import NhsukFormMixin, VersionField


class PublicOutcomeForm(NhsukFormMixin, forms.Form):
    """The plain-English "what it changed" of an activity; ``publish_outcome`` checks it
    (a refusal about the activity's title shows beside the text, which is published
    with it)."""

    ANCHORS = {"public_outcome": "public_outcome"}
    SERVICE_FIELDS = {"title": "public_outcome"}

    public_outcome = forms.CharField(required=False, strip=False)
    version = VersionField()

    def clean_public_outcome(self):
        text = (self.cleaned_data["public_outcome"] or "").strip()
        if not text and "check" not in self.data:
            raise forms.ValidationError("Enter what the activity changed, in plain English.")
        return text
