"""The engagement map's page: the hand-worked example's counts, the gaps in words, the
filters and the switch between views, all without scripts, in a fixed number of
queries whatever the number of activities."""

import datetime
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from planboard.engagement import mapping
from planboard.engagement.models import Kind, Level
from planboard.engagement.services import set_participation
from planboard.web.engagement_map_views import cell_link
from tests.engagement.helpers import add_activity, make_engagement_plan
from tests.shared import shared

D = datetime.date
GAP = "No engagement"


@shared
def plan(db, django_user_model):
    """The example of test_mapping.py: five activities over two directorates, a service
    with no directorate and the trust as a whole."""
    strategy, places, commitments, actions = make_engagement_plan()
    c1, c2, c3 = commitments
    sunrise = add_activity(
        strategy,
        "SUNRISE group",
        kind=Kind.STANDING_GROUP,
        level=Level.INVOLVE,
        starts_on=D(2016, 4, 5),
        ongoing=True,
        services=[places["maple"], places["home"]],
        commitments=[c1],
    )
    set_participation(sunrise, {"service_user": 6, "carer": 2}, user=None)
    day = add_activity(
        strategy,
        "Co-design day",
        kind=Kind.COPRODUCTION,
        level=Level.COPRODUCE,
        starts_on=D(2017, 1, 10),
        ends_on=D(2017, 1, 10),
        services=[places["maple"]],
        actions=[actions[0]],
    )
    set_participation(day, {"service_user": 4}, user=None)
    add_activity(
        strategy,
        "Ward survey",
        kind=Kind.SURVEY,
        level=Level.INFORM,
        starts_on=D(2017, 2, 1),
        ends_on=D(2017, 5, 15),
        services=[places["acute"], places["maple"]],
        commitments=[c1, c2],
    )
    add_activity(
        strategy, "Annual meeting", level=Level.INFORM, starts_on=D(2016, 9, 1), commitments=[c3]
    )
    add_activity(
        strategy,
        "Pharmacy panel",
        kind=Kind.RECRUITMENT,
        starts_on=D(2016, 11, 1),
        services=[places["pharmacy"]],
        actions=[actions[1]],
    )
    django_user_model.objects.create_user("reader", password="x")
    return strategy, places, commitments


def _client():
    client = Client()
    client.force_login(get_user_model().objects.get(username="reader"))
    return client


def _get(strategy, query="", client=None):
    client = client or _client()
    url = reverse("engagement_map", kwargs={"slug": strategy.slug})
    return client.get(url + query)


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _grid(response) -> dict:
    """The map's table as {row heading: [cell texts]}, its column headings under ""."""
    page = lxml.html.fromstring(response.content.decode())
    (table,) = page.xpath(".//table[contains(@class, 'pb-map-table')]")
    grid = {"": [_text(th) for th in table.xpath(".//thead//th")][1:]}
    for row in table.xpath(".//tbody/tr"):
        (heading,) = row.xpath("./th[@scope='row']")
        grid[_text(heading)] = [_text(td) for td in row.xpath("./td")]
    return grid


def _summary(response) -> str:
    page = lxml.html.fromstring(response.content.decode())
    return " ".join(
        _text(item)
        for item in page.xpath(".//main//ul[contains(@class, 'nhsuk-list')]/li | .//dl/div")
    )


def test_the_map_by_commitment_counts_the_hand_worked_example(plan):
    strategy, places, (c1, c2, c3) = plan
    response = _get(strategy)
    assert response.status_code == 200
    grid = _grid(response)
    assert grid[""] == ["Commitment 1.1", "Commitment 1.2", "Commitment 1.3", "Total"]
    assert grid["Acute"] == [
        "2 activities in Acute, commitment 1.1 highest level Involve",
        "2 activities in Acute, commitment 1.2 highest level Co-produce",
        GAP,
        "3 activities highest level Co-produce",
    ]
    assert grid["Community"] == [
        "1 activity in Community, commitment 1.1 highest level Involve",
        GAP,
        GAP,
        "1 activity highest level Involve",
    ]
    assert grid["Pharmacy"] == [GAP, GAP, GAP, "1 activity highest level Consult"]
    assert grid[mapping.ACROSS_THE_TRUST] == [
        GAP,
        GAP,
        f"1 activity in {mapping.ACROSS_THE_TRUST}, commitment 1.3 highest level Inform",
        "1 activity highest level Inform",
    ]
    assert grid["Total"] == [
        "2 activities highest level Involve",
        "2 activities highest level Co-produce",
        "1 activity highest level Inform",
        "5 activities highest level Co-produce",
    ]
    summary = _summary(response)
    assert "5 activities counted." in summary
    assert "Every directorate has some engagement." in summary
    assert "8 cells of the map are gaps (no engagement)." in summary
    for level, count in [
        ("Inform", "2 activities"),
        ("Consult", "1 activity"),
        ("Involve", "1 activity"),
        ("Collaborate", "0 activities"),
        ("Co-produce", "1 activity"),
    ]:
        assert f"{level} {count}" in summary
    # The commitments' texts are on the page, in a key table.
    page = response.content.decode()
    key = lxml.html.fromstring(page).xpath(".//table[contains(@class, 'pb-map-key')]")[0]
    assert [c.text for c in (c1, c2, c3)] == [_text(td) for td in key.xpath(".//tbody//td")]
    assert "<script" not in page.split("<main", 1)[1].split("</main>", 1)[0]


