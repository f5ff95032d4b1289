"""The public summary of engagement: aggregates only, published by governance, nothing
internal on the page or in its data, counts against a hand-worked example, cached."""

import csv
import io
import json
import re

import pytest
from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st

from planboard.engagement.models import Activity, Perspective
from planboard.engagement.services import publish_outcome, save_activity, withdraw_outcome
from planboard.engagement.small_numbers import FEWER_THAN
from planboard.engagement.small_numbers import people_shown as people
from planboard.public.engagement_publishing import save_engagement_summary
from planboard.public.engagement_summary import shown_participation
from planboard.public.models import EngagementSummary
from tests.public.engagement_public import CLINIC, INTRODUCTION, MARKERS, MENU

URL = "/public/sue/engagement/"


def _rows(page: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]* id="{table_id}".*?</table>', page, re.S).group(0)
    return [
        [
            re.sub(r"<[^>]+>|\s+", " ", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr.*?</tr>", table, re.S)
    ]


def test_nothing_internal_reaches_the_page_its_data_or_its_spreadsheet(client, public_engagement):
    for address in (URL, "/public/sue/engagement.json", "/public/sue/engagement.csv"):
        response = client.get(address)
        assert response.status_code == 200, address
        body = response.content.decode("utf-8-sig")
        for field, marker in MARKERS.items():
            assert marker not in body, f"{field} is on {address}"
        assert MENU in body and CLINIC in body, address


def test_the_marks_the_search_looks_for_are_really_kept(public_engagement):
    """The search above would pass if the marks were never saved; this would not."""
    menu = Activity.objects.get(strategy=public_engagement, title="Ward menu group")
    kept = {
        "purpose": menu.purpose,
        "outcome": menu.outcome,
        "ref": menu.ref,
        "fed_back_how": menu.fed_back_how,
        "lead": menu.lead.name,
        "equality": menu.equality_counts.get().category,
        "participant": menu.involvements.get().participant.name,
        "contact": menu.involvements.get().participant.contact,
        "access_needs": menu.involvements.get().participant.access_needs,
        "role": menu.involvements.get().role,
        "withdrawn": Activity.objects.get(title="Carers forum").public_outcome,
        "unpublished": Activity.objects.get(title="Pharmacy survey").public_outcome,
    }
    assert kept == MARKERS


def test_the_strategy_page_links_to_the_summary_once_published(client, public_engagement):
    assert 'href="/public/sue/engagement/"' in client.get("/public/sue/").content.decode()


def test_activities_are_counted_by_directorate_and_level(client, public_engagement):
    page = client.get(URL).content.decode()
    assert _rows(page, "where") == [
        ["Directorate", "Inform", "Consult", "Involve", "Collaborate", "Co-produce", "All levels"],
        ["Acute care", "0", "1", "0", "0", "1", "2"],
        ["Community care", "0", "1", "0", "0", "0", "1"],
        ["Pharmacy", "1", "0", "0", "0", "0", "1"],
        ["Across the trust", "0", "0", "1", "0", "0", "1"],
    ]
    assert _rows(page, "levels")[1:] == [
        ["Inform", "1"],
        ["Consult", "1"],
        ["Involve", "1"],
        ["Collaborate", "0"],
        ["Co-produce", "1"],
        ["All levels", "4"],
    ]
    # 2 members of the public are "fewer than 5", and with one total hidden the
    # grand total (45) would tell it, so it is left out.
    assert _rows(page, "who")[1:] == [
        ["Service users", "32"],
        ["Carers", "11"],
        ["Experts by Experience", "0"],
        ["Peer workers", "0"],
        ["Staff with lived experience", "0"],
        ["Public", FEWER_THAN],
    ]
    assert 'nhsuk-tag--purple">Co-produce</strong>' in page


def test_what_it_changed_lists_the_published_outcomes_newest_first(client, public_engagement):
    page = client.get(URL).content.decode()
    assert page.index(CLINIC) < page.index(MENU)
    assert "Since May 2017" not in page  # the forum's outcome is withdrawn
    assert "June 2017 to August 2017" in page and "Maple ward" not in page
    data = json.loads(client.get("/public/sue/engagement.json").content)
    assert (data["format"], data["version"]) == ("planboard-engagement", 1)
    assert data["strategy"]["url"].endswith("/public/sue/engagement/")
    assert [o["title"] for o in data["what_it_changed"]] == [
        "Clinic times consultation",
        "Ward menu group",
    ]
    assert data["what_it_changed"][1]["directorates"] == ["Acute care"]
    assert data["what_it_changed"][0]["directorates"] == ["Across the trust"]
    assert data["participation"]["Public"] == FEWER_THAN
    assert data["participation_total"] is None
    assert data["activities_by_level"] == {
        "Inform": 1,
        "Consult": 1,
        "Involve": 1,
        "Collaborate": 0,
        "Co-produce": 1,
    }
    rows = list(
        csv.reader(
            io.StringIO(client.get("/public/sue/engagement.csv").content.decode("utf-8-sig"))
        )
    )
    assert rows[1][:3] == ["Clinic times consultation", "Consultation", "Involve"]


@given(st.integers(min_value=0, max_value=10_000))
def test_no_count_of_people_from_1_to_4_is_shown(count):
    shown = people(count)
    assert shown == (FEWER_THAN if 1 <= count <= 4 else str(count))


@given(st.dictionaries(st.sampled_from(Perspective.values), st.integers(0, 50)))
def test_no_number_from_1_to_4_can_be_read_or_worked_out(sums):
    rows, total = shown_participation(sums)
    shown = [value for _, value in rows]
    assert all(value == FEWER_THAN or int(value) == 0 or int(value) >= 5 for value in shown)
    if total not in ("", FEWER_THAN):
        # A total shown as a number is the sum of the numbers shown: it tells nothing more.
        assert int(total) == sum(int(value) for value in shown)


def test_the_page_is_read_in_a_fixed_number_of_queries(
    client, public_engagement, django_assert_max_num_queries
):
    cache.clear()
    with django_assert_max_num_queries(20):
        assert client.get(URL).status_code == 200


@pytest.mark.django_db
def test_publishing_withdrawing_and_changing_show_at_once(client, public_engagement, editor):
    menu = Activity.objects.get(strategy=public_engagement, title="Ward menu group")
    assert MENU in client.get(URL).content.decode()
    withdraw_outcome(menu, user=editor)
    assert MENU not in client.get(URL).content.decode()
    publish_outcome(menu, user=editor, text=MENU + " We kept it.")
    assert MENU + " We kept it." in client.get(URL).content.decode()
    menu.refresh_from_db()
    menu.title = "Ward food group"
    save_activity(menu, user=editor)
    page = client.get(URL).content.decode()
    assert "Ward food group" in page and "Ward menu group" not in page
    summary = EngagementSummary.objects.get(strategy=public_engagement)
    save_engagement_summary(
        public_engagement,
        summary=INTRODUCTION,
        published=False,
        version=summary.version,
        user=editor,
    )
    assert client.get(URL).status_code == 404
    assert 'href="/public/sue/engagement/"' not in client.get("/public/sue/").content.decode()
