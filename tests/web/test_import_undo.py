"""Undoing a confirmed import from the Imports page: everything it created deleted, every
change it made put back exactly, in one transaction recorded in history; refused, with
the database as it was, when later work would be lost or a period has closed since."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from planboard.imports.models import ConfirmedImport
from planboard.plans.editing import save_action
from planboard.plans.models import Action, Area, Commitment, Strategy, Theme
from planboard.progress.services import close_period, submit_update
from tests.bounds import database_fingerprint
from tests.imports.large import plan_of, tracker_csv
from tests.worker_process import run_worker

pytestmark = pytest.mark.django_db

IMPORT = "/strategies/demo/import/"
IMPORTS = "/strategies/demo/imports/"
QUERIES = 9  # the session, the account, the strategy, the imports, the periods ...
# Two new actions (a new area, a new role) and a change to 1.1 (progress, target, leads).
TRACKER = (
    b"Ref,Area,Action,Lead,Due,RAG,Progress\n"
    b"1.1,SUSEG,Review the structure of SUSEG meetings.,Head of SUEMU,June 2018,Amber,Moved\n"
    b",Carers,Run a listening event in each directorate.,Carers Lead,31/03/2017,Green,\n"
    b",Carers,Write a leaflet on giving feedback.,EM,June 2017,,\n"
)


def import_file(client, data=TRACKER, name="tracker.csv", **choice):
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    staged = client.post(IMPORT, {"file": file, **choice})
    assert staged.status_code == 302, staged.text
    done = client.post(staged.url + "confirm/")
    assert done.status_code == 302, done.text
    return ConfirmedImport.objects.order_by("-pk").first()


def undo(client, record):
    return client.post(f"{IMPORTS}{record.pk}/undo/")


def refusal(response) -> str:
    assert response.status_code == 400, response.status_code
    found = re.search(r'<a href="#import-\d+"[^>]*>\s*(.*?)\s*</a>', response.text, re.S)
    assert found, response.text
    return html.unescape(found.group(1))


def state_of(action: Action) -> dict:
    """Everything an action holds but its version, with its links."""
    action = Action.objects.get(pk=action.pk)
    fields = {
        f.attname: getattr(action, f.attname)
        for f in Action._meta.concrete_fields
        if f.name != "version"
    }
    fields["leads"] = sorted(action.leads.values_list("pk", flat=True))
    fields["commitments"] = sorted(action.commitments.values_list("pk", flat=True))
    return fields


def plan_records() -> dict:
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (Strategy, Theme, Area, Commitment, Action)
    }


def test_an_import_that_only_created_is_undone_completely(client_for, governor, small_plan):
    client = client_for(governor)
    tracker = TRACKER.split(b"\n", 2)
    created_only = tracker[0] + b"\n" + tracker[2]
    before, roles = plan_records(), set(small_plan.strategy.roles.values_list("pk", flat=True))

    record = import_file(client, created_only, into="new-theme", theme_name="Carers")
    assert record.summary["created"] == 2
    assert Theme.objects.filter(title="Carers").exists()

    response = undo(client, record)

    assert response.status_code == 302 and response.url == IMPORTS
    assert plan_records() == before
    assert set(small_plan.strategy.roles.values_list("pk", flat=True)) == roles
    gone = Action.history.filter(history_type="-")
    assert gone.count() == 2
    assert {row.history_change_reason for row in gone} == {"Undid the import of tracker.csv"}
    assert {row.history_user for row in gone} == {governor}
    record.refresh_from_db()
    assert record.undone_by == governor and record.undone_at is not None
    page = client.get(IMPORTS).text
    assert "Undone by" in page and "Undo this import" not in page


def test_a_reimport_that_changed_actions_is_put_back_exactly(client_for, governor, small_plan):
    client = client_for(governor)
    review = small_plan.review
    was = state_of(review)

    record = import_file(client)
    changed = state_of(review)
    assert changed != was and changed["progress"] == "Moved"
    assert changed["leads"] == [small_plan.head.pk]

    assert undo(client, record).status_code == 302

    assert state_of(review) == was
    latest = Action.objects.get(pk=review.pk).history.first()
    assert latest.history_change_reason == "Undid the import of tracker.csv"
    assert latest.history_user == governor
    page = client.get(f"/strategies/demo/actions/{review.ref}/").text
    assert "Undid the import of tracker.csv" in page
    assert not Action.objects.filter(text="Run a listening event in each directorate.").exists()


def test_an_undo_that_would_lose_a_later_edit_names_it_and_changes_nothing(
    client_for, governor, small_plan
):
    client = client_for(governor)
    record = import_file(client)
    review = Action.objects.get(pk=small_plan.review.pk)
    review.progress = "Corrected by hand after the import."
    save_action(review, user=governor, opened_version=review.version, changed=("progress",))
    before = database_fingerprint()

    message = refusal(undo(client, record))

    assert message.startswith("Undoing the import of tracker.csv would lose later edits: ")
    assert "action 1.1: progress changed by gail on" in message
    assert database_fingerprint() == before


def test_an_update_given_on_an_imported_action_stops_the_undo(
    client_for, governor, small_plan, open_quarter, lead
):
    client = client_for(governor)
    record = import_file(client)
    leaflet = Action.objects.get(text="Write a leaflet on giving feedback.")
    submit_update(leaflet, user=lead, narrative="Drafted the leaflet.")
    before = database_fingerprint()

    message = refusal(undo(client, record))

    assert f"{leaflet.ref}" in message and "was added since" in message
    assert database_fingerprint() == before


def test_an_import_cannot_be_undone_once_a_period_closed_after_it(
    client_for, governor, small_plan, open_quarter
):
    client = client_for(governor)
    record = import_file(client)
    close_period(open_quarter, user=governor)
    before = database_fingerprint()

    message = refusal(undo(client, record))

    assert message == (
        "The import of tracker.csv can no longer be undone: 2016/17 Q4 has closed since, "
        "and its snapshot holds what the import wrote."
    )
    assert database_fingerprint() == before
    assert "Can no longer be undone: 2016/17 Q4 has closed since" in client.get(IMPORTS).text


def test_an_import_that_made_a_strategy_is_undone_with_the_strategy(
    client_for, governor, small_plan
):
    client = client_for(governor)
    before, demo = plan_records(), plan_of()
    record = import_file(client, into="new-strategy", strategy_name="Carers plan")
    assert plan_of("carers-plan")
    assert "carers-plan" in client.get(IMPORTS).text

    assert undo(client, record).status_code == 302

    assert plan_records() == before
    assert plan_of() == demo
    assert not Strategy.objects.filter(slug="carers-plan").exists()


@pytest.mark.parametrize("who", ["lead", "board_member"])
def test_only_the_governance_team_sees_the_imports_or_undoes_one(
    client_for, governor, small_plan, request, who
):
    record = import_file(client_for(governor))
    client = client_for(request.getfixturevalue(who))
    before = database_fingerprint()

    assert client.get(IMPORTS).status_code == 403
    assert undo(client, record).status_code == 403

    assert database_fingerprint() == before


def test_the_imports_page_takes_the_same_queries_for_one_import_or_many(
    client_for, governor, small_plan, django_assert_max_num_queries
):
    client = client_for(governor)
    import_file(client)
    with django_assert_max_num_queries(QUERIES):
        client.get(IMPORTS)
    for n in range(4):
        rows = f"Ref,Action\n,Another action {n}.\n".encode()
        import_file(client, rows, name=f"more-{n}.csv")
    with django_assert_max_num_queries(QUERIES):
        page = client.get(IMPORTS).text
    assert page.count("Undo this import") == 5


def test_a_large_import_written_by_the_worker_is_undone(
    client_for, governor, small_plan, settings, monkeypatch
):
    settings.IMPORTS_IN_BACKGROUND = True
    settings.IMPORT_IN_BACKGROUND_OVER_KB = 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = client_for(governor)
    before = plan_of()

    file = SimpleUploadedFile("large.csv", tracker_csv(300), content_type="text/csv")
    reading = client.post(IMPORT, {"file": file})
    assert "/import/jobs/" in reading.url
    run_worker(monkeypatch)
    preview = client.get(reading.url).url
    writing = client.post(preview + "confirm/")
    assert "/import/jobs/" in writing.url
    run_worker(monkeypatch)
    assert client.get(writing.url).url == "/strategies/demo/"
    record = ConfirmedImport.objects.get()
    assert len(record.created["plans.action"]) == 300

    assert undo(client, record).status_code == 302

    assert plan_of() == before
