"""A strategy exported as JSON and imported again is the same strategy, byte for byte."""

import datetime
import hashlib
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from planboard.imports.exchange import FORMAT, VERSION, ExchangeError, dumps
from planboard.imports.exchange_export import export_strategy
from planboard.imports.exchange_load import import_strategy
from planboard.papers.covers import save_cover
from planboard.papers.models import GeneratedPaper, PaperTemplate
from planboard.plans.models import Action, Strategy
from planboard.progress.models import ActionSnapshot, PeriodRecord, SnapshotIsFrozen, Update
from planboard.progress.services import (
    accept_update,
    close_period,
    open_period,
    return_update,
    submit_update,
)
from tests.builders import make_large_plan
from tests.progress.cycle import Q3, Q4, governance, lead
from tests.shared import shared

OCTOBER = timezone.make_aware(datetime.datetime(2016, 11, 14, 10, 30))
FEBRUARY = timezone.make_aware(datetime.datetime(2017, 2, 13, 9, 15))


def _action(strategy, ref):
    theme, number = ref.split(".")
    return Action.objects.for_strategy(strategy).get(theme__number=theme, number=number)


@shared
def cycled(seed_strategy):
    """The seed after a quarterly cycle: Q3 closed with an accepted update, Q4 open with
    an accepted target change, an update waiting and one returned; a cover sheet for
    each period, a Word template of its own and papers generated."""
    strategy = seed_strategy
    gail = governance()
    first = _action(strategy, "1.1")
    mia = lead(strategy, list(first.leads.all()), "mia")
    levels = {level.label: level for level in strategy.rag_levels.all()}

    q3 = open_period(strategy, Q3, user=gail, when=OCTOBER)
    update = submit_update(
        first, user=mia, narrative="SUSEG reviewed — “café” notes.", when=OCTOBER
    )
    accept_update(update, user=gail, expected_version=update.version, when=OCTOBER)
    q3 = close_period(q3, user=gail, when=OCTOBER + datetime.timedelta(days=50))

    # A small team: in Q4 Gail gives updates on the leads' behalf and reviews them herself.
    Strategy.objects.filter(pk=strategy.pk).update(allow_own_review=True)
    q4 = open_period(strategy, Q4, user=gail, when=FEBRUARY)
    moved = submit_update(
        _action(strategy, "2.1"),
        user=gail,
        narrative="Delayed by the consultation.",
        proposed_rag=levels["Amber"],
        new_target_date=datetime.date(2017, 9, 30),
        reason="The consultation runs to the summer.",
        when=FEBRUARY,
    )
    accept_update(moved, user=gail, expected_version=moved.version, when=FEBRUARY)
    submit_update(_action(strategy, "1.2"), user=gail, narrative="Waiting.", when=FEBRUARY)
    returned = submit_update(
        _action(strategy, "3.1"), user=gail, narrative="Too short.", when=FEBRUARY
    )
    return_update(returned, user=gail, comment="Say what happened.", expected_version=1)
    save_cover(strategy, q4, {"title": "Q4 assurance report"}, version=0, user=gail)

    word = b"PK\x03\x04 a trust's own template"
    template = PaperTemplate.objects.create(
        name="Trust board paper",
        strategy=strategy,
        content=word,
        checksum=hashlib.sha256(word).hexdigest(),
        uploaded_by=gail,
    )
    GeneratedPaper.objects.create(
        strategy=strategy,
        period=q3,
        format="docx",
        status="done",
        filename="sue-2016-17-q3-paper.docx",
        size=2048,
        checksum="ab" * 32,
        template=template,
        requested_by=gail,
        started_at=OCTOBER,
        finished_at=OCTOBER,
    )
    GeneratedPaper.objects.create(
        strategy=strategy, period=q4, format="pdf", status="failed", error="Out of memory."
    )
    strategy.refresh_from_db()
    return strategy


def _round_trip(strategy, *, drop_accounts=False):
    first = dumps(export_strategy(strategy))
    strategy.delete()
    if drop_accounts:
        get_user_model().objects.all().delete()
    summary = import_strategy(json.loads(first), source="sue.json")
    return first, dumps(export_strategy(Strategy.objects.get(slug="sue"))), summary


def test_export_import_export_gives_the_same_file(cycled):
    first, second, summary = _round_trip(cycled)

    assert second == first
    assert summary["actions"] == 49
    assert summary["accounts_created"] == []


