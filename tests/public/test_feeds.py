"""The public JSON feed and CSV download, built from ``public_plan`` of the published seed."""

import csv
import datetime
import io
import json
import zoneinfo

import pytest

from planboard.plans.models import Action, Theme
from planboard.progress.services import accept_update, close_period, open_period, submit_update
from planboard.public import feeds
from planboard.public.content import public_plan
from planboard.public.publishing import action_publication_of, save_action_publication
from planboard.public.standing import Standing
from tests.cast import reviewer

pytestmark = pytest.mark.django_db

URL = "https://planboard.example/public/sue/"
THEME_ONE = [f"1.{n}" for n in range(1, 17)]
STANDING_KEYS = {standing.key for standing in Standing}
ACTION_KEYS = {"ref", "summary", "standing", "standing_text", "target", "last_updated"}
NOON = datetime.datetime(2017, 3, 10, 12, tzinfo=zoneinfo.ZoneInfo("Europe/London"))


def action(strategy, ref):
    theme, number = ref.split(".")
    return Action.objects.for_strategy(strategy).get(theme__number=theme, number=number)


def summarise(strategy, ref, summary, user, published=True):
    item = action(strategy, ref)
    save_action_publication(
        item,
        published=published,
        summary=summary,
        version=action_publication_of(item).version,
        user=user,
    )


def accept(strategy, ref, user, **fields):
    update = submit_update(action(strategy, ref), user=user, narrative="Internal.", **fields)
    return accept_update(
        update, user=reviewer(), expected_version=update.version, when=fields["when"]
    )


def feed(strategy):
    """The JSON feed as a client would read it, after a round trip through json."""
    return json.loads(json.dumps(feeds.as_json(public_plan(strategy), url=URL)))


def rows(strategy):
    """The CSV download's rows, read as a spreadsheet user's script would read them."""
    data = feeds.as_csv(public_plan(strategy))
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8").removeprefix("\ufeff"))))


# --- JSON --------------------------------------------------------------------------


def test_the_json_names_its_format_and_version(published):
    data = feed(published)

    assert (data["format"], data["version"]) == ("planboard-public", 1)
    assert (feeds.FORMAT, feeds.VERSION) == ("planboard-public", 1)


def test_the_json_describes_the_strategy(published):
    strategy = feed(published)["strategy"]

    assert strategy["slug"] == "sue"
    assert strategy["title"] == published.title
    assert strategy["url"] == URL
    assert strategy["summary"].startswith("This strategy is about listening")
    assert strategy["last_updated"] is None
    assert set(strategy["standings"]) == STANDING_KEYS
    assert sum(strategy["standings"].values()) == 16


def test_the_json_has_every_published_action_once_with_its_standing(published):
    themes = feed(published)["themes"]
    actions = [item for theme in themes for item in theme["actions"]]

    assert [item["ref"] for item in actions] == THEME_ONE
    for item in actions:
        assert set(item) == ACTION_KEYS
        assert item["standing"] in STANDING_KEYS
        assert item["standing_text"] == next(s.words for s in Standing if s.key == item["standing"])
        assert item["summary"] == action_publication_of(action(published, item["ref"])).summary


def test_the_json_agrees_with_the_public_plan(published):
    plan = public_plan(published)
    data = feed(published)

    assert [theme["number"] for theme in data["themes"]] == [t.number for t in plan.themes]
    assert [
        (a["ref"], a["standing"], a["target"]) for t in data["themes"] for a in t["actions"]
    ] == [(a.ref, a.standing.key, a.target) for a in plan.actions]
    for theme, public in zip(data["themes"], plan.themes, strict=True):
        assert theme["standings"] == {c.standing.key: c.count for c in public.counts}
        assert sum(theme["standings"].values()) == len(theme["actions"])
        assert theme["commitments"] == [
            {"number": c.number, "text": c.text} for c in public.commitments
        ]
    totals = {key: sum(t["standings"][key] for t in data["themes"]) for key in STANDING_KEYS}
    assert data["strategy"]["standings"] == totals


def test_the_json_leaves_out_unpublished_actions_and_the_plans_wording(published, editor):
    summarise(published, "1.2", "Taken down for now.", editor, published=False)
    summarise(published, "2.1", "Not ready yet.", editor, published=False)

    data = feed(published)
    text = json.dumps(data)

    refs = [a["ref"] for t in data["themes"] for a in t["actions"]]
    assert "1.2" not in refs and "2.1" not in refs and len(refs) == 15
    assert "Taken down for now." not in text and "Not ready yet." not in text
    for item in Action.objects.for_strategy(published):
        assert json.dumps(item.text)[1:-1] not in text


