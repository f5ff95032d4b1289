"""Governance's changes to the public page: checked, version-guarded and recorded."""

import json

import pytest
from django.core.exceptions import PermissionDenied

from planboard.plans.models import Action
from planboard.public import publishing
from planboard.public.demo import SUMMARIES, ensure_demo_publication
from planboard.public.models import (
    SUMMARY_LIMIT,
    ActionPublication,
    StrategyPublication,
    ThemePublication,
)
from planboard.public.publishing import (
    PublicationConflict,
    PublicationError,
    action_publication_of,
    publication_of,
    save_action_publication,
    save_strategy_publication,
    save_theme_summary,
    theme_publication_of,
)
from planboard.public.readability import readability
from tests.builders import make_action, make_strategy, make_theme
from tests.progress.cycle import board_member, governance

pytestmark = pytest.mark.django_db

MODELS = (StrategyPublication, ThemePublication, ActionPublication)


@pytest.fixture
def action(db):
    strategy = make_strategy(slug="sue", title="Service User Engagement Strategy")
    return make_action(make_theme(strategy), "Review the structure of SUSEG meetings.")


@pytest.fixture
def gus(db):
    return governance("gus")


def publish(action, user, summary="Our engagement group now meets across the city.", version=0):
    return save_action_publication(
        action, published=True, summary=summary, version=version, user=user
    )


def state():
    """Every publication row and history row, to show that nothing changed."""
    return {
        model.__name__: (
            list(model.objects.order_by("pk").values()),
            model.history.count(),
        )
        for model in MODELS
    }


# --- version 0 creates ---------------------------------------------------------------


def test_a_record_never_saved_is_unpublished_at_version_0(action):
    strategy = action.theme.strategy

    for record in (
        publication_of(strategy),
        theme_publication_of(action.theme),
        action_publication_of(action),
    ):
        assert (record.pk, record.version) == (None, 0)
    assert not publication_of(strategy).published
    assert not action_publication_of(action).published


def test_version_0_creates_the_record_at_version_1(action, editor):
    record = publish(action, editor, summary="  Our group now meets across the city.\n")

    saved = ActionPublication.objects.get(action=action)
    assert record.pk == saved.pk
    assert (saved.published, saved.summary, saved.version) == (
        True,
        "Our group now meets across the city.",
        1,
    )
    assert action_publication_of(action).pk == saved.pk


def test_version_0_creates_strategy_and_theme_records(action, editor):
    strategy = action.theme.strategy

    save_strategy_publication(
        strategy, published=True, summary="What it is for.", version=0, user=editor
    )
    save_theme_summary(action.theme, summary="What the theme is about.", version=0, user=editor)

    assert StrategyPublication.objects.get(strategy=strategy).published
    assert publication_of(strategy).version == 1
    assert ThemePublication.objects.get(theme=action.theme).summary == "What the theme is about."


def test_each_save_at_the_current_version_moves_the_version_on(action, editor):
    publish(action, editor)
    second = publish(action, editor, summary="Second words.", version=1)
    third = save_action_publication(
        action, published=False, summary="Third words.", version=2, user=editor
    )

    saved = ActionPublication.objects.get(action=action)
    assert (second.version, third.version) == (2, 3)
    assert (saved.published, saved.summary, saved.version) == (False, "Third words.", 3)


# --- conflicts -----------------------------------------------------------------------


def test_a_stale_version_raises_a_conflict_with_the_newer_record(action, editor, gus):
    publish(action, editor)
    publish(action, gus, summary="Gus's newer words.", version=1)  # both opened version 1
    before = state()

    with pytest.raises(PublicationConflict) as raised:
        publish(action, editor, summary="Gail's older words.", version=1)

    assert raised.value.current.version == 2
    assert raised.value.current.summary == "Gus's newer words."
    assert raised.value.current.action_id == action.pk
    assert str(raised.value) == (
        "Someone else saved this after you opened it, so yours was not saved."
    )
    assert state() == before


def test_creating_a_record_someone_else_created_first_is_a_conflict(action, editor, gus):
    publish(action, gus, summary="Gus was first.")
    before = state()

    with pytest.raises(PublicationConflict) as raised:
        publish(action, editor, summary="Gail thought it was new.", version=0)

    assert (raised.value.current.summary, raised.value.current.version) == ("Gus was first.", 1)
    assert state() == before


