"""The cycle in the admin: periods set up there, everything else shown as recorded."""

import pytest
from django.urls import reverse

from planboard.progress.services import accept_update, close_period
from tests.progress.cycle import JUNE, submit

MODELS = ["reportingperiod", "update", "targetchange", "actionsnapshot", "reminder"]


@pytest.fixture
def admin(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin"))
    return client


@pytest.fixture
def history(plan):
    update = submit(plan.review, plan.mia, "Delayed.", new_target_date=JUNE, reason="Leave.")
    accept_update(update, user=plan.gail, expected_version=1)
    close_period(plan.period, user=plan.gail)
    plan.update = update
    return plan


@pytest.mark.parametrize("model", MODELS)
def test_each_model_lists_in_the_admin(admin, history, model):
    response = admin.get(reverse(f"admin:progress_{model}_changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize("model", ["update", "targetchange", "actionsnapshot", "reminder"])
def test_the_records_of_the_cycle_cannot_be_added_in_the_admin(admin, db, model):
    assert admin.get(reverse(f"admin:progress_{model}_add")).status_code == 403


def test_a_snapshot_is_shown_but_cannot_be_changed(admin, history):
    snapshot = history.period.snapshots.get(ref="1.1")
    url = reverse("admin:progress_actionsnapshot_change", args=[snapshot.pk])

    response = admin.get(url)
    refused = admin.post(url, {"text": "Rewritten."})

    assert response.status_code == 200 and "Save" not in response.text
    assert refused.status_code == 403
    snapshot.refresh_from_db()
    assert snapshot.text == "Review the structure of SUSEG meetings."


def test_an_updates_history_shows_in_the_admin(admin, history):
    url = reverse("admin:progress_update_history", args=[history.update.pk])

    assert admin.get(url).status_code == 200


def test_a_period_is_set_up_in_the_admin(admin, plan):
    response = admin.post(
        reverse("admin:progress_reportingperiod_add"),
        {
            "strategy": plan.strategy.pk,
            "label": "2017/18 Q1",
            "starts_on": "2017-04-01",
            "ends_on": "2017-06-30",
            "updates_due": "2017-07-14",
        },
    )

    assert response.status_code == 302
    assert plan.strategy.periods.get(label="2017/18 Q1").status == "planned"


def test_a_period_due_before_it_starts_is_refused_in_the_admin(admin, plan):
    response = admin.post(
        reverse("admin:progress_reportingperiod_add"),
        {
            "strategy": plan.strategy.pk,
            "label": "2017/18 Q1",
            "starts_on": "2017-04-01",
            "ends_on": "2017-06-30",
            "updates_due": "2017-03-01",
        },
    )

    assert response.status_code == 200
    assert "Updates cannot be due before the period starts (1 April 2017)" in response.text


def test_a_closed_period_cannot_be_changed_or_deleted_in_the_admin(admin, history):
    change = reverse("admin:progress_reportingperiod_change", args=[history.period.pk])
    delete = reverse("admin:progress_reportingperiod_delete", args=[history.period.pk])

    assert "Save" not in admin.get(change).text
    assert admin.get(delete).status_code == 403


def test_a_period_overlapping_another_is_refused_in_the_admin(admin, plan):
    response = admin.post(
        reverse("admin:progress_reportingperiod_add"),
        {
            "strategy": plan.strategy.pk,
            "label": "March",
            "starts_on": "2017-03-01",
            "ends_on": "2017-03-31",
            "updates_due": "2017-03-31",
        },
    )

    assert response.status_code == 200
    assert "This period would overlap 2016/17 Q4 (1 Jan 2017 to 31 Mar 2017)." in response.text
