"""The public "you said, we did": published items only, filters, pages, JSON, CSV, cache."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from planboard.feedback.models import (
    FeedbackItem,
    FeedbackPublication,
    Service,
    ServiceKind,
    Source,
)
from planboard.feedback.publishing import publish, withdraw
from planboard.feedback.services import link_feedback, record_item, save_feedback_service
from planboard.plans.models import Action, Commitment
from tests.builders import make_strategy
from tests.shared import shared

URL = "/public/sue/you-said-we-did/"


def _item(strategy, source, text, services, **values):
    return record_item(
        strategy, user=None, source=source, text=text, services=services, **values
    ).item


@shared
def said(published, editor):
    """The published seed strategy with feedback: two items published, one withdrawn,
    one never published; returns the records the tests look for by name."""
    strategy = published
    directorate = save_feedback_service(
        Service(strategy=strategy, name="Adult mental health", kind=ServiceKind.DIRECTORATE),
        user=None,
    )
    ward = save_feedback_service(
        Service(strategy=strategy, name="Willow ward", parent=directorate), user=None
    )
    unused = save_feedback_service(Service(strategy=strategy, name="Rowan team"), user=None)
    commitment = Commitment.objects.get(theme__strategy=strategy, theme__number=1, number=1)
    theme2_action = Action.objects.for_strategy(strategy).filter(theme__number=2).first()
    theme1_action = Action.objects.for_strategy(strategy).filter(theme__number=1).first()

    story = _item(strategy, Source.CARE_OPINION, "The ward was noisy at night.", [ward])
    link_feedback(story, user=editor, commitments=[commitment], actions=[theme2_action])
    publish(
        story,
        user=editor,
        you_said="The ward was too noisy to sleep at night.",
        we_did="We fitted quieter doors and dimmed the lights after ten.",
    )
    fft = _item(strategy, Source.FFT_COMMENT, "Nobody told me about the group.", [directorate])
    link_feedback(fft, user=editor, actions=[theme1_action])
    publish(
        fft,
        user=editor,
        you_said="=People did not hear about the carers' group.",
        we_did="We now give every carer a leaflet about the group.",
    )
    gone = _item(strategy, Source.COMPLAINT, "Parking was hard.", [ward])
    publish(gone, user=editor, you_said="WITHDRAWN-SAID-4410", we_did="WITHDRAWN-DID-4410")
    withdraw(gone, user=editor)
    _item(strategy, Source.SURVEY, "Food was cold.", [ward])
    return {"ward": ward.pk, "directorate": directorate.pk, "unused": unused.pk}


def test_the_page_lists_the_published_items_newest_first(client, said):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("We now give every carer a leaflet") < page.index("We fitted quieter doors")
    assert "The ward was too noisy to sleep at night." in page
    assert "Care Opinion" in page and "Friends and Family Test" in page
    assert "Willow ward" in page and "Adult mental health" in page
    month = timezone.localdate().strftime("%B %Y")
    assert month in page
    assert 'href="/public/sue/#commitment-1-1"' in page
    assert "2 things we changed" in page
    assert "WITHDRAWN-SAID-4410" not in page
    assert "Rowan team" not in page  # a service with nothing published is not a choice
    assert 'href="/public/sue/"' in page  # back to the strategy's page


def test_each_item_names_the_themes_of_its_commitments_and_actions(client, said):
    data = client.get("/public/sue/you-said-we-did.json").json()
    story = next(i for i in data["items"] if i["source"] == "care_opinion")
    assert [t["number"] for t in story["themes"]] == [1, 2]
    assert [c["ref"] for c in story["commitments"]] == ["1.1"]
    fft = next(i for i in data["items"] if i["source"] == "fft_comment")
    assert [t["number"] for t in fft["themes"]] == [1] and fft["commitments"] == []


def test_the_strategy_page_links_to_it_and_has_the_commitments_places(client, said):
    page = client.get("/public/sue/").content.decode()
    assert f'href="{URL}"' in page
    assert 'id="commitment-1-1"' in page


def test_the_strategy_page_does_not_link_to_it_when_nothing_is_published(client, published):
    page = client.get("/public/sue/").content.decode()
    assert "you-said-we-did" not in page
    assert "We have not published anything here yet." in client.get(URL).content.decode()


@pytest.mark.parametrize("suffix", ["/", ".json", ".csv"])
def test_a_strategy_not_published_has_no_you_said_we_did(client, said, suffix):
    make_strategy(slug="hidden")
    assert client.get(f"/public/hidden/you-said-we-did{suffix}").status_code == 404


def test_the_page_filters_by_theme_and_by_service(client, said):
    by_theme = client.get(URL, {"theme": 2}).content.decode()
    assert "We fitted quieter doors" in by_theme and "leaflet" not in by_theme
    by_service = client.get(URL, {"service": said["directorate"]}).content.decode()
    assert "leaflet" in by_service and "quieter doors" not in by_service
    both = client.get(URL, {"theme": 2, "service": said["directorate"]}).content.decode()
    assert "Nothing we have published matches what you chose." in both
    assert f'<option value="{said["directorate"]}" selected' in by_service


@pytest.mark.parametrize("query", [{"theme": 99}, {"theme": "x"}, {"service": "-1"}])
def test_a_filter_that_is_not_a_choice_is_refused_naming_it(client, said, query):
    field = next(iter(query))
    response = client.get(URL, query)
    assert response.status_code == 400
    assert f"Choose a {field} from the list" in response.content.decode()
    for suffix in (".json", ".csv"):
        refused = client.get(f"/public/sue/you-said-we-did{suffix}", query)
        assert refused.status_code == 400
        assert refused.content.decode() == f"{field}: choose a {field} from the list\n"


def test_the_json_has_every_published_item_with_its_public_fields(client, said):
    response = client.get("/public/sue/you-said-we-did.json", {"service": said["ward"]})
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["format"] == "planboard-you-said-we-did" and data["version"] == 1
    assert data["strategy"]["slug"] == "sue"
    assert data["strategy"]["url"].endswith(URL)
    assert data["filters"] == {"service": said["ward"]}
    [item] = data["items"]
    assert set(item) == {
        "published",
        "source",
        "source_text",
        "services",
        "you_said",
        "we_did",
        "commitments",
        "themes",
    }
    assert item["source_text"] == "Care Opinion" and item["services"] == ["Willow ward"]
    assert item["published"] == timezone.localdate().strftime("%Y-%m")
    assert set(item["commitments"][0]) == {"ref", "theme", "number", "text"}


def test_the_csv_is_safe_to_open_in_a_spreadsheet(client, said):
    response = client.get("/public/sue/you-said-we-did.csv")
    assert response["Content-Disposition"] == 'attachment; filename="sue-you-said-we-did.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["Source"] for row in rows] == ["Friends and Family Test", "Care Opinion"]
    assert rows[0]["You said"] == "'=People did not hear about the carers' group."
    assert rows[1]["Commitments"].startswith("1.1 ")
    assert rows[1]["Services"] == "Willow ward"


def test_withdrawing_an_item_takes_it_off_the_cached_page_json_and_csv(client, said, editor):
    urls = [URL, "/public/sue/you-said-we-did.json", "/public/sue/you-said-we-did.csv"]
    before = {url: client.get(url) for url in urls}
    for url, response in before.items():
        assert "quieter doors" in response.content.decode()
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    withdraw(FeedbackItem.objects.get(source=Source.CARE_OPINION), user=editor)
    for url, response in before.items():
        after = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert after.status_code == 200
        assert "quieter doors" not in after.content.decode()
    assert "public" in after["Cache-Control"] and "no-cache" in after["Cache-Control"]


def test_a_cached_page_costs_one_query(client, said):
    client.get(URL)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL).status_code == 200
    assert len(captured.captured_queries) == 1


def _many(strategy, count):
    """``count`` published items straight into the tables (the services are tested
    elsewhere; this is only for the size of the page)."""
    service = Service.objects.get(strategy=strategy, name="Willow ward")
    commitment = Commitment.objects.filter(theme__strategy=strategy).first()
    now = timezone.now()
    items = FeedbackItem.objects.bulk_create(
        FeedbackItem(strategy=strategy, source=Source.SURVEY, text=f"t{n}", received_at=now)
        for n in range(count)
    )
    FeedbackPublication.objects.bulk_create(
        FeedbackPublication(item=item, you_said=f"Said {n}.", we_did="Done.", approved_at=now)
        for n, item in enumerate(items)
    )
    FeedbackItem.services.through.objects.bulk_create(
        FeedbackItem.services.through(feedbackitem=item, service=service) for item in items
    )
    FeedbackItem.commitments.through.objects.bulk_create(
        FeedbackItem.commitments.through(feedbackitem=item, commitment=commitment) for item in items
    )


@pytest.mark.parametrize("url", [URL + "?page=2", URL + "?theme=1", URL[:-1] + ".json"])
def test_the_page_costs_the_same_whatever_the_number_of_items(
    client, said, published, url, django_assert_max_num_queries
):
    def queries():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    _many(published, 60)
    small = queries()
    _many(published, 600)
    with django_assert_max_num_queries(small):
        assert queries() == small


def test_the_items_are_paged_fifty_at_a_time(client, said, published):
    _many(published, 100)
    first = client.get(URL).content.decode()
    assert "102 things we changed, page 1 of 3" in first
    assert first.count('class="pb-public-feedback"') == 50
    assert 'href="?page=2"' in first
    last = client.get(URL, {"page": 3, "theme": 1}).content.decode()
    assert "page 3 of 3" in last and 'href="?theme=1&amp;page=2"' in last
    assert last.count('class="pb-public-feedback"') == 2


def test_the_json_serves_every_item_not_a_page(client, said, published):
    _many(published, 60)
    data = json.loads(client.get("/public/sue/you-said-we-did.json").content)
    assert len(data["items"]) == 62


def test_linking_a_published_item_to_another_commitment_changes_the_cached_page(
    client, said, published, editor
):
    before = client.get(URL)
    assert "#commitment-2-1" not in before.content.decode()
    fft = FeedbackItem.objects.get(source=Source.FFT_COMMENT)
    commitment = Commitment.objects.get(theme__strategy=published, theme__number=2, number=1)
    link_feedback(fft, user=editor, commitments=[commitment])
    after = client.get(URL, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert 'href="/public/sue/#commitment-2-1"' in after.content.decode()


def test_publishing_the_first_item_adds_the_link_to_the_cached_strategy_page(
    client, published, editor
):
    before = client.get("/public/sue/")
    assert "you-said-we-did" not in before.content.decode()
    item = _item(published, Source.COMPLIMENT, "The nurses were lovely.", [])
    publish(item, user=editor, you_said="People praised the nurses.", we_did="We told them.")
    after = client.get("/public/sue/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert f'href="{URL}"' in after.content.decode()
