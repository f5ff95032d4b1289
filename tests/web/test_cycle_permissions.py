"""Who may do what in the cycle: leads their own actions, governance everything, board reads."""

import pytest
from django.core.exceptions import PermissionDenied

from planboard.progress.models import Update
from planboard.progress.services import submit_update
from tests.web.cycle import review_url, update_url

pytestmark = pytest.mark.django_db

UPDATE_LINK = "Update this action"


@pytest.mark.parametrize(("ref", "allowed"), [("1.1", False), ("1.2", True), ("1.3", True)])
def test_a_lead_may_open_the_form_only_for_actions_of_roles_they_hold(
    client_for, other_lead, open_quarter, ref, allowed
):
    response = client_for(other_lead).get(update_url(ref))

    assert response.status_code == (200 if allowed else 403)


def test_the_refusal_says_why(client_for, lead, open_quarter):
    response = client_for(lead).get(update_url("1.3"))

    assert response.status_code == 403
    assert "You cannot do this" in response.text
    assert "You do not lead action 1.3, so you cannot give its update." in response.text


def test_a_board_member_reads_but_cannot_update(client_for, board_member, open_quarter):
    client = client_for(board_member)

    assert client.get("/strategies/demo/actions/1.1/").status_code == 200
    assert UPDATE_LINK not in client.get("/strategies/demo/actions/1.1/").text
    assert client.get(update_url("1.1")).status_code == 403
    posted = client.post(update_url("1.1"), {"narrative": "x"})
    assert posted.status_code == 403
    assert Update.objects.count() == 0


def test_a_board_member_reads_periods_but_cannot_run_them(client_for, board_member, open_quarter):
    client = client_for(board_member)

    assert client.get("/strategies/demo/periods/").status_code == 200
    assert client.get("/strategies/demo/periods/2016-17-q4/").status_code == 200
    assert client.get(review_url()).status_code == 403
    assert client.get("/strategies/demo/periods/2016-17-q4/close/").status_code == 403
    assert client.post("/strategies/demo/periods/2016-17-q4/close/").status_code == 403
    assert client.post("/strategies/demo/periods/open/", {"label": "2017/18 Q1"}).status_code == 403
    open_quarter.refresh_from_db()
    assert open_quarter.is_open


def test_a_lead_cannot_review(client_for, lead, open_quarter, small_plan):
    update = submit_update(small_plan.review, user=lead, narrative="Mine.")
    client = client_for(lead)

    assert client.get(review_url()).status_code == 403
    posted = client.post(
        review_url(), {"update": update.pk, "version": 1, "decision": "accept", "comment": ""}
    )
    assert posted.status_code == 403
    update.refresh_from_db()
    assert update.status == "submitted"


def test_the_action_page_offers_the_update_to_its_leads_and_governance(
    client_for, lead, governor, open_quarter
):
    assert UPDATE_LINK in client_for(lead).get("/strategies/demo/actions/1.1/").text
    assert UPDATE_LINK not in client_for(lead).get("/strategies/demo/actions/2.1/").text
    assert UPDATE_LINK in client_for(governor).get("/strategies/demo/actions/2.1/").text


def test_the_service_refuses_a_non_lead_too(lead, open_quarter, small_plan):
    with pytest.raises(PermissionDenied):
        submit_update(small_plan.materials, user=lead, narrative="Not mine.")
    assert Update.objects.count() == 0
