"""The import preview says what each column was taken as and why, and the person may
change it: a "Status" column of sentences is progress, of ratings and states mixed is
read cell by cell."""

import pytest

from planboard.imports.models import PendingImport
from planboard.plans.models import Action, ActionStatus
from tests.web.pages import form_data
from tests.web.test_import_page import preview_url, select_for, upload

pytestmark = pytest.mark.django_db

TRACKER = (
    b"No.,Action,Meeting,Owner,Due,Revised due date,Status\n"
    b"Workstream 1: Patient voice,,,,,,\n"
    b"007,Hold a listening event on each ward.,Board 12 May,EM,31/03/2027,30/06/2027,"
    b"Two wards visited so far and the rest are booked for the spring\n"
    b"A-2,Write a leaflet on giving feedback.,Quality Committee,EM,June 2027,,"
    b"The first draft has gone to the patient panel for comments\n"
)
MIXED = (
    b"Action,Owner,Due,Status\n"
    b"Hold a listening event on each ward.,EM,Mar 2027,Not started\n"
    b"Write a leaflet on giving feedback.,EM,Jun 2027,G\n"
    b"Close the old inbox.,EM,Jan 2027,Complete\n"
)


def reason_for(html: str, header: str) -> str:
    start = html.index(f'scope="row">{header}</th>')
    cell = html.index("pb-column-reason", start)
    return html[html.index(">", cell) + 1 : html.index("</td>", cell)].strip()


def test_the_preview_shows_each_columns_meaning_and_reason(client_for, governor, small_plan):
    client = client_for(governor)

    text = client.get(preview_url(upload(client, TRACKER, name="tracker.csv"))).text

    data = form_data(text)
    assert data[select_for(text, "Status")] == "progress"
    assert reason_for(text, "Status") == "2 of 2 values are sentences"
    assert data[select_for(text, "Revised due date")] == "revised"
    assert data[select_for(text, "Meeting")] == "source"
    assert data[select_for(text, "No.")] == "ref"
    assert "(moved from 31 Mar 2027)" in text
    assert "Row 2: a heading: &#34;Workstream 1: Patient voice&#34;" in text.replace(
        "&quot;", "&#34;"
    )
    assert "Import 2 actions" in text


def test_changing_a_columns_meaning_changes_the_import(client_for, governor, small_plan):
    client = client_for(governor)
    url = preview_url(upload(client, MIXED, name="mixed.csv"))
    text = client.get(url).text
    assert form_data(text)[select_for(text, "Status")] == "mixed"
    assert "read cell by cell" in reason_for(text, "Status")
    data = form_data(text)
    data.pop("csrfmiddlewaretoken", None)
    data[select_for(text, "Status")] = "status"

    response = client.post(url, data)

    assert response.status_code == 302
    assert PendingImport.objects.get().mapping["Status"] == "status"
    text = client.get(url).text
    assert reason_for(text, "Status") == "chosen on the preview (or with --map)"
    client.post(url + "confirm/")
    leaflet = Action.objects.get(text="Write a leaflet on giving feedback.")
    assert (leaflet.status, leaflet.rag_text) == (ActionStatus.IN_PROGRESS, "")
    inbox = Action.objects.get(text="Close the old inbox.")
    assert inbox.status == ActionStatus.COMPLETE


def test_left_as_found_the_mixed_column_gives_ratings_and_statuses(
    client_for, governor, small_plan
):
    client = client_for(governor)
    url = preview_url(upload(client, MIXED, name="mixed.csv"))

    client.post(url + "confirm/")

    event = Action.objects.get(text="Hold a listening event on each ward.")
    leaflet = Action.objects.get(text="Write a leaflet on giving feedback.")
    assert (event.status, event.rag_level) == (ActionStatus.NOT_STARTED, None)
    assert (leaflet.rag_text, leaflet.rag_level.label) == ("G", "Green")


def test_a_sentence_in_a_column_chosen_as_ratings_is_listed_as_moved_to_progress(
    client_for, governor, small_plan
):
    client = client_for(governor)
    table = b"Action,RAG\nOne,Green\nTwo,Waiting for the estates team to confirm the booking\n"
    url = preview_url(upload(client, table, name="rag.csv"))
    text = client.get(url).text
    assert form_data(text)[select_for(text, "RAG")] == "mixed"  # a rating and a sentence
    data = form_data(text)
    data.pop("csrfmiddlewaretoken", None)
    data[select_for(text, "RAG")] = "rag"

    client.post(url, data)

    text = client.get(url).text.replace("&#34;", '"').replace("&quot;", '"')
    assert "Text moved to progress (1)" in text
    assert 'Row 3: the RAG rating in "RAG" is a sentence: kept as progress' in text
    assert "Import 2 actions" in text


def test_the_source_and_the_ref_as_written_show_on_the_action_page(
    client_for, governor, small_plan
):
    client = client_for(governor)
    client.post(preview_url(upload(client, TRACKER, name="tracker.csv")) + "confirm/")
    event = Action.objects.get(ref_as_written="007")

    page = client.get(f"/strategies/demo/actions/{event.ref}/").text

    assert "Ref in the tracker" in page and ">007<" in page.replace("\n", "").replace(" ", "")
    assert "Where it came from" in page and "Board 12 May" in page
    untouched = client.get("/strategies/demo/actions/1.1/").text
    assert "Ref in the tracker" not in untouched and "Where it came from" not in untouched
