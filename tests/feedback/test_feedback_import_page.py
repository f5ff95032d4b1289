"""The governance team's page to import feedback from a file."""

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from planboard.feedback.models import FeedbackItem, FriendsAndFamilyCount, Source
from tests.bounds import database_fingerprint
from tests.cast import governance, lead
from tests.feedback.helpers import make_feedback_plan
from tests.shared import shared

FFT = b"Org code,Month,Very Good,Good,Poor\nRXG10,Aug-25,5,6,*\n"


@shared
def plan(db):
    strategy, adults, ward, team, action = make_feedback_plan()
    governance()
    lead(strategy, [], "lena")
    return strategy


def _client(username=None):
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def _url(strategy):
    return reverse("feedback_import", kwargs={"slug": strategy.slug})


def _gov():
    return _client("gail")


def test_only_the_governance_team_may_import(plan):
    assert _client().get(_url(plan)).status_code in (302, 403)
    lena = _client("lena")
    assert lena.get(_url(plan)).status_code == 403
    before = database_fingerprint()
    upload = SimpleUploadedFile("fft.csv", FFT)
    assert lena.post(_url(plan), {"kind": "fft", "file": upload}).status_code == 403
    assert database_fingerprint() == before
    listed = _gov().get(reverse("feedback", kwargs={"slug": plan.slug}))
    assert f'href="{_url(plan)}"' in listed.text


def test_a_check_then_an_import_of_fft_counts(plan):
    gov = _gov()
    page = gov.get(_url(plan))
    assert page.status_code == 200 and "What the file holds" in page.text
    before = database_fingerprint()
    checked = gov.post(
        _url(plan), {"kind": "fft", "file": SimpleUploadedFile("fft.csv", FFT), "dry_run": "on"}
    )
    assert checked.status_code == 200
    assert "Friends and Family Test counts: 1 would be created, 0 updated, 0 unchanged." in (
        checked.text
    )
    assert database_fingerprint() == before
    done = gov.post(_url(plan), {"kind": "fft", "file": SimpleUploadedFile("fft.csv", FFT)})
    assert done.status_code == 302
    assert done.headers["Location"] == reverse("feedback", kwargs={"slug": plan.slug})
    count = FriendsAndFamilyCount.objects.get(strategy=plan)
    assert (count.very_good, count.good, count.poor, count.service.name) == (
        5,
        6,
        None,
        "Willow ward",
    )
    followed = gov.get(done.headers["Location"])
    assert "1 were created" in followed.text


def test_items_from_the_source_chosen_and_a_bad_file_lists_every_row(plan):
    gov = _gov()
    good = SimpleUploadedFile("c.csv", b"ID,Comment\nA,Kind staff.\n")
    assert (
        gov.post(_url(plan), {"kind": "items", "source": "complaint", "file": good}).status_code
        == 302
    )
    assert FeedbackItem.objects.get(strategy=plan, source_id="A").source == Source.COMPLAINT
    before = database_fingerprint()
    bad = SimpleUploadedFile(
        "bad.csv", b"ID,Date,Comment\nB,soon,Cold.\nC,,Warm.\nD,31/13/2025,Hm\n"
    )
    refused = gov.post(_url(plan), {"kind": "items", "file": bad})
    assert refused.status_code == 400
    assert "The file was not imported" in refused.text
    assert "bad.csv, row 2, column Date:" in refused.text
    assert "bad.csv, row 4, column Date:" in refused.text
    assert database_fingerprint() == before
    nothing = gov.post(_url(plan), {})
    assert nothing.status_code == 400
    assert (
        "Choose what the file holds." in nothing.text
        and "Choose the file to import." in nothing.text
    )
