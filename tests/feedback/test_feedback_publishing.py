"""Publishing "you said, we did": governance only, never the raw text, and refused while
personal data is flagged unless the flag is overruled with a reason.

The real detectors (``planboard.feedback.personal_data``, tested on their own in
test_personal_data*.py) find the personal data; these tests are about what ``publish``
does with what they find."""

import pytest
from django.core.exceptions import PermissionDenied

from planboard.feedback import publishing
from planboard.feedback.models import FeedbackPublication, Source
from planboard.feedback.publishing import known_names, publish, withdraw
from planboard.feedback.services import record_item
from planboard.lib.services import ServiceError
from planboard.lib.versions import EditConflict
from tests.bounds import database_fingerprint
from tests.builders import make_person
from tests.cast import board_member, governance
from tests.feedback.helpers import at, make_feedback_plan
from tests.shared import shared


@pytest.fixture
def names_asked(monkeypatch):
    """The names each check of personal data was given, the detectors still asked."""
    asked = []
    real = publishing.personal_data_in

    def detect(text, known_names=()):
        asked.append(tuple(known_names))
        return real(text, known_names)

    monkeypatch.setattr(publishing, "personal_data_in", detect)
    return asked


@shared
def story(db):
    strategy = make_feedback_plan()[0]
    make_person(strategy, "Nurse Ratched")
    return record_item(
        strategy,
        user=None,
        source=Source.CARE_OPINION,
        source_id="9",
        text="Nobody rang me back on 07700 900123.",
        received_at=at(2017, 1, 2),
    ).item


def test_the_governance_team_publishes_and_withdraws(story, names_asked):
    gail = governance()
    publication = publish(
        story, user=gail, you_said="Nobody rang back.", we_did="We now ring back in a day."
    )
    assert publication.is_published and publication.approved_by == gail
    assert publication.flag_overruled_reason == ""
    names = known_names(story.strategy)
    assert names == ["Gail Tester", "Nurse Ratched"] and names_asked[0] == tuple(names)
    withdraw(story, user=gail)
    publication.refresh_from_db()
    assert not publication.is_published and publication.withdrawn_at is not None
    with pytest.raises(ServiceError) as refused:
        withdraw(story, user=gail)
    assert refused.value.field == "item"


def test_flagged_personal_data_is_refused_until_overruled(story):
    gail = governance()
    before = database_fingerprint()
    for you_said, we_did, field in [
        ("Call 07700 900123 back.", "We did.", "you_said"),
        ("Nobody rang back.", "Nurse Ratched rang.", "we_did"),
    ]:
        flagged = r"personal data \((a phone number|the name of someone planboard knows)\)"
        with pytest.raises(ServiceError, match=flagged) as no:
            publish(story, user=gail, you_said=you_said, we_did=we_did)
        assert no.value.field == field
    assert database_fingerprint() == before
    publication = publish(
        story,
        user=gail,
        you_said="Nobody rang back.",
        we_did="Nurse Ratched rang.",
        overrule_reason="A made-up name in a training example.",
    )
    assert publication.flag_overruled_reason == "A made-up name in a training example."
    assert publication.flag_overruled_by == gail and publication.flag_overruled_at
    published = publish(story, user=gail, you_said="Nobody rang back.", we_did="We rang.")
    assert published.pk == publication.pk and published.flag_overruled_reason == ""


def test_the_raw_text_and_empty_summaries_are_refused(story):
    gail, bob = governance(), board_member()
    before = database_fingerprint()
    for values, field in [
        ({"you_said": " Nobody rang me back on  07700 900123. ", "we_did": "x"}, "you_said"),
        ({"you_said": "", "we_did": "x"}, "you_said"),
        ({"you_said": "x", "we_did": " "}, "we_did"),
        ({"you_said": "x" * 2001, "we_did": "x"}, "you_said"),
    ]:
        with pytest.raises(ServiceError) as refused:
            publish(story, user=gail, overrule_reason="Checked.", **values)
        assert refused.value.field == field
    with pytest.raises(PermissionDenied, match='Only the governance team may publish "you said'):
        publish(story, user=bob, you_said="Nobody rang back.", we_did="We rang.")
    assert database_fingerprint() == before
    assert not FeedbackPublication.objects.exists()


def test_the_real_detectors_flag_each_kind_in_a_summary(story):
    gail = governance()
    for you_said, words in [
        ("Her NHS number is 943 476 5919.", "an NHS number"),
        ("Write to sam@example.org.", "an e-mail address"),
        ("She lives at S10 2TN.", "a postcode"),
        ("DOB 3 March 1950, she said.", "a date of birth"),
    ]:
        with pytest.raises(ServiceError, match=f"personal data \\({words}\\)"):
            publish(story, user=gail, you_said=you_said, we_did="We listened.")
    assert not FeedbackPublication.objects.exists()


def test_a_publication_saved_over_someone_elses_is_refused(story):
    gail = governance()
    first = publish(story, user=gail, you_said="Nobody rang back.", we_did="We rang.")
    opened = first.version
    publish(story, user=gail, you_said="Nobody rang.", we_did="We rang.", version=opened)
    before = database_fingerprint()
    with pytest.raises(EditConflict) as conflict:
        publish(story, user=gail, you_said="No call.", we_did="We rang.", version=opened)
    assert conflict.value.current.you_said == "Nobody rang."
    assert database_fingerprint() == before
