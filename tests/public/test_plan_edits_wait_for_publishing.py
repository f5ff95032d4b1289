"""Every change to the plan on planboard's own pages leaves the public page, its JSON
feed and its CSV as they were until governance publishes it; retiring a published
action is the one change meant to show at once, and takes just that action off."""

import csv
import io
import json

import pytest
from django.test import Client

from planboard.people import key
from planboard.plans import action_changes, scale, structure
from planboard.plans.action_changes import ActionValues
from planboard.plans.editing import set_action_leads
from planboard.plans.models import Action, Commitment, RagLevel
from planboard.public import publishing, wording
from planboard.public.content import public_plan

pytestmark = pytest.mark.django_db

PUBLIC = ("/public/", "/public/sue/", "/public/sue.json", "/public/sue.csv")


def public_views() -> dict[str, bytes]:
    """The public page, its JSON feed and its CSV, as a member of the public gets them."""
    client = Client()
    pages = {}
    for path in PUBLIC:
        response = client.get(path)
        assert response.status_code == 200, path
        pages[path] = response.content
    return pages


def shown_theme(strategy):
    """A theme the public page shows, with a published action and a commitment."""
    return (
        strategy.themes.filter(actions__publication__published=True, commitments__isnull=False)
        .distinct()
        .order_by("number")
        .first()
    )


def published_action(strategy) -> Action:
    return (
        Action.objects.for_strategy(strategy)
        .filter(publication__published=True)
        .select_related("theme")
        .in_plan_order()
        .first()
    )


def values_of(action, **changed) -> ActionValues:
    values = ActionValues(
        text=action.text,
        theme=action.theme,
        number=action.number,
        target_date=action.target_date,
        target_precision=action.target_precision,
        target_text=action.target_text,
        area=action.area,
        leads=list(action.leads.all()),
        commitments=list(action.commitments.all()),
    )
    for name, value in changed.items():
        setattr(values, name, value)
    return values


def _role(strategy, user):
    return key.save_role(
        strategy, {"title": "Head of Carers", "abbreviation": "HC"}, version=0, user=user
    )


def _person(strategy, user):
    return key.save_person(strategy, {"name": "Sam Carer", "roles": []}, version=0, user=user)


def _level(strategy):
    return RagLevel.objects.filter(strategy=strategy).order_by("position").first()