def test_a_cell_links_to_the_register_filtered_to_it(plan):
    strategy, places, (c1, c2, c3) = plan
    page = lxml.html.fromstring(_get(strategy, "?level=inform&level=involve").content.decode())
    links = [a.get("href") for a in page.xpath(".//table[contains(@class, 'pb-map-table')]//a")]
    base = reverse("engagement_map", kwargs={"slug": strategy.slug}) + "activities/"
    assert all(link.startswith(base + "?") for link in links)
    queries = [parse_qs(urlsplit(link).query) for link in links]
    acute = str(places["acute"].pk)
    assert {
        "directorate": [acute],
        "commitment": [str(c1.pk)],
        "level": ["inform", "involve"],
    } in queries
    assert {
        "directorate": ["trust"],
        "commitment": [str(c3.pk)],
        "level": ["inform", "involve"],
    } in queries
    # Gaps are not links: the survey is the only activity at these levels for 1.2.
    assert len(links) == 4


def test_cell_link_carries_the_filters_and_a_cells_quarter_replaces_the_filters(plan):
    strategy, places, (c1, *_) = plan
    filters = {"level": ["consult"], "kind": ["survey", "event"], "perspective": ["carer"]}
    link = cell_link(
        strategy, places["acute"].pk, c1.pk, "commitment", filters | {"quarter": ["2016/17 Q3"]}
    )
    assert link.startswith(f"/strategies/{strategy.slug}/engagement/activities/?")
    assert parse_qs(urlsplit(link).query) == {
        "level": ["consult"],
        "kind": ["survey", "event"],
        "perspective": ["carer"],
        "quarter": ["2016/17 Q3"],
        "directorate": [str(places["acute"].pk)],
        "commitment": [str(c1.pk)],
    }
    by_quarter = cell_link(
        strategy, None, "2016/17 Q4", "quarter", filters | {"quarter": ["2016/17 Q3"]}
    )
    assert parse_qs(urlsplit(by_quarter).query) == {
        "level": ["consult"],
        "kind": ["survey", "event"],
        "perspective": ["carer"],
        "directorate": ["trust"],
        "quarter": ["2016/17 Q4"],
    }


def test_the_filters_narrow_the_map_and_name_the_directorates_left_with_nothing(plan):
    strategy, places, _ = plan
    response = _get(strategy, "?level=coproduce")
    grid = _grid(response)
    assert list(grid) == ["", "Acute", "Community", "Pharmacy", "Total"]
    assert grid["Community"] == [GAP, GAP, GAP, GAP]
    summary = _summary(response)
    assert "1 activity counted with these filters." in summary
    assert "No engagement at all in 2 directorates: Community, Pharmacy." in summary
    assert "Co-produce 1 activity" in summary and "Inform 0 activities" in summary
    page = lxml.html.fromstring(response.content.decode())
    (ticked,) = page.xpath(".//input[@name='level'][@checked]")
    assert ticked.get("value") == "coproduce"
    # A carer took part only in SUNRISE.
    carers = _grid(_get(strategy, "?perspective=carer"))
    assert carers["Acute"][0].startswith("1 activity") and carers["Acute"][1] == GAP


def test_a_wrong_filter_is_named_and_the_map_shows_everything(plan):
    strategy, *_ = plan
    response = _get(strategy, "?level=tokenism")
    assert response.status_code == 400
    page = lxml.html.fromstring(response.content.decode())
    assert "Choose one of the choices given." in _text(
        page.xpath(".//*[contains(@class, 'nhsuk-error-summary')]")[0]
    )
    assert page.xpath(".//*[@id='filter-level']")  # the summary's link leads to the field
    assert _grid(response)["Total"][-1].startswith("5 activities")


def test_the_map_by_quarter_and_the_links_between_views_keep_the_filters(plan, settings):
    settings.DEMO_TODAY = D(2017, 6, 20)
    strategy, places, _ = plan
    response = _get(strategy, "?view=quarter&kind=survey&kind=standing_group")
    page = lxml.html.fromstring(response.content.decode())
    assert "Shown by quarter." in _text(page)
    (back,) = [a for a in page.xpath(".//main//a") if _text(a) == "Show the map by commitment"]
    assert parse_qs(urlsplit(back.get("href")).query) == {"kind": ["survey", "standing_group"]}
    assert page.xpath(".//input[@type='hidden'][@name='view'][@value='quarter']")
    grid = _grid(response)
    assert grid[""][-3:] == ["2016/17 Q4", "2017/18 Q1", "Total"]
    assert grid["Acute"][-2].startswith("2 activities in Acute, 2017/18 Q1")
    links = [a.get("href") for a in page.xpath(".//table[contains(@class, 'pb-map-table')]//a")]
    assert any(parse_qs(urlsplit(link).query).get("quarter") == ["2016/17 Q4"] for link in links)
    commitments = lxml.html.fromstring(_get(strategy, "?kind=survey").content.decode())
    (to_quarters,) = [
        a for a in commitments.xpath(".//main//a") if _text(a) == "Show the map by quarter"
    ]
    assert parse_qs(urlsplit(to_quarters.get("href")).query) == {
        "view": ["quarter"],
        "kind": ["survey"],
    }


@pytest.mark.parametrize("extra", [0, 40])
def test_the_page_reads_a_fixed_number_of_queries(plan, extra, django_assert_num_queries):
    strategy, places, commitments = plan
    for n in range(extra):
        add_activity(
            strategy,
            f"Extra {n}",
            services=[places["home"], places["pharmacy"]],
            commitments=commitments[:2],
            actions=[],
        )
    for query in ("", "?view=quarter&level=inform"):
        client = _client()
        with django_assert_num_queries(QUERIES[query]):
            assert _get(strategy, query, client).status_code == 200


QUERIES = {"": 15, "?view=quarter&level=inform": 11}