def test_the_file_holds_the_whole_cycle(cycled):
    data = json.loads(dumps(export_strategy(cycled)))

    assert (data["format"], data["version"]) == (FORMAT, VERSION)
    assert [p["label"] for p in data["periods"]] == [Q3, Q4]
    assert [p["status"] for p in data["periods"]] == ["closed", "open"]
    assert len(data["actions"]) == 49 == len(data["snapshots"])
    assert data["actions"][0]["ref"] == "1.1"
    assert {u["status"] for u in data["updates"]} == {"accepted", "submitted", "returned"}
    assert data["strategy"]["allow_own_review"] is True
    own = {(u["period"], u["action"]): u["own_review"] for u in data["updates"]}
    assert own == {(Q3, "1.1"): False, (Q4, "2.1"): True, (Q4, "1.2"): False, (Q4, "3.1"): True}
    assert data["target_changes"][0] | {"changed_at": None} == {
        "action": "2.1",
        "update": Q4,
        "from_date": None,
        "from_precision": "month",
        "to_date": "2017-09-30",
        "to_precision": "month",
        "reason": "The consultation runs to the summer.",
        "changed_by": "gail",
        "changed_at": None,
    }
    assert [c["period"] for c in data["cover_sheets"]] == [None, Q3, Q4]
    assert [r["period"] for r in data["period_records"]] == [Q3]
    assert data["papers"][0]["template"]["name"] == "Trust board paper"
    assert "content" not in data["papers"][0]
    assert {u["username"] for u in data["users"]} == {"gail", "mia"}
    assert data["periods"][0]["opened_at"] == "2016-11-14T10:30:00+00:00"
    assert "SUSEG reviewed — “café” notes." in dumps(data)  # not escaped


def test_the_file_refers_to_nothing_by_database_id(cycled):
    text = dumps(export_strategy(cycled))

    assert '"id"' not in text
    assert '"pk"' not in text
    assert '_id"' not in text


def test_an_empty_database_gets_inactive_accounts_for_the_people_named(cycled):
    first, second, summary = _round_trip(cycled, drop_accounts=True)

    assert second == first
    assert summary["accounts_created"] == ["gail", "mia"]
    gail = get_user_model().objects.get(username="gail")
    assert not gail.is_active
    assert not gail.has_usable_password()
    assert gail.get_full_name() == "Gail Tester"


def test_existing_accounts_are_used_not_copied(cycled):
    gail = get_user_model().objects.get(username="gail")
    _round_trip(cycled)

    update = Update.objects.filter(period__strategy__slug="sue", reviewed_by__isnull=False)
    assert update.first().reviewed_by == gail


def test_imported_snapshots_and_records_stay_frozen(cycled):
    _round_trip(cycled)
    snapshot = ActionSnapshot.objects.filter(period__strategy__slug="sue").first()
    snapshot.text = "Changed"

    with pytest.raises(SnapshotIsFrozen):
        snapshot.save()
    record = PeriodRecord.objects.get(period__strategy__slug="sue")
    with pytest.raises(SnapshotIsFrozen):
        record.save()


def test_the_import_is_recorded_in_the_history(cycled):
    _round_trip(cycled)
    action = _action(Strategy.objects.get(slug="sue"), "1.1")

    record = action.history.get()
    assert record.history_change_reason == "Imported from sue.json"
    assert list(record.leads.values_list("role__abbreviation", flat=True))


def test_the_actions_keep_their_links(cycled):
    before = {
        a.ref: (sorted(r.title for r in a.leads.all()), sorted(c.ref for c in a.commitments.all()))
        for a in Action.objects.for_strategy(cycled).prefetch_related("leads", "commitments")
    }
    _round_trip(cycled)
    strategy = Strategy.objects.get(slug="sue")
    actions = Action.objects.for_strategy(strategy).prefetch_related("leads", "commitments")

    after = {
        a.ref: (sorted(r.title for r in a.leads.all()), sorted(c.ref for c in a.commitments.all()))
        for a in actions
    }
    assert after == before
    assert any(leads for leads, _ in after.values())


def test_a_synthetic_plan_round_trips_too(db):
    strategy = make_large_plan(slug="sue", actions=60)

    first, second, summary = _round_trip(strategy)

    assert second == first
    assert summary["actions"] == 60


def test_a_paper_made_with_a_shared_template_keeps_it_if_it_is_there(cycled):
    word = b"PK\x03\x04 every strategy's template"
    shared = PaperTemplate.objects.create(
        name="Shared", content=word, checksum=hashlib.sha256(word).hexdigest()
    )
    GeneratedPaper.objects.filter(strategy=cycled).update(template=shared)
    data = export_strategy(cycled)

    first, second, summary = _round_trip(cycled)
    assert second == first
    assert summary["notes"] == []

    Strategy.objects.get(slug="sue").delete()
    shared.delete()
    summary = import_strategy(data)
    assert (
        summary["notes"]
        == [
            'The Word template "Shared" a paper was made with is not in this database; '
            "the paper's record keeps no template."
        ]
        * 2
    )
    assert not GeneratedPaper.objects.filter(template__isnull=False).exists()


