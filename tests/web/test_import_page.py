"""The import page: upload a table, check the preview, adjust the mapping, then confirm."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from planboard.imports.models import PendingImport
from planboard.plans.action_changes import retire_action
from planboard.plans.models import Action
from tests.web.pages import form_data

pytestmark = pytest.mark.django_db

IMPORT = "/strategies/demo/import/"
CSV = (
    b"Workstream,Description,Owner,Due,Status,Notes\n"
    b"Patient voice,Run a listening event in each directorate.,EM,31/03/2017,In progress,Booked\n"
    b",Write a leaflet on giving feedback.,Head of SUEMU,June 2017,Not started,\n"
    b"Training,Review the structure of SUSEG meetings.,EM,Sept 2017,Completed,Done\n"
)
BAD_DATE = CSV + b"Training,Train two more facilitators.,EM,sometime soon,Not started,\n"


def upload(client, data=CSV, name="workplan.csv", **extra):
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(IMPORT, {"file": file, **extra})


def preview_url(response) -> str:
    assert response.status_code == 302, response.text
    assert re.fullmatch(r"/strategies/demo/import/\d+/", response.url)
    return response.url


def select_for(html: str, header: str) -> str:
    """The name of the select for the column headed ``header``."""
    found = re.search(
        rf'scope="row">{re.escape(header)}</th>.*?<select[^>]*name="(column_\d+)"', html, re.S
    )
    assert found, header
    return found.group(1)


def test_governance_sees_the_columns_and_rows_before_anything_is_written(
    client_for, governor, small_plan
):
    client = client_for(governor)
    before = Action.objects.count()

    url = preview_url(upload(client))
    text = client.get(url).text

    assert Action.objects.count() == before
    for header in ("Workstream", "Description", "Owner", "Due", "Status", "Notes"):
        assert f'scope="row">{header}</th>' in text
    data = form_data(text)
    assert data[select_for(text, "Description")] == "text"
    assert data[select_for(text, "Owner")] == "lead"
    assert data[select_for(text, "Notes")] == "ignore"
    assert "Run a listening event in each directorate." in text
    assert "31 Mar 2017" in text
    assert "Import 3 actions" in text


def test_adjusting_the_mapping_updates_the_preview_and_the_import(client_for, governor, small_plan):
    client = client_for(governor)
    url = preview_url(upload(client))
    text = client.get(url).text
    data = form_data(text)
    data.pop("csrfmiddlewaretoken", None)
    data[select_for(text, "Status")] = "status"
    data[select_for(text, "Notes")] = "progress"

    response = client.post(url, data)

    assert response.status_code == 302 and response.url == url
    assert PendingImport.objects.get().mapping["Notes"] == "progress"
    text = client.get(url).text
    assert form_data(text)[select_for(text, "Notes")] == "progress"
    assert "Ratings not in the RAG key" not in text  # "In progress" is now a status

    before = Action.objects.count()
    done = client.post(url + "confirm/")

    assert done.status_code == 302 and done.url == "/strategies/demo/"
    assert Action.objects.count() == before + 2  # the third row matches an action by text
    event = Action.objects.get(text="Run a listening event in each directorate.")
    assert event.progress == "Booked"
    assert not PendingImport.objects.exists()
    page = client.get(done.url).text
    assert "workplan.csv is imported: actions 2 added, 1 changed, 0 unchanged." in page


def test_the_confirmed_import_is_in_the_history_as_the_importer(client_for, governor, small_plan):
    client = client_for(governor)
    url = preview_url(upload(client))

    client.post(url + "confirm/")

    for text in (
        "Run a listening event in each directorate.",
        "Write a leaflet on giving feedback.",
        "Review the structure of SUSEG meetings.",
    ):
        latest = Action.objects.get(text=text).history.first()
        assert latest.history_user == governor
        assert latest.history_change_reason == "Imported from workplan.csv"


def test_two_columns_mapped_to_one_field_are_refused(client_for, governor, small_plan):
    client = client_for(governor)
    url = preview_url(upload(client))
    text = client.get(url).text
    data = form_data(text)
    data[select_for(text, "Notes")] = "lead"

    response = client.post(url, data)

    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "are both read as lead" in response.text
    assert PendingImport.objects.get().mapping == {}


def test_a_problem_row_is_listed_and_confirming_writes_nothing(client_for, governor, small_plan):
    client = client_for(governor)
    url = preview_url(upload(client, BAD_DATE))
    text = client.get(url).text

    assert 'scope="row">Row 5</th>' in text
    assert "sometime soon" in text
    assert "Import 4 actions" not in text

    before = Action.objects.count()
    histories = Action.history.count()
    response = client.post(url + "confirm/")

    assert response.status_code == 400
    assert "Nothing was imported" in response.text
    assert "workplan.csv, row 5:" in response.text
    assert (Action.objects.count(), Action.history.count()) == (before, histories)
    assert PendingImport.objects.exists()


@pytest.mark.parametrize("who", ["lead", "board_member"])
def test_only_governance_may_import(request, client_for, small_plan, who):
    client = client_for(request.getfixturevalue(who))

    assert client.get(IMPORT).status_code == 403
    assert upload(client).status_code == 403
    assert not PendingImport.objects.exists()


def test_another_persons_upload_is_not_found(client_for, governor, small_plan, django_user_model):
    url = preview_url(upload(client_for(governor)))
    other = django_user_model.objects.create_user("other", is_superuser=True)

    assert client_for(other).get(url).status_code == 404
    assert client_for(other).post(url + "confirm/").status_code == 404


def test_a_file_that_is_not_a_table_gets_a_one_line_error(client_for, governor, small_plan):
    response = upload(client_for(governor), b"%PDF-1.7\n" + b"x" * 100, name="plan.csv")

    assert response.status_code == 400
    assert "There is a problem" in response.text
    message = re.search(r'<a href="#import-file"[^>]*>\s*(.*?)\s*</a>', response.text, re.S).group(
        1
    )
    assert message.startswith("plan.csv:") and "PDF" in message
    assert "\n" not in message
    assert not PendingImport.objects.exists()


def test_a_file_over_the_limit_is_refused(client_for, governor, small_plan, monkeypatch):
    monkeypatch.setattr("planboard.web.import_forms.MAX_FILE_BYTES", 100)

    response = upload(client_for(governor))

    assert response.status_code == 400
    assert "files of up to 20 MB can be imported" in response.text
    assert not PendingImport.objects.exists()


def test_uploading_without_a_file_asks_for_one(client_for, governor, small_plan):
    response = client_for(governor).post(IMPORT, {})

    assert response.status_code == 400
    assert "Choose a CSV, Excel or Word file to import" in response.text


def test_the_upload_page_and_plan_link(client_for, governor, board_member, small_plan):
    assert "Import a table of actions" in client_for(governor).get("/strategies/demo/").text
    assert "Import a table of actions" not in client_for(board_member).get("/strategies/demo/").text
    text = client_for(governor).get(IMPORT).text
    assert 'enctype="multipart/form-data"' in text and 'name="file"' in text


def test_old_uploads_are_deleted_by_a_new_upload(client_for, governor, small_plan):
    import datetime

    from django.utils import timezone

    client = client_for(governor)
    preview_url(upload(client))
    PendingImport.objects.update(uploaded_at=timezone.now() - datetime.timedelta(days=2))

    preview_url(upload(client))

    assert PendingImport.objects.count() == 1


def test_leaving_without_importing_forgets_the_upload_and_writes_nothing(
    client_for, governor, small_plan
):
    client = client_for(governor)
    url = preview_url(upload(client))
    before = Action.objects.count()

    response = client.post(url + "discard/")

    assert response.status_code == 302 and response.url == "/strategies/demo/"
    assert not PendingImport.objects.exists()
    assert Action.objects.count() == before
    assert "Nothing was imported from workplan.csv." in client.get(response.url).text


def test_only_the_uploader_in_governance_may_discard_an_upload(
    client_for, governor, lead, small_plan, django_user_model
):
    url = preview_url(upload(client_for(governor)))

    assert client_for(lead).post(url + "discard/").status_code == 403
    assert client_for(governor).get(url + "discard/").status_code == 405
    assert PendingImport.objects.count() == 1


def test_a_retired_action_the_file_lists_stays_retired_and_the_page_says_so(
    client_for, governor, small_plan
):
    review = small_plan.review  # "Review the structure of SUSEG meetings."
    retire_action(review, reason="Done by the new committee", version=review.version, user=governor)
    client = client_for(governor)

    done = client.post(preview_url(upload(client)) + "confirm/")

    page = client.get(done.url).text
    assert "actions 2 added, 0 changed, 0 unchanged. 1 retired action it lists stayed retired." in (
        page
    )
    review = Action.objects.get(pk=review.pk)
    assert review.is_retired and review.progress != "Done"
