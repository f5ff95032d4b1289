"""Two people saving the same update: the second is shown both versions and loses nothing."""

import pytest
from django.contrib.auth.models import Group

from planboard.people.access import LEAD
from planboard.progress.models import Update
from tests.web.cycle import level_id, open_form, send_update
from tests.web.pages import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def laura(django_user_model, groups, small_plan):
    """Laura Di Bona's account: she holds EM too, so she leads the same actions as Mia."""
    account = django_user_model.objects.create_user(
        "ldibona", first_name="Laura", last_name="Di Bona"
    )
    account.groups.add(Group.objects.get(name=LEAD))
    small_plan.laura.user = account
    small_plan.laura.save()
    return account


def test_the_second_of_two_new_updates_gets_the_conflict_page(
    client_for, lead, laura, open_quarter
):
    mia, laura_client = client_for(lead), client_for(laura)
    mias_form, lauras_form = open_form(mia, "1.1"), open_form(laura_client, "1.1")

    first = send_update(mia, "1.1", data=mias_form, narrative="Mia: SUSEG moved sites.")
    second = send_update(
        laura_client, "1.1", data=lauras_form, narrative="Laura: SUSEG has new chairs."
    )

    assert first.status_code == 302
    assert second.status_code == 409
    text = second.text
    assert "Your update was not saved" in text
    assert "Your version" in text and "The saved version" in text
    assert "Mia: SUSEG moved sites." in text
    assert "Laura: SUSEG has new chairs." in text
    assert "by Mia Bajin" in text
    assert Update.objects.get().narrative == "Mia: SUSEG moved sites."


def test_the_conflict_page_keeps_everything_typed_ready_to_send_again(
    client_for, lead, laura, open_quarter, small_plan
):
    mia, laura_client = client_for(lead), client_for(laura)
    send_update(mia, "1.1", narrative="Mia's text.")
    mias_form, lauras_form = open_form(mia, "1.1"), open_form(laura_client, "1.1")
    assert mias_form["version"] == lauras_form["version"] == "1"
    send_update(mia, "1.1", data=mias_form, narrative="Mia's second text.")

    conflict = send_update(
        laura_client,
        "1.1",
        data=lauras_form,
        narrative="Laura's text.",
        rag=level_id(small_plan.strategy, "Amber"),
        target_moves="yes",
        **{"target_date-month": "9", "target_date-year": "2017"},
        target_reason="New chairs need time.",
    )

    assert conflict.status_code == 409
    kept = form_data(conflict.text)
    assert kept["narrative"] == "Laura's text."
    assert kept["rag"] == level_id(small_plan.strategy, "Amber")
    assert kept["target_moves"] == "yes"
    assert (kept["target_date-month"], kept["target_date-year"]) == ("9", "2017")
    assert kept["target_reason"] == "New chairs need time."
    assert kept["version"] == "2"  # the saved version, so sending again is deliberate
    assert "Mia&#39;s second text." in conflict.text


def test_sending_again_from_the_conflict_page_saves_and_keeps_the_other_in_history(
    client_for, lead, laura, open_quarter
):
    mia, laura_client = client_for(lead), client_for(laura)
    send_update(mia, "1.1", narrative="Mia's text.")
    lauras_form = open_form(laura_client, "1.1")
    send_update(mia, "1.1", narrative="Mia's second text.")
    conflict = send_update(laura_client, "1.1", data=lauras_form, narrative="Laura's text.")

    again = laura_client.post("/strategies/demo/actions/1.1/update/", form_data(conflict.text))

    assert again.status_code == 302
    update = Update.objects.get()
    assert update.narrative == "Laura's text."
    assert update.submitted_by == laura
    narratives = set(update.history.values_list("narrative", flat=True))
    assert {"Mia's text.", "Mia's second text.", "Laura's text."} <= narratives


def test_a_lead_editing_while_governance_enters_it_on_their_behalf(
    client_for, lead, governor, open_quarter
):
    mia, governance = client_for(lead), client_for(governor)
    mias_form = open_form(mia, "1.1")
    send_update(governance, "1.1", narrative="Entered from the SUSEG minutes.")

    conflict = send_update(mia, "1.1", data=mias_form, narrative="Mia's own words.")

    assert conflict.status_code == 409
    assert "Entered from the SUSEG minutes." in conflict.text
    assert form_data(conflict.text)["narrative"] == "Mia's own words."
