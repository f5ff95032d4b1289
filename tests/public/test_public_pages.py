"""The public pages: no sign-in, only published strategies and actions, cached by content."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planboard.plans.models import Action, Theme
from planboard.progress.services import accept_update, open_period, submit_update
from planboard.public import publishing
from planboard.public.models import StrategyPublication
from tests.builders import make_large_plan
from tests.cast import reviewer


def test_the_index_lists_only_published_strategies(client, published, editor):
    hidden = make_large_plan(slug="hidden", actions=5)
    hidden.title = "A strategy nobody published"
    hidden.save()
    page = client.get("/public/").content.decode()
    assert "Service User Engagement Strategy 2016-2021" in page
    assert "/public/sue/" in page
    assert "nobody published" not in page


@pytest.mark.parametrize("suffix", ["/", ".json", ".csv", "/other-formats/"])
def test_an_unpublished_strategy_has_no_public_pages(client, published, editor, suffix):
    assert client.get(f"/public/sue{suffix}").status_code == 200
    record = StrategyPublication.objects.get(strategy=published)
    publishing.save_strategy_publication(
        published, published=False, summary=record.summary, version=record.version, user=editor
    )
    assert client.get(f"/public/sue{suffix}").status_code == 404
    assert client.get(f"/public/nothing{suffix}").status_code == 404


def test_the_page_shows_published_actions_with_words_before_colours(client, published):
    page = client.get("/public/sue/").content.decode()
    assert page.count('class="pb-public-action"') == 16
    assert "Action 1.1" in page and "Action 2.1" not in page
    # Every standing tag carries its words.
    assert '<strong class="nhsuk-tag nhsuk-tag--green">On track</strong>' in page
    assert "What this strategy is for" in page
    assert "What we promised" in page
    assert "Mar 2017" in page  # a target month
    assert 'href="/public/sue/other-formats/"' in page
    assert 'href="/public/sue.csv"' in page and 'href="/public/sue.json"' in page


def test_an_unpublished_theme_says_so_instead_of_listing_nothing(client, published):
    page = client.get("/public/sue/").content.decode()
    assert "We have not published the actions of this theme yet." in page


def test_the_json_feed_and_the_csv_hold_the_same_actions_as_the_page(client, published):
    feed = json.loads(client.get("/public/sue.json").content)
    assert feed["format"] == "planboard-public" and feed["version"] == 1
    refs = [a["ref"] for theme in feed["themes"] for a in theme["actions"]]
    assert refs == [f"1.{n}" for n in range(1, 17)]
    response = client.get("/public/sue.csv")
    assert response["Content-Disposition"] == 'attachment; filename="sue-progress.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["Ref"] for row in rows] == refs
    assert rows[0]["Summary"].startswith("We are changing how our service user engagement group")


def test_a_public_page_answers_not_modified_until_its_content_changes(client, published, editor):
    first = client.get("/public/sue/")
    assert "public" in first["Cache-Control"] and "no-cache" in first["Cache-Control"]
    etag = first["ETag"]
    assert client.get("/public/sue/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    action = Action.objects.for_strategy(published).get(theme__number=1, number=2)
    record = action.publication
    publishing.save_action_publication(
        action,
        published=True,
        summary="A new, shorter summary.",
        version=record.version,
        user=editor,
    )
    again = client.get("/public/sue/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200
    assert "A new, shorter summary." in again.content.decode()
    assert again["ETag"] != etag


def test_the_cached_page_follows_an_accepted_update(client, published, editor):
    before = client.get("/public/sue/").content.decode()
    assert "Last updated</dt>" in before and "Not updated yet" in before
    open_period(published, "2016/17 Q4", user=editor)
    action = Action.objects.for_strategy(published).get(theme__number=1, number=1)
    red = published.rag_levels.get(label="Red")
    update = submit_update(action, user=editor, narrative="Stuck.", proposed_rag=red)
    accept_update(update, user=reviewer(), expected_version=update.version)
    after = client.get("/public/sue/").content.decode()
    assert after != before
    assert "Off track" in after


@pytest.mark.parametrize("url", ["/public/", "/public/sue/", "/public/sue.json", "/public/sue.csv"])
def test_a_public_response_is_the_same_for_everyone_so_it_does_not_vary_by_cookie(
    client, published, editor, url
):
    anonymous = client.get(url)
    client.force_login(editor)
    signed_in = client.get(url)
    assert signed_in.content == anonymous.content
    for response in (anonymous, signed_in):
        assert "Cookie" not in response.get("Vary", "")


def test_a_cached_page_costs_one_query(client, published):
    client.get("/public/sue/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/public/sue/").status_code == 200
    assert len(captured.captured_queries) == 1


def _publish_all(strategy, editor):
    for action in Action.objects.for_strategy(strategy):
        publishing.save_action_publication(
            action,
            published=True,
            summary=f"Plain words about {action.ref}.",
            version=0,
            user=editor,
        )
    publishing.save_strategy_publication(
        strategy, published=True, summary="What it is for.", version=0, user=editor
    )


@pytest.mark.parametrize("url", ["/public/{}/", "/public/{}.json", "/public/{}.csv", "/public/"])
def test_a_public_page_costs_the_same_for_a_plan_ten_times_larger(client, editor, url):
    small, large = (
        make_large_plan(slug="small", actions=49),
        make_large_plan(slug="large", actions=490),
    )
    _publish_all(small, editor)
    _publish_all(large, editor)

    def queries(slug):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url.format(slug), HTTP_CACHE_CONTROL="no-cache")
        assert response.status_code == 200
        return len(captured.captured_queries)

    from django.core.cache import cache

    cache.clear()
    small_count = queries("small")
    cache.clear()
    assert queries("large") == small_count


def test_the_accessibility_statement_names_the_contact_when_set(client, published, settings):
    page = client.get("/public/accessibility/").content.decode()
    assert "WCAG" in page and "/public/sue/other-formats/" in page
    settings.PUBLIC_CONTACT = "accessibility@trust.example"
    assert "accessibility@trust.example" in client.get("/public/accessibility/").content.decode()


@pytest.mark.parametrize(
    "path", ["/public/", "/public/sue/", "/public/sue/other-formats/", "/public/accessibility/"]
)
def test_every_public_page_links_the_accessibility_statement(client, published, path):
    footer = client.get(path).content.decode().split('<footer class="nhsuk-footer"')[1]
    assert 'href="/public/accessibility/"' in footer
    assert 'href="/public/"' in footer


def test_a_change_committed_after_a_later_one_still_changes_the_page(client, published):
    """Two changes made at once: the one given the lower history id commits last. The
    page cached in between, which could not see it, is not served once it is there."""
    theme = Theme.objects.get(strategy=published, number=1)
    history = Theme.history.model
    newest = history.objects.order_by("-history_id").first().history_id

    def committed(history_id, title):
        row = theme.history.first()
        row.history_id, row.title, row.history_type = history_id, title, "~"
        row.save(force_insert=True)
        Theme.objects.filter(pk=theme.pk).update(title=title)

    committed(newest + 2, "Changed by the change that committed first")
    before = client.get("/public/sue/")
    assert "Changed by the change that committed first" in before.content.decode()
    committed(newest + 1, "Changed by the change that committed last")
    after = client.get("/public/sue/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "Changed by the change that committed last" in after.content.decode()