EDITS = {
    "add_theme": lambda s, u: structure.add_theme(s, title="Carers", user=u),
    "edit_theme": lambda s, u: structure.change_theme(
        (t := shown_theme(s)), title="Renamed", number=t.number, version=t.version, user=u
    ),
    "add_commitment": lambda s, u: structure.add_commitment(
        shown_theme(s), text="A commitment added on planboard.", user=u
    ),
    "edit_commitment": lambda s, u: structure.change_commitment(
        (c := shown_theme(s).commitments.order_by("number").first()),
        text="Reworded on planboard.",
        number=c.number,
        version=c.version,
        user=u,
    ),
    "add_area": lambda s, u: structure.add_area(s, name="Carers' services", user=u),
    "edit_area": lambda s, u: structure.change_area(
        (a := s.areas.order_by("pk").first()), name="Renamed area", version=a.version, user=u
    ),
    "add_action": lambda s, u: action_changes.add_action(
        ActionValues(text="An action added on planboard.", theme=shown_theme(s)), user=u
    ),
    "edit_action": lambda s, u: action_changes.change_action(
        (a := published_action(s)),
        values_of(a, text="Reworded on planboard."),
        version=a.version,
        user=u,
    ),
    "restore_action": lambda s, u: action_changes.restore_action(
        action_changes.retire_action(
            (a := published_action(s)), reason="Merged", version=a.version, user=u
        ),
        version=a.version + 1,
        user=u,
    ),
    "add_role": _role,
    "edit_role": lambda s, u: key.save_role(
        s,
        {
            "title": "Renamed role",
            "abbreviation": (r := s.roles.order_by("pk").first()).abbreviation,
        },
        version=r.version,
        user=u,
        role=r,
    ),
    "merge_role": lambda s, u: key.merge_roles(
        (r := _role(s, u)),
        s.roles.exclude(pk=r.pk).order_by("pk").first(),
        version=r.version,
        user=u,
    ),
    "add_person": _person,
    "edit_person": lambda s, u: key.save_person(
        s,
        {"name": "Sam Renamed", "roles": []},
        version=(p := _person(s, u)).version,
        user=u,
        person=p,
    ),
    "split_person": lambda s, u: key.split_person(
        (p := _person(s, u)), {"name": "Sam One"}, {"name": "Sam Two"}, version=p.version, user=u
    ),
    "action_leads": lambda s, u: set_action_leads(
        (a := published_action(s)), [_role(s, u)], version=a.version, user=u
    ),
    "add_rag_level": lambda s, u: scale.save_level(
        s, {"label": "Purple", "colour": "purple", "position": 99}, version=0, user=u
    ),
    "edit_rag_level": lambda s, u: scale.save_level(
        s,
        {
            "label": (lv := _level(s)).label,
            "colour": lv.colour,
            "position": lv.position,
            "definition": "Said differently on planboard.",
            "aliases": [*lv.aliases, "Crimson"],
        },
        version=lv.version,
        user=u,
        level=lv,
    ),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_plan_edit_leaves_the_public_page_as_it_was(published, editor, edit):
    before = public_views()

    EDITS[edit](published, editor)

    assert public_views() == before


def test_every_plan_edit_is_checked():
    """The plan's and the key's services that write, each with a step above (retiring
    an action is checked on its own below, as it is meant to show)."""
    services = {
        "add_theme", "edit_theme", "add_commitment", "edit_commitment", "add_area",
        "edit_area", "add_action", "edit_action", "restore_action", "add_role", "edit_role",
        "merge_role", "add_person", "edit_person", "split_person", "action_leads",
        "add_rag_level", "edit_rag_level",
    }  # fmt: skip
    assert set(EDITS) == services


def test_retiring_a_published_action_takes_only_it_off_the_public_page(published, editor):
    action = published_action(published)
    before = public_plan(published)
    pages = public_views()

    action_changes.retire_action(action, reason="Merged", version=action.version, user=editor)

    after = public_plan(published)
    assert [a.ref for a in after.actions] == [a.ref for a in before.actions if a.ref != action.ref]
    assert action.ref not in {row["Ref"] for row in _csv(public_views()["/public/sue.csv"])}
    assert len(_csv(pages["/public/sue.csv"])) == len(_csv(public_views()["/public/sue.csv"])) + 1
    feed = json.loads(public_views()["/public/sue.json"])
    refs = [a["ref"] for theme in feed["themes"] for a in theme["actions"]]
    assert refs == [a.ref for a in after.actions]
    assert public_views()["/public/sue/"] != pages["/public/sue/"]


def _csv(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_a_new_theme_shows_once_something_of_it_is_published(published, editor):
    theme = structure.add_theme(published, title="Carers", user=editor)
    assert "Carers" not in public_views()["/public/sue/"].decode()

    publishing.save_theme_summary(theme, summary="Help for carers.", version=1, user=editor)

    assert "Carers" in public_views()["/public/sue/"].decode()


def test_a_new_title_shows_once_published(published, editor):
    theme = shown_theme(published)
    was = theme.title
    structure.change_theme(
        theme, title="Renamed", number=theme.number, version=theme.version, user=editor
    )
    structure.change_theme(
        theme, title="Renamed again", number=theme.number, version=theme.version + 1, user=editor
    )
    assert [(w.kind, w.shown, w.new) for w in wording.waiting(published)] == [
        ("theme", was, "Renamed again")
    ]
    before = public_views()

    wording.publish_theme_wording(theme, user=editor)

    after = public_views()
    for path in PUBLIC:
        assert after[path] == before[path].replace(was.encode(), b"Renamed again"), path
    assert wording.waiting(published) == []


def test_new_and_reworded_commitments_show_once_published(published, editor):
    theme = shown_theme(published)
    first = theme.commitments.order_by("number").first()
    was = first.text
    structure.change_commitment(
        first,
        text="Reworded on planboard.",
        number=first.number,
        version=first.version,
        user=editor,
    )
    added = structure.add_commitment(theme, text="A commitment added on planboard.", user=editor)
    waiting = {w.ref: (w.shown, w.new) for w in wording.waiting(published)}
    assert waiting == {
        first.ref: (was, "Reworded on planboard."),
        added.ref: ("", "A commitment added on planboard."),
    }
    assert "Reworded on planboard." not in public_views()["/public/sue/"].decode()

    wording.publish_commitment(Commitment.objects.get(pk=first.pk), user=editor)
    wording.publish_commitment(added, user=editor)

    for path in ("/public/sue/", "/public/sue.json"):
        page = public_views()[path].decode()
        assert "Reworded on planboard." in page, path
        assert "A commitment added on planboard." in page, path
    assert wording.waiting(published) == []


def test_the_editor_lists_what_waits_and_publishes_it(published, editor):
    theme = shown_theme(published)
    structure.change_theme(
        theme, title="Renamed", number=theme.number, version=theme.version, user=editor
    )
    client = Client()
    client.force_login(editor)

    page = client.get("/strategies/sue/public/").text
    assert "Changed in the plan since it was published (1)" in page
    assert f"Theme {theme.number}" in page and "Renamed" in page

    response = client.post(f"/strategies/sue/public/themes/{theme.number}/wording/")
    assert response.status_code == 302
    assert "Renamed" in public_views()["/public/sue/"].decode()
    assert (
        "Changed in the plan since it was published"
        not in client.get("/strategies/sue/public/").text
    )


def test_only_governance_publishes_new_wording(published, editor, cast):
    theme = shown_theme(published)
    structure.change_theme(
        theme, title="Renamed", number=theme.number, version=theme.version, user=editor
    )
    client = Client()
    client.force_login(cast.mia)

    response = client.post(f"/strategies/sue/public/themes/{theme.number}/wording/")

    assert response.status_code == 403
    assert "Renamed" not in public_views()["/public/sue/"].decode()


def test_an_unpublished_strategy_keeps_no_wording(seed_strategy, editor):
    theme = seed_strategy.themes.order_by("number").first()
    structure.change_theme(
        theme, title="Renamed", number=theme.number, version=theme.version, user=editor
    )
    assert wording.waiting(seed_strategy) == []
