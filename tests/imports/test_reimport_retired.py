"""A re-imported tracker that still lists a retired action leaves it retired and as it is."""

import pytest

from planboard.imports.table_import import import_table
from planboard.plans.action_changes import retire_action
from planboard.plans.models import Action
from tests.bounds import database_fingerprint
from tests.builders import make_role, make_strategy
from tests.imports.test_table_import import write_csv, write_xlsx
from tests.progress.cycle import governance

pytestmark = pytest.mark.django_db

TRACKER = [
    ["Ref", "Action", "Lead", "Target", "Status", "Raised at"],
    ["007", "Recruit experts by experience", "EM", "Mar 17", "In progress", "Board, Jan 2017"],
    ["008", "Set up a reference group", "EM", "Jun 17", "Not started", "QAC, Feb 2017"],
    ["A12", "Publish the terms of reference", "EM", "Sep 17", "Not started", ""],
]


@pytest.fixture
def imported(tmp_path):
    strategy = make_strategy(slug="plan")
    make_role(strategy, "Engagement Manager", "EM")
    gail = governance("gail")
    import_table(write_csv(tmp_path, TRACKER), strategy_slug="plan", user=gail)
    group = Action.objects.get(ref_as_written="008")
    retire_action(group, reason="Merged into 007", version=group.version, user=gail)
    return gail


def test_a_row_matching_a_retired_action_by_its_ref_leaves_it_retired_and_unchanged(
    imported, tmp_path
):
    changed = [list(row) for row in TRACKER]
    changed[2][1:5] = ["Set up two reference groups", "EM", "Dec 17", "In progress"]
    before = database_fingerprint()

    summary = import_table(write_xlsx(tmp_path, changed), strategy_slug="plan", user=imported)

    assert (summary["created"], summary["updated"], summary["unchanged"]) == (0, 0, 2)
    assert summary["retired"] == 1
    assert database_fingerprint() == before
    group = Action.objects.get(ref_as_written="008")
    assert group.is_retired and group.retired_reason == "Merged into 007"
    assert (group.text, group.status, group.version) == (
        "Set up a reference group",
        "not_started",
        2,
    )
    assert Action.objects.count() == 3
    assert Action.objects.filter(theme__strategy__slug="plan").in_plan().count() == 2


def test_the_other_rows_still_update_beside_a_retired_one(imported, tmp_path):
    changed = [list(row) for row in TRACKER]
    changed[1][4] = "Complete"
    changed[2][4] = "Complete"

    summary = import_table(write_csv(tmp_path, changed, name="v2.csv"), strategy_slug="plan")

    assert (summary["created"], summary["updated"], summary["retired"]) == (0, 1, 1)
    assert Action.objects.get(ref_as_written="007").status == "complete"
    assert Action.objects.get(ref_as_written="008").status == "not_started"


def test_a_row_without_a_ref_matching_a_retired_action_by_its_words_leaves_it_too(
    imported, tmp_path
):
    rows = [["Action", "Lead", "Status"], ["Set up a reference group", "EM", "Complete"]]

    summary = import_table(write_csv(tmp_path, rows, name="words.csv"), strategy_slug="plan")

    assert (summary["created"], summary["updated"], summary["retired"]) == (0, 0, 1)
    assert Action.objects.get(ref_as_written="008").status == "not_started"
    assert Action.objects.count() == 3
