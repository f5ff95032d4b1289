"""The home page by role: what a lead, the governance team and a board member find first
on signing in, each part in a fixed number of queries."""

import datetime
import re

import pytest
from django.utils import timezone

from planboard.papers.generation import request_paper
from planboard.plans.models import ActionStatus
from planboard.progress.checker import run_checks
from planboard.progress.services import close_period, open_period, return_update, submit_update
from planboard.public.requests import answer_request, send_request
from planboard.web.home import due_words
from tests.builders import make_action, make_person
from tests.cast import reviewer
from tests.web.cycle import review_url, update_url

pytestmark = pytest.mark.django_db

PARTS = ("your-actions", "for-governance", "for-the-board", "strategies")


def parts(response) -> list[str]:
    return [part for part in PARTS if f'<section id="{part}"' in response.text]


def section(response, part) -> str:
    start = response.text.index(f'<section id="{part}"')
    return response.text[start : response.text.index("</section>", start)]


def plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def rows(html: str, prefix: str) -> list[str]:
    return re.findall(rf'id="{prefix}-([a-z0-9-]+)"', html)


@pytest.mark.parametrize(
    ("due", "words"),
    [(0, "due today"), (1, "due in 1 day"), (12, "due in 12 days"), (-1, "1 day late")]
    + [(-30, "30 days late")],
)
def test_the_due_date_is_said_in_days_from_today(due, words):
    today = datetime.date(2017, 3, 20)
    assert due_words(today + datetime.timedelta(days=due), today) == words


def test_a_lead_finds_the_updates_they_owe_first(client_for, lead, open_quarter, small_plan):
    client = client_for(lead)

    response = client.get("/")

    assert parts(response) == ["your-actions", "strategies"]
    mine = section(response, "your-actions")
    assert rows(mine, "home-action") == ["demo-1-1", "demo-1-2"]
    assert f'href="{update_url("1.1")}">Give update' in mine
    due = due_words(open_quarter.updates_due, timezone.localdate())
    assert f"are due by 31 March 2017 ({due}). 2 of 2 still to send." in plain(mine)
    assert 'href="/my-actions/"' in mine

    update = submit_update(small_plan.review, user=lead, narrative="Done.")
    assert rows(section(client.get("/"), "your-actions"), "home-action") == ["demo-1-2"]
    return_update(update, user=reviewer(), comment="More.", expected_version=update.version)
    mine = section(client.get("/"), "your-actions")
    assert rows(mine, "home-action") == ["demo-1-1", "demo-1-2"]
    assert f'href="{update_url("1.1")}">Edit update' in mine
    assert "Returned to you" in mine


def test_a_lead_with_nothing_open_is_told_no_update_is_due(client_for, lead, small_plan):
    mine = section(client_for(lead).get("/"), "your-actions")

    assert "No reporting period is open, so no update is due from you now." in mine
    assert rows(mine, "home-action") == []


def test_governance_sees_what_waits_on_them(client_for, governor, lead, open_quarter, small_plan):
    submit_update(small_plan.review, user=lead, narrative="Done.")
    send_request(small_plan.strategy, format="braille", name="Sam", contact="sam@example.org")
    answered = send_request(small_plan.strategy, format="easy_read", name="Al", contact="al@x.org")
    answer_request(answered, user=governor)

    response = client_for(governor).get("/")

    assert parts(response) == ["for-governance", "strategies"]
    ours = section(response, "for-governance")
    text = plain(ours)
    assert f'href="{review_url()}">1 update waiting for review</a>' in ours
    due = due_words(open_quarter.updates_due, timezone.localdate())
    assert f"2016/17 Q4 , updates due 31 March 2017 ({due})" in text
    # Mia owes 1.2; 2.1 is led by Finance, whom no account holds; 1.3 is complete.
    assert "Leads not yet updated Mia Bajin: 1 action" in text
    assert "1 action without an update has no lead with an account." in text
    findings = len(run_checks(small_plan.strategy, timezone.localdate()))
    assert f'href="/strategies/demo/findings/">{findings} findings</a>' in ours
    assert '<a href="/strategies/demo/public/requests/">1 request waiting for an answer</a>' in ours
    assert "No period has been closed yet, so there is no paper." in ours


def test_governance_and_the_board_see_the_latest_papers_files(
    client_for, governor, board_member, small_plan
):
    q3 = close_period(open_period(small_plan.strategy, "2016/17 Q3", user=governor), user=governor)
    q4 = open_period(small_plan.strategy, "2016/17 Q4", user=governor)
    html = request_paper(small_plan.strategy, q3, "html", user=governor)
    assert html.is_ready and q4.is_open

    for user, part in ((governor, "for-governance"), (board_member, "for-the-board")):
        shown = section(client_for(user).get("/"), part)
        assert 'href="/strategies/demo/papers/2016-17-q3/"' in shown
        assert f'href="/strategies/demo/files/{html.pk}/">Web page (HTML)' in shown


def test_a_board_member_sees_the_latest_paper_the_rag_mix_and_the_exceptions(
    client_for, board_member, governor, small_plan
):
    late = make_action(
        small_plan.reach,
        "Publish the carers' charter.",
        target=datetime.date(2017, 1, 31),
        rating="Red",
        status=ActionStatus.IN_PROGRESS,
    )
    response = client_for(board_member).get("/")

    assert parts(response) == ["for-the-board", "strategies"]
    board = section(response, "for-the-board")
    assert "No paper yet: no reporting period has been closed." in board
    tags = re.findall(r'nhsuk-tag--([a-z-]+)">([^<]+)</strong>', board)
    assert tags[:4] == [
        ("green", "Green: 1"),
        ("orange", "Amber: 1"),
        ("red", "Red: 1"),
        ("grey", "Not rated: 1"),
    ]
    # Overdue today: 1.1 and 1.2 (targets in 2017, not complete) and 2.2; 2.2 is Red too.
    table = plain(board[board.index("<table") :])
    assert [ref for ref in re.findall(r"Action (\d+\.\d+)", table)] == ["1.1", "1.2", "2.2"]
    assert "1 with a red rating, 3 overdue." in plain(board)
    assert 'href="/strategies/demo/?overdue=on"' in board
    assert late.ref == "2.2"


def test_someone_in_no_group_reads_the_boards_part(signed_in, small_plan):
    assert parts(signed_in.get("/")) == ["for-the-board", "strategies"]


def test_someone_with_several_parts_sees_each(client_for, cast, governor, small_plan, open_quarter):
    from django.contrib.auth.models import Group

    from planboard.people.access import BOARD_MEMBER

    governor.groups.add(Group.objects.get(name=BOARD_MEMBER))
    make_person(small_plan.strategy, "Gail Tester", [small_plan.head], user=governor)

    response = client_for(governor).get("/")

    assert parts(response) == ["your-actions", "for-governance", "for-the-board", "strategies"]
    assert rows(section(response, "your-actions"), "home-action") == ["demo-1-2"]
