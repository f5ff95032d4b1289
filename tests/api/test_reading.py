"""Reading the plan through the API: the seed's data, the filters, pages, errors, and
what each list costs in queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from planboard.api.tokens import create_token
from planboard.lib import clock
from planboard.people.permissions import COMMAND_LINE
from planboard.plans.models import Action, ActionStatus
from planboard.web.filters import RAG_NOT_IN_KEY, RAG_NOT_RATED, PlanFilter, filter_actions
from tests.builders import make_large_plan
from tests.shared import shared

pytestmark = pytest.mark.django_db

API = "/api/v1/strategies/sue/"
PROBLEM = "application/problem+json"
READS = [
    "strategies/",
    "strategies/sue/",
    "strategies/sue/themes/",
    "strategies/sue/commitments/",
    "strategies/sue/actions/",
    "strategies/sue/actions/1.1/",
    "strategies/sue/periods/",
    "strategies/sue/periods/2016-17-q3/",
    "strategies/sue/periods/2016-17-q3/findings/",
    "strategies/sue/periods/2016-17-q3/papers/",
]


def refs(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [action["ref"] for action in response.json()["results"]]


def in_plan(strategy):
    return Action.objects.for_strategy(strategy).in_plan().in_plan_order()


def test_the_seeds_strategy_reads_with_its_links(reader):
    listed = reader.get("/api/v1/strategies/").json()
    strategy = reader.get(API).json()

    assert listed["count"] == 1 and listed["results"] == [strategy]
    assert strategy["slug"] == "sue"
    assert strategy["title"] == "Service User Engagement Strategy 2016-2021"
    assert strategy["url"] == "http://testserver/api/v1/strategies/sue/"
    assert strategy["web_url"] == "http://testserver/strategies/sue/"
    assert reader.get(strategy["actions_url"]).json()["count"] == 49


def test_an_action_reads_as_the_plan_and_its_page_show_it(api_world, reader):
    strategy = api_world.strategy
    action = (
        Action.objects.for_strategy(strategy)
        .select_related("theme", "area", "rag_level")
        .get(theme__number=1, number=1)
    )

    listed = reader.get(API + "actions/?page_size=1").json()["results"][0]
    read = reader.get(API + "actions/1.1/").json()

    assert listed == read
    assert read["ref"] == "1.1" and read["text"] == action.text
    assert read["theme"] == {"number": 1, "title": "Focussed Culture Change"}
    assert read["commitments"] == [c.ref for c in action.commitments.all()]
    assert read["area"] == {"id": action.area_id, "name": "SUSEG"}
    assert [lead["short_name"] for lead in read["leads"]] == ["SUSEG Chairs"]
    assert read["lead_text"] == "Chairs of SUSEG"
    assert read["target"] == {
        "date": "2017-03-31",
        "precision": "month",
        "text": "Mar 17",
        "display": "Mar 2017",
    }
    assert read["rag"]["label"] == "Green" and read["rag"]["key"] == str(action.rag_level_id)
    assert (read["status"], read["status_label"]) == ("in_progress", "In progress")
    assert read["overdue"] is action.is_overdue(clock.today())
    assert read["url"].endswith("/api/v1/strategies/sue/actions/1.1/")
    assert read["web_url"].endswith("/strategies/sue/actions/1.1/")


def test_an_action_shows_its_latest_accepted_progress_only(api_world, reader):
    accepted = reader.get(f"{API}actions/{api_world.accepted}/").json()
    waiting = reader.get(f"{API}actions/{api_world.waiting}/").json()

    assert accepted["progress"] == "The SUSEG meetings now follow the new structure."
    assert "Mapping has begun" not in waiting["progress"]


def test_a_rating_outside_the_key_reads_as_written(reader):
    yellow = reader.get(API + "actions/1.3/").json()["rag"]

    assert yellow == {
        "key": "not-in-key",
        "label": "Yellow",
        "colour": "yellow",
        "in_key": False,
        "written": "Yellow",
    }


@pytest.mark.parametrize(
    "query, criteria",
    [
        ("theme=2", {"theme": 2}),
        ("status=complete", {"status": ActionStatus.COMPLETE}),
        ("status=in_progress", {"status": ActionStatus.IN_PROGRESS}),
        ("rag=not-in-key", {"rag": RAG_NOT_IN_KEY}),
        ("rag=not-rated", {"rag": RAG_NOT_RATED}),
        ("overdue=true", {"overdue": True}),
        ("overdue=true&theme=3", {"overdue": True, "theme": 3}),
    ],
)
def test_each_filter_keeps_the_actions_the_plan_page_keeps(api_world, reader, query, criteria):
    strategy = api_world.strategy
    on_the_page = filter_actions(in_plan(strategy), PlanFilter(**criteria), clock.today())

    found = refs(reader.get(f"{API}actions/?{query}&page_size=500"))

    assert found == [action.ref for action in on_the_page]
    assert found, "the seed has actions of every kind filtered here"


def test_the_area_lead_and_level_filters_take_the_ids_the_actions_carry(api_world, reader):
    strategy = api_world.strategy
    em = strategy.roles.get(abbreviation="EM")
    green = strategy.rag_levels.get(label="Green")
    area = strategy.areas.get(name="SUSEG")

    def page_shows(**criteria):
        found = filter_actions(in_plan(strategy), PlanFilter(**criteria), clock.today())
        return [action.ref for action in found]

    by_lead = refs(reader.get(f"{API}actions/?lead={em.pk}&page_size=500"))
    by_level = refs(reader.get(f"{API}actions/?rag={green.pk}&page_size=500"))
    by_area = refs(reader.get(f"{API}actions/?area={area.pk}&page_size=500"))

    assert by_lead == page_shows(lead=em.pk) and api_world.waiting in by_lead
    assert by_level == page_shows(rag=str(green.pk)) and "1.1" in by_level
    assert by_area == page_shows(area=area.pk) and "1.1" in by_area


def test_overdue_false_keeps_the_others(api_world, reader):
    overdue = set(refs(reader.get(f"{API}actions/?overdue=true&page_size=500")))
    others = set(refs(reader.get(f"{API}actions/?overdue=false&page_size=500")))

    assert overdue and others and not overdue & others
    assert overdue | others == {action.ref for action in in_plan(api_world.strategy)}


@pytest.mark.parametrize(
    "query, field",
    [
        ("status=done", "status"),
        ("theme=one", "theme"),
        ("rag=amber", "rag"),
        ("overdue=maybe", "overdue"),
        ("lead=0", "lead"),
    ],
)
def test_a_filter_that_is_not_valid_gets_a_problem_naming_it(reader, query, field):
    response = reader.get(f"{API}actions/?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["errors"][0]["field"] == field
    assert problem["detail"].startswith(f"{field}: ")


def test_the_actions_come_in_pages(reader):
    first = reader.get(API + "actions/?page_size=20").json()
    last = reader.get(first["next"].replace("page=2", "page=3")).json()
    beyond = reader.get(API + "actions/?page_size=20&page=4")

    assert first["count"] == 49 and len(first["results"]) == 20
    assert first["previous"] is None and "page=2" in first["next"]
    assert len(last["results"]) == 9 and last["next"] is None
    assert [a["ref"] for a in first["results"]][:2] == ["1.1", "1.2"]
    assert beyond.status_code == 404 and beyond["Content-Type"] == PROBLEM


def test_themes_and_commitments(reader):
    themes = reader.get(API + "themes/").json()
    commitments = reader.get(API + "commitments/?page_size=500").json()

    assert themes["count"] == 6
    assert themes["results"][0]["title"] == "Focussed Culture Change"
    assert themes["results"][1]["actions_url"].endswith("/actions/?theme=2")
    assert commitments["count"] == 40
    first = commitments["results"][0]
    assert first["ref"] == "1.1" and first["theme"] == 1 and "1.1" in first["served_by"]
    uncovered = next(c for c in commitments["results"] if c["ref"] == "1.11")
    assert uncovered["served_by"] == []
    listed = [c["ref"] for t in themes["results"] for c in t["commitments"]]
    assert listed == [c["ref"] for c in commitments["results"]]


def test_periods_the_latest_first(reader):
    periods = reader.get(API + "periods/").json()["results"]
    q3 = reader.get(API + "periods/2016-17-q3/").json()

    assert [(p["label"], p["status"]) for p in periods] == [
        ("2016/17 Q4", "open"),
        ("2016/17 Q3", "closed"),
    ]
    assert q3 == periods[1]
    assert (q3["starts_on"], q3["ends_on"]) == ("2016-10-01", "2016-12-31")
    assert q3["findings_url"].endswith("/periods/2016-17-q3/findings/")


def test_a_closed_periods_findings_are_those_recorded_and_an_open_ones_are_checked(reader):
    closed = reader.get(API + "periods/2016-17-q3/findings/").json()
    open_ = reader.get(API + "periods/2016-17-q4/findings/").json()

    assert closed["recorded"] is True and closed["as_of"] == "2016-12-31"
    assert open_["recorded"] is False and open_["as_of"] == "2017-03-31"
    not_updated = [f["ref"] for f in open_["findings"] if f["code"] == "NOT_UPDATED"]
    assert "1.1" in not_updated and "1.2" not in not_updated
    first = closed["findings"][0]
    assert first == {
        "code": "COMMITMENT_UNCOVERED",
        "title": "Commitment served by no action",
        "kind": "data",
        "ref": "1.11",
        "message": "Commitment 1.11 is served by no action.",
    }


def test_a_periods_paper_files_list_and_download_with_the_token(api_world, reader):
    from planboard.papers.models import GeneratedPaper

    paper = GeneratedPaper.objects.get(pk=api_world.paper)

    files = reader.get(API + "periods/2016-17-q4/papers/").json()["results"]
    download = reader.get(files[0]["download_url"])

    assert [(f["id"], f["format"], f["status"]) for f in files] == [(paper.pk, "html", "done")]
    assert files[0]["filename"] == paper.filename and files[0]["size"] == paper.size
    assert files[0]["web_download_url"].endswith(f"/strategies/sue/files/{paper.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="{paper.filename}"'
    assert download.content == bytes(paper.content)
    assert reader.get(API + "periods/2016-17-q3/papers/").json()["count"] == 0
    elsewhere = reader.get(API + f"periods/2016-17-q3/papers/{paper.pk}/file")
    assert elsewhere.status_code == 404


def test_a_file_not_yet_made_has_no_download(api_world, reader):
    from planboard.papers.models import GeneratedPaper, GenerationStatus

    GeneratedPaper.objects.filter(pk=api_world.paper).update(status=GenerationStatus.RUNNING)

    listed = reader.get(API + "periods/2016-17-q4/papers/").json()["results"][0]
    download = reader.get(API + f"periods/2016-17-q4/papers/{api_world.paper}/file")

    assert listed["status"] == "running" and listed["download_url"] is None
    assert download.status_code == 404 and download.json()["detail"] == "This file is not ready."


@pytest.mark.parametrize("address", READS)
def test_every_read_needs_a_token(api_world, address):
    response = Client().get("/api/v1/" + address)

    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_session_does_not_open_the_api(api_world, cast):
    client = Client()
    client.force_login(cast.oscar)

    assert client.get(API + "actions/").status_code == 401


@pytest.mark.parametrize(
    "address",
    [
        "strategies/nope/",
        "strategies/nope/actions/",
        "strategies/sue/actions/9.99/",
        "strategies/sue/periods/2030-31-q1/",
        "strategies/sue/periods/2030-31-q1/findings/",
        "strategies/sue/periods/2030-31-q1/papers/",
        "strategies/sue/periods/2016-17-q3/papers/999999/file",
    ],
)
def test_what_is_not_there_is_a_404_problem(reader, address):
    response = reader.get("/api/v1/" + address)

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 404


# --- what a list costs -----------------------------------------------------------


@shared
def two_plans(cast):
    small = make_large_plan(slug="small", actions=49)
    large = make_large_plan(slug="large", actions=490)
    _, secret = create_token(COMMAND_LINE, owner=cast.oscar, name="BI", scope="read")
    return small, large, secret


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "list_",
    ["actions/?page_size=500", "themes/", "commitments/?page_size=500", "periods/"],
)
def test_a_list_costs_the_same_for_a_plan_ten_times_larger(two_plans, list_):
    small, large, secret = two_plans
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    small_count = queries(client, f"/api/v1/strategies/{small.slug}/{list_}")
    large_count = queries(client, f"/api/v1/strategies/{large.slug}/{list_}")

    assert small_count == large_count


def test_a_filtered_list_costs_the_same_as_the_whole(two_plans):
    _, large, secret = two_plans
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    lead = large.roles.first()
    url = f"/api/v1/strategies/{large.slug}/actions/?page_size=500"

    whole = queries(client, url)
    assert queries(client, f"{url}&lead={lead.pk}&rag=not-in-key&overdue=true") == whole
    assert whole <= 9


def test_the_period_pages_and_findings_in_a_fixed_number_of_queries(
    api_world, reader, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9):
        reader.get(API + "periods/2016-17-q4/findings/")