def test_it_refuses_a_slug_already_in_use(cycled):
    data = export_strategy(cycled)

    with pytest.raises(ExchangeError, match='slug "sue" already exists'):
        import_strategy(data)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"format": "something-else"}, 'its format is "something-else"'),
        ({"version": 2}, "version 2 of the strategy format; this planboard reads version 1"),
        ({"version": None}, "version None"),
    ],
)
def test_it_refuses_another_format_or_version(cycled, change, message):
    data = export_strategy(cycled) | change
    cycled.delete()

    with pytest.raises(ExchangeError, match=message) as raised:
        import_strategy(data)
    assert "\n" not in str(raised.value)
    assert not Strategy.objects.exists()


def test_it_refuses_what_is_not_an_export(db):
    with pytest.raises(ExchangeError, match="not a planboard strategy export"):
        import_strategy([1, 2, 3])


def test_bad_data_late_in_the_file_leaves_nothing_behind(cycled):
    data = export_strategy(cycled)
    data["papers"][-1]["format"] = "rtf"
    cycled.delete()
    users = get_user_model().objects.count()

    with pytest.raises(ExchangeError, match=r'papers\[1\]: "format" is "rtf"'):
        import_strategy(data)
    assert not Strategy.objects.exists()
    assert get_user_model().objects.count() == users


@pytest.mark.parametrize(
    ("section", "field", "value", "message"),
    [
        ("actions", "ref", "one", r'actions\[0\]: "one" is not a ref'),
        ("actions", "area", "Nowhere", r'actions\[0\]: there is no area "Nowhere"'),
        ("updates", "period", "2020/21 Q1", r'updates\[0\]: there is no period "2020/21 Q1"'),
        ("periods", "starts_on", "1st October", r"periods\[0\]: .*invalid date format"),
        ("rag_levels", "label", "x" * 41, r'rag_levels\[0\]: "label" is 41 characters long'),
    ],
)
def test_bad_data_is_refused_naming_the_place(cycled, section, field, value, message):
    data = export_strategy(cycled)
    data[section][0][field] = value
    cycled.delete()

    with pytest.raises(ExchangeError, match=message):
        import_strategy(data)


def test_a_template_that_does_not_match_its_checksum_is_refused(cycled):
    data = export_strategy(cycled)
    data["paper_templates"][0]["checksum"] = "0" * 64
    cycled.delete()

    with pytest.raises(ExchangeError, match="does not match its checksum"):
        import_strategy(data)


# --- the commands -------------------------------------------------------------


def test_export_to_standard_output_puts_the_actions_under_actions(cycled):
    out = io.StringIO()
    call_command("export", "--strategy", "sue", "-o", "-", stdout=out)

    data = json.loads(out.getvalue())
    assert [a["ref"] for a in data["actions"]][:3] == ["1.1", "1.2", "1.3"]
    assert out.getvalue() == dumps(export_strategy(cycled))


def test_the_commands_round_trip_through_a_file(cycled, tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    call_command("export", "--strategy", "sue", "-o", str(first))
    cycled.delete()
    out = io.StringIO()

    call_command("import_json", str(first), stdout=out)
    call_command("export", "--strategy", "sue", "-o", str(second))

    assert json.loads(out.getvalue())["actions"] == 49
    assert second.read_bytes() == first.read_bytes()
    assert not list(tmp_path.glob(".*partial"))


def test_export_names_an_unknown_strategy(db):
    with pytest.raises(CommandError, match='no strategy with the slug "nope"'):
        call_command("export", "--strategy", "nope", "-o", "-")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", r"broken.json: not JSON \(Expecting property name"),
        ('{"format": "planboard-strategy", "version": 9}', "broken.json: This export is version 9"),
    ],
)
def test_import_json_gives_one_line_for_a_bad_file(db, tmp_path, text, message):
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")

    with pytest.raises(CommandError, match=message) as raised:
        call_command("import_json", str(path))
    assert "\n" not in str(raised.value)


def test_import_json_names_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="there is no such file"):
        call_command("import_json", str(tmp_path / "missing.json"))


def test_a_reviewers_change_of_rating_and_target_round_trips(cycled):
    waiting = Update.objects.get(period__label=Q4, action__theme__number=1, action__number=2)
    accept_update(
        waiting,
        user=get_user_model().objects.get(username="gail"),
        expected_version=waiting.version,
        adjusted_rag=cycled.rag_levels.get(label="Red"),
        adjusted_target_date=datetime.date(2017, 12, 31),
        adjustment_reason="Behind the plan.",
        when=FEBRUARY,
    )

    first, second, _ = _round_trip(cycled)

    assert second == first
    update = next(
        u for u in json.loads(first)["updates"] if (u["period"], u["action"]) == (Q4, "1.2")
    )
    assert (update["adjusted_rag"], update["adjusted_target_date"]) == ("Red", "2017-12-31")
    assert update["adjustment_reason"] == "Behind the plan."
    again = Update.objects.get(period__label=Q4, action__theme__number=1, action__number=2)
    assert (again.proposed_rag, again.adjusted_rag.label) == (None, "Red")
