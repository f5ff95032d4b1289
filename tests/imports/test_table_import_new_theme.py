"""``planboard import-table --new-theme NAME``: the rows whose ref names no theme go into a
new theme of that name; without it the command keeps its documented default (theme 1,
named after --title or the file when it is made)."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from planboard.imports.models import ConfirmedImport
from planboard.plans.models import Action, Strategy
from tests.builders import make_strategy, make_theme

pytestmark = pytest.mark.django_db

ROWS = (
    "Ref,Action,Lead\n"
    ",Run a listening event in each directorate.,EM\n"
    "4,Write a leaflet on giving feedback.,EM\n"
    "2.5,Review the structure of the reach group.,EM\n"
)


@pytest.fixture
def tracker(tmp_path):
    path = tmp_path / "7. tracker.csv"
    path.write_text(ROWS)
    return path


def run(path, *args):
    out = io.StringIO()
    call_command("import_table", str(path), "--strategy", "plan", *args, stdout=out)
    return json.loads(out.getvalue())


def test_rows_without_a_theme_go_into_the_new_theme_named(tracker):
    strategy = make_strategy(slug="plan", title="Plan")
    make_theme(strategy, title="Access")

    summary = run(tracker, "--new-theme", "Carers")

    assert summary["created"] == 3
    themes = dict(strategy.themes.values_list("number", "title"))
    assert themes == {1: "Access", 2: "Theme 2", 3: "Carers"}
    refs = dict(Action.objects.values_list("text", "theme__number"))
    assert refs["Run a listening event in each directorate."] == 3
    assert Action.objects.get(text="Write a leaflet on giving feedback.").ref == "3.4"
    assert refs["Review the structure of the reach group."] == 2
    assert ConfirmedImport.objects.get().source == "7. tracker.csv"


def test_without_it_the_command_keeps_its_default(tracker):
    run(tracker)

    strategy = Strategy.objects.get(slug="plan")
    assert dict(strategy.themes.values_list("number", "title")) == {
        1: "7. tracker",
        2: "Theme 2",
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--new-theme", " "], "--new-theme: Enter a name for the new theme"),
        (
            ["--new-theme", "access"],
            '--new-theme: The strategy already has a theme called "access": choose it instead',
        ),
        (["--new-theme", "Carers", "--theme", "2"], "give --theme or --new-theme, not both"),
    ],
)
def test_a_bad_new_theme_is_refused_in_one_line(tracker, args, message):
    make_theme(make_strategy(slug="plan", title="Plan"), title="Access")

    with pytest.raises(CommandError) as caught:
        run(tracker, *args)

    assert str(caught.value) == message
    assert not Action.objects.exists()