@pytest.mark.parametrize("save", ["strategy", "theme"])
def test_strategy_and_theme_saves_are_version_guarded_too(action, editor, gus, save):
    def run(summary, version, user):
        if save == "strategy":
            return save_strategy_publication(
                action.theme.strategy, published=True, summary=summary, version=version, user=user
            )
        return save_theme_summary(action.theme, summary=summary, version=version, user=user)

    run("First.", 0, editor)
    run("Newer.", 1, gus)
    before = state()

    with pytest.raises(PublicationConflict) as raised:
        run("Stale.", 1, editor)
    with pytest.raises(PublicationConflict):
        run("Also stale.", 0, editor)

    assert raised.value.current.summary == "Newer."
    assert state() == before


def test_saving_a_version_of_a_record_that_does_not_exist_is_a_conflict(action, editor):
    with pytest.raises(PublicationConflict) as raised:
        publish(action, editor, version=1)

    assert raised.value.current is None
    assert not ActionPublication.objects.exists()


def test_a_version_ahead_of_the_saved_one_is_a_conflict(action, editor):
    publish(action, editor)
    before = state()

    with pytest.raises(PublicationConflict):
        publish(action, editor, summary="From the future.", version=5)

    assert state() == before


# --- what the rules refuse -----------------------------------------------------------


@pytest.mark.parametrize("summary", ["", "   ", "\r\n\t", None])
def test_publishing_an_action_without_a_summary_is_refused(action, editor, summary):
    with pytest.raises(PublicationError) as raised:
        publish(action, editor, summary=summary)

    assert str(raised.value) == "Write a public summary of action 1.1 before you publish it"
    assert not ActionPublication.objects.exists()


def test_blanking_the_summary_of_a_published_action_is_refused(action, editor):
    publish(action, editor)
    before = state()

    with pytest.raises(PublicationError):
        publish(action, editor, summary=" ", version=1)

    assert state() == before


def test_publishing_the_strategy_without_a_summary_is_refused(action, editor):
    with pytest.raises(PublicationError) as raised:
        save_strategy_publication(
            action.theme.strategy, published=True, summary="", version=0, user=editor
        )

    assert str(raised.value) == "Write a public summary of the strategy before you publish it"
    assert not StrategyPublication.objects.exists()


def test_an_unpublished_action_or_theme_may_have_no_summary(action, editor):
    withdrawn = save_action_publication(action, published=False, summary="", version=0, user=editor)
    theme = save_theme_summary(action.theme, summary="  ", version=0, user=editor)

    assert (withdrawn.published, withdrawn.summary) == (False, "")
    assert theme.summary == ""


def test_a_publication_error_is_a_value_error():
    assert issubclass(PublicationError, ValueError)


def test_a_summary_of_the_limit_is_kept(action, editor):
    record = publish(action, editor, summary="a" * SUMMARY_LIMIT)

    assert len(ActionPublication.objects.get(pk=record.pk).summary) == SUMMARY_LIMIT


@pytest.mark.parametrize("kind", ["action", "theme", "strategy"])
def test_an_over_long_summary_is_refused(action, editor, kind):
    too_long = "a" * (SUMMARY_LIMIT + 1)

    with pytest.raises(PublicationError) as raised:
        if kind == "action":
            publish(action, editor, summary=too_long)
        elif kind == "theme":
            save_theme_summary(action.theme, summary=too_long, version=0, user=editor)
        else:
            save_strategy_publication(
                action.theme.strategy, published=False, summary=too_long, version=0, user=editor
            )

    assert str(raised.value) == f"The public summary must be {SUMMARY_LIMIT} characters or fewer"
    assert state() == {model.__name__: ([], 0) for model in MODELS}


def test_an_over_long_edit_leaves_the_saved_summary(action, editor):
    publish(action, editor)
    before = state()

    with pytest.raises(PublicationError):
        publish(action, editor, summary="a" * (SUMMARY_LIMIT + 1), version=1)

    assert state() == before


def test_windows_line_endings_count_as_one_character(action, editor):
    lines = ("a" * 99 + "\r\n") * 15  # 1,500 characters once each \r\n is one \n

    record = publish(action, editor, summary=lines)

    assert "\r" not in record.summary
    assert len(record.summary) == SUMMARY_LIMIT - 1  # the last newline is stripped


def test_only_governance_may_publish_through_the_service(action):
    with pytest.raises(PermissionDenied):
        publish(action, board_member("bob"))

    assert not ActionPublication.objects.exists()


# --- history ---------------------------------------------------------------------------


def test_history_records_who_wrote_the_text_and_who_edited_it(action, editor, gus):
    publish(action, editor, summary="First words.")
    publish(action, gus, summary="Better words.", version=1)

    record = ActionPublication.objects.get(action=action)
    history = list(record.history.order_by("history_id"))
    assert [(h.history_user, h.history_change_reason, h.summary, h.version) for h in history] == [
        (editor, "Public text written", "First words.", 1),
        (gus, "Public text edited", "Better words.", 2),
    ]


