"""A re-import writes its changed actions in bulk: what it writes is what saving each action
would write (its fields, its links as ``.set()`` leaves them, one history row with
its links), in a number of queries that does not grow with the rows changed."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planboard.imports.table_import import import_table
from planboard.plans.models import Action
from tests.builders import make_strategy, make_theme
from tests.progress.cycle import governance

pytestmark = pytest.mark.django_db

HEADER = ["Ref", "Workstream", "Action", "Progress", "Owner", "Due", "Status", "Commitments"]


def write_csv(tmp_path, rows, name):
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows([HEADER, *rows])
    path = tmp_path / name
    path.write_bytes(text.getvalue().encode())
    return path


def tracker(count: int, *, version: int) -> list[list[str]]:
    """``count`` actions of theme 1; each version changes every action's progress and
    rating, and moves leads and commitments on some."""
    ratings = ("Green", "Amber", "Red")
    owners = ("EM", "EM / Head of CG", "Head of CG")
    return [
        [
            f"1.{n}",
            f"Workstream {n % 4}",
            f"Action {n}: we will listen.",
            f"Progress {version}",
            owners[(n + version) % 3],
            "Mar 17",
            ratings[(n + version) % 3],
            "1, 2" if (n + version) % 2 else "2, 3",
        ]
        for n in range(1, count + 1)
    ]


@pytest.fixture
def plan(db):
    strategy = make_strategy(slug="plan")
    make_theme(strategy, 1, commitments=3)
    return strategy


def tracked(action) -> dict:
    """The fields a history row keeps, as the action has them."""
    history_model = type(action.history.first())
    return {field.attname: getattr(action, field.attname) for field in history_model.tracked_fields}


def test_changed_actions_are_written_as_saving_each_would(tmp_path, plan):
    user = governance("gail")
    import_table(write_csv(tmp_path, tracker(6, version=1), "v1.csv"), strategy_slug="plan")
    # Action 1.3 is led by EM and Head of CG in the first version, Head of CG in the second.
    kept_link = Action.leads.through.objects.get(action__number=3, role__title="Head of CG")

    summary = import_table(
        write_csv(tmp_path, tracker(6, version=2), "v2.csv"), strategy_slug="plan", user=user
    )

    assert summary["updated"] == 6
    for action in Action.objects.filter(theme__strategy=plan).prefetch_related("leads"):
        latest = action.history.first()
        assert action.history.count() == 2 and action.version == 2
        assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
            "~",
            user,
            "Imported from v2.csv",
        )
        assert {f: getattr(latest, f) for f in tracked(action)} == tracked(action)
        assert {link.role_id for link in latest.leads.all()} == {r.pk for r in action.leads.all()}
        assert {link.commitment_id for link in latest.commitments.all()} == set(
            action.commitments.values_list("pk", flat=True)
        )
        assert action.progress == "Progress 2"
    # A link the action keeps is left as it was, as .set() leaves it.
    assert Action.leads.through.objects.filter(pk=kept_link.pk).exists()


def test_the_queries_of_a_reimport_do_not_grow_with_the_actions_it_changes(tmp_path, plan):
    def queries_to_change(count):
        slug = f"plan-{count}"
        import_table(write_csv(tmp_path, tracker(count, version=1), "v1.csv"), strategy_slug=slug)
        again = write_csv(tmp_path, tracker(count, version=2), "v2.csv")
        with CaptureQueriesContext(connection) as queries:
            summary = import_table(again, strategy_slug=slug)
        assert summary["updated"] == count
        return len(queries)

    few, many = queries_to_change(20), queries_to_change(300)

    # Statements are batched (SQLite takes at most 999 values in one), so a few more
    # for 15 times the rows, not several per row.
    assert many - few < 30, (few, many)