def test_the_json_dates_are_iso_dates(published, editor):
    open_period(published, "2016/17 Q4", user=editor)
    accept(published, "1.1", editor, when=NOON)

    data = feed(published)

    assert data["strategy"]["last_updated"] == "2017-03-10"
    assert data["themes"][0]["actions"][0]["last_updated"] == "2017-03-10"
    assert data["themes"][0]["actions"][1]["last_updated"] is None


def test_the_json_has_no_changes_before_a_quarter_has_closed(published):
    assert feed(published)["what_changed"] is None


def test_the_json_lists_what_changed_in_the_last_quarter(published, editor):
    close_period(open_period(published, "2016/17 Q4", user=editor), user=editor)
    q1 = open_period(published, "2017/18 Q1", user=editor)
    accept(published, "1.1", editor, complete=True, when=NOON)
    close_period(q1, user=editor)

    changed = feed(published)["what_changed"]

    assert changed["period"] == "2017/18 Q1"
    assert changed["compared_with"] == "2016/17 Q4"
    assert changed["completed"] == [
        {
            "ref": "1.1",
            "summary": action_publication_of(action(published, "1.1")).summary,
            "note": "",
        }
    ]
    assert changed["started"] == []
    assert [c["ref"] for c in changed["delayed"]] == ["1.2", "1.3", "1.13"]  # due in March or April
    assert all(c["note"].startswith("Its target") for c in changed["delayed"])


def test_the_json_of_the_first_closed_quarter_compares_with_nothing(published, editor):
    close_period(open_period(published, "2016/17 Q4", user=editor), user=editor)

    assert feed(published)["what_changed"] == {
        "period": "2016/17 Q4",
        "compared_with": None,
        "completed": [],
        "started": [],
        "delayed": [],
    }


# --- CSV ---------------------------------------------------------------------------


def test_the_csv_opens_with_a_byte_order_mark_and_a_heading_row(published):
    data = feeds.as_csv(public_plan(published))

    assert data[:3] == b"\xef\xbb\xbf"
    assert rows(published)[0] == list(feeds.CSV_COLUMNS)


def test_the_csv_has_one_row_per_published_action_in_plan_order(published, editor):
    summarise(published, "1.2", "Taken down for now.", editor, published=False)
    summarise(published, "3.4", "We now train staff with service users.", editor)
    plan = public_plan(published)

    body = rows(published)[1:]

    assert [row[2] for row in body] == [a.ref for a in plan.actions]
    assert len(body) == 16
    assert "Taken down for now." not in {row[3] for row in body}
    first = dict(zip(feeds.CSV_COLUMNS, body[0], strict=True))
    assert first == {
        "Theme": "1",
        "Theme title": "Focussed Culture Change",
        "Ref": "1.1",
        "Summary": plan.actions[0].summary,
        "Standing": "On track",
        "Target": "Mar 2017",
        "Last updated": "",
    }
    assert body[-1][:3] == ["3", plan.themes[2].title, "3.4"]
    assert body[-1][4] == "Complete"


def test_the_csv_writes_the_date_of_the_last_accepted_update(published, editor):
    open_period(published, "2016/17 Q4", user=editor)
    accept(published, "1.1", editor, when=NOON)

    assert rows(published)[1][6] == "2017-03-10"


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_summary_a_spreadsheet_would_run_gets_a_quote_first(published, editor, start):
    formula = f'{start}HYPERLINK("https://evil.example","Click me")'
    summarise(published, "1.1", formula, editor)

    [row] = [row for row in rows(published)[1:] if row[2] == "1.1"]

    assert row[3] == f"'{formula}"


def test_a_theme_title_a_spreadsheet_would_run_gets_a_quote_first(published):
    Theme.objects.filter(strategy=published, number=1).update(title="=1+1")

    assert {row[1] for row in rows(published)[1:]} == {"'=1+1"}


def test_an_ordinary_summary_is_written_as_it_is(published, editor):
    text = 'We\'re "co-producing" services, café by café,\nwith 3 groups – so far.'
    summarise(published, "1.1", text, editor)

    assert rows(published)[1][3] == text