def test_history_of_the_strategy_and_theme_records_the_user(action, editor, gus):
    strategy = action.theme.strategy
    save_strategy_publication(strategy, published=True, summary="Why.", version=0, user=editor)
    save_strategy_publication(strategy, published=False, summary="Why.", version=1, user=gus)
    save_theme_summary(action.theme, summary="About.", version=0, user=gus)

    strategy_history = StrategyPublication.objects.get().history.order_by("history_id")
    assert [(h.history_user, h.published) for h in strategy_history] == [
        (editor, True),
        (gus, False),
    ]
    assert ThemePublication.objects.get().history.get().history_user == gus


def test_a_refused_save_writes_no_history(action, editor):
    publish(action, editor)

    for attempt in (
        lambda: publish(action, editor, summary="", version=1),
        lambda: publish(action, editor, summary="Stale.", version=7),
    ):
        with pytest.raises((PublicationError, PublicationConflict)):
            attempt()

    assert ActionPublication.history.count() == 1


# --- the demo's publication -----------------------------------------------------------


def demo_texts():
    return json.loads(SUMMARIES.read_text(encoding="utf-8"))


def test_the_demo_publishes_the_seed_strategy_and_theme_one(seed_strategy, editor):
    published = ensure_demo_publication(seed_strategy, user=editor)

    texts = demo_texts()
    assert published == len(texts["actions"]) == 16
    strategy = StrategyPublication.objects.get(strategy=seed_strategy)
    assert (strategy.published, strategy.summary) == (True, texts["strategy"])
    assert (
        ThemePublication.objects.get(theme__strategy=seed_strategy).summary
        == (texts["themes"]["1"])
    )
    records = ActionPublication.objects.filter(action__theme__strategy=seed_strategy)
    assert {r.action.ref: r.summary for r in records} == texts["actions"]
    assert all(r.published for r in records)
    assert {h.history_user for model in MODELS for h in model.history.all()} == {editor}


def test_the_demo_publication_is_made_once_only(seed_strategy, editor, gus):
    ensure_demo_publication(seed_strategy, user=editor)
    before = state()

    assert ensure_demo_publication(seed_strategy, user=gus) is None
    assert state() == before


def test_the_demo_never_undoes_an_edit(seed_strategy, editor):
    ensure_demo_publication(seed_strategy, user=editor)
    first = Action.objects.for_strategy(seed_strategy).get(theme__number=1, number=1)
    save_action_publication(first, published=False, summary="", version=1, user=editor)

    assert ensure_demo_publication(seed_strategy, user=editor) is None
    assert ActionPublication.objects.get(action=first).published is False


def test_the_demo_leaves_alone_a_strategy_that_was_withdrawn(seed_strategy, editor):
    save_strategy_publication(seed_strategy, published=False, summary="", version=0, user=editor)

    assert ensure_demo_publication(seed_strategy, user=editor) is None
    assert not ActionPublication.objects.exists()
    assert not publication_of(seed_strategy).published


def test_every_ref_in_the_demo_file_is_an_action_of_the_seeds_theme_one(seed_strategy):
    theme_one = {
        action.ref for action in Action.objects.for_strategy(seed_strategy).filter(theme__number=1)
    }
    texts = demo_texts()

    assert set(texts["actions"]) == theme_one
    assert set(texts["themes"]) == {"1"}


def test_every_demo_summary_would_pass_the_publishing_rules_and_is_plain_english():
    texts = demo_texts()

    for summary in (texts["strategy"], *texts["themes"].values(), *texts["actions"].values()):
        assert publishing.check_summary(summary, published=True, what="it") == summary
        assert not readability(summary).is_hard, summary


def test_the_demo_skips_refs_the_strategy_does_not_have(seed_strategy, editor, tmp_path):
    path = tmp_path / "summaries.json"
    path.write_text(
        json.dumps(
            {
                "strategy": "What it is for.",
                "themes": {"1": "Theme one.", "9": "No such theme."},
                "actions": {"1.1": "One.", "9.9": "No such action.", "1.99": "Nor this."},
            }
        ),
        encoding="utf-8",
    )

    assert ensure_demo_publication(seed_strategy, user=editor, path=path) == 1
    assert [r.action.ref for r in ActionPublication.objects.all()] == ["1.1"]
    assert ThemePublication.objects.count() == 1
