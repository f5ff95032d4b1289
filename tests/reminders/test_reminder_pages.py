"""The reminder schedule's page and "Send reminders now" on the period's page: the
governance team's only, version-checked, bad input refused naming its field, and the
last run's outcome shown."""

from django.test import Client
from django.urls import reverse

from planboard.progress.models import ReminderRun, ReminderSchedule
from planboard.progress.schedule import save_reminder_schedule
from planboard.progress.services import close_period
from tests.bounds import database_fingerprint
from tests.web.pages import errors, form_data
from tests.worker_process import run_worker

SCHEDULE = reverse("reminder_schedule", kwargs={"slug": "sue"})
PERIOD = reverse("period", kwargs={"slug": "sue", "period": "2016-17-q4"})
SEND = reverse("send_reminders", kwargs={"slug": "sue", "period": "2016-17-q4"})


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def schedule_form(client, **changes) -> dict:
    data = form_data(client.get(SCHEDULE).content.decode())
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_the_page_shows_the_defaults_until_a_schedule_is_saved(cycle):
    page = signed_in(cycle.gail).get(SCHEDULE)

    assert page.status_code == 200
    data = form_data(page.content.decode())
    assert data["days_before"] == "7, 1"
    assert data["every_weekdays"] == "2"
    assert data["enabled"] == data["on_due_date"] == data["after_due"] == "on"
    assert data["version"] == "0"


def test_the_governance_team_saves_the_schedule_and_its_history_keeps_it(cycle):
    gail = signed_in(cycle.gail)

    response = gail.post(
        SCHEDULE, schedule_form(gail, days_before="1, 14 ,7", on_due_date=None, every_weekdays="3")
    )

    assert response.status_code == 302
    saved = ReminderSchedule.objects.get(strategy=cycle.strategy)
    assert (saved.days_before, saved.on_due_date, saved.every_weekdays) == ([14, 7, 1], False, 3)
    assert saved.history.get().history_user == cycle.gail
    page = gail.get(response.url).content.decode()
    assert "The reminder schedule of Service User Engagement Strategy is saved." in page
    assert form_data(page)["days_before"] == "14, 7, 1"


def test_only_the_governance_team_may_see_or_change_the_schedule(cycle):
    clients = [signed_in(user) for user in (cycle.mia, cycle.ken)]
    before = database_fingerprint()
    for client in clients:
        assert client.get(SCHEDULE).status_code == 403
        assert client.post(SCHEDULE, {"days_before": "1", "every_weekdays": "1"}).status_code == 403
        assert client.post(SEND).status_code == 403
    assert database_fingerprint() == before


def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(cycle):
    gail = signed_in(cycle.gail)
    before = database_fingerprint()

    response = gail.post(SCHEDULE, schedule_form(gail, days_before="7, next week"))
    assert response.status_code == 400
    summary, inline = errors(response.content.decode())
    assert summary == [
        (
            "#days-before",
            "Days before updates are due must be whole numbers from 1 to 90 separated by "
            'commas, such as "14, 7, 1" (not "next week")',
        )
    ]
    assert len(inline) == 1

    response = gail.post(SCHEDULE, schedule_form(gail, every_weekdays="0"))
    assert response.status_code == 400
    summary, _ = errors(response.content.decode())
    assert summary == [
        ("#every-weekdays", "Remind every how many weekdays must be a whole number from 1 to 20")
    ]
    assert database_fingerprint() == before


def test_a_schedule_saved_by_someone_else_meanwhile_is_not_overwritten(cycle):
    gail = signed_in(cycle.gail)
    opened = schedule_form(gail, days_before="3")
    save_reminder_schedule(
        cycle.strategy,
        {"enabled": True, "days_before": "10", "after_due": True, "every_weekdays": 1},
        version=0,
        user=cycle.gail,
    )

    response = gail.post(SCHEDULE, opened)

    assert response.status_code == 409
    page = response.content.decode()
    assert "Your changes were not saved" in page
    assert ReminderSchedule.objects.get().days_before == [10]
    again = form_data(page)
    assert (again["days_before"], again["version"]) == ("3", "1")

    assert gail.post(SCHEDULE, again).status_code == 302
    assert ReminderSchedule.objects.get().days_before == [3]


def test_the_period_page_offers_send_now_to_the_governance_team_only(cycle):
    page = signed_in(cycle.gail).get(PERIOD).content.decode()
    assert "Send reminders now" in page
    assert f'action="{SEND}"' in page
    assert "Reminders go out on their own 7 and 1 days before updates are due" in page
    assert "No reminders have been sent for 2016/17 Q4" in page

    lead_page = signed_in(cycle.mia).get(PERIOD).content.decode()
    assert "Send reminders now" not in lead_page
    assert 'id="reminders"' not in lead_page


def test_send_now_queues_a_run_and_the_page_shows_it_being_sent_then_its_outcome(
    cycle, mailoutbox, monkeypatch
):
    gail = signed_in(cycle.gail)

    response = gail.post(SEND)

    assert response.status_code == 302 and response.url == f"{PERIOD}#reminders"
    run = ReminderRun.objects.get()
    assert (run.trigger, run.status, run.requested_by) == ("now", "queued", cycle.gail)
    page = gail.get(PERIOD).content.decode()
    assert "The reminders for 2016/17 Q4 are being sent." in page
    assert "Being sent" in page
    assert gail.post(SEND).status_code == 302
    assert ReminderRun.objects.count() == 1  # pressed twice before it started: one run

    run_worker(monkeypatch)

    assert len(mailoutbox) == 3
    page = gail.get(PERIOD).content.decode()
    assert "Sent: sent 3, already sent today 0, without an e-mail address 1, failed 0" in page
    assert "sent now by request" in page

    gail.post(SEND)
    run_worker(monkeypatch)
    assert len(mailoutbox) == 3  # at most one of each reminder a day
    page = gail.get(PERIOD).content.decode()
    assert "Sent: sent 0, already sent today 3, without an e-mail address 1, failed 0" in page


def test_send_now_on_a_closed_period_is_refused_with_a_message(cycle):
    close_period(cycle.period, user=cycle.gail)
    gail = signed_in(cycle.gail)

    response = gail.post(SEND, follow=True)

    assert "2016/17 Q4 is not open, so there is nobody to remind." in response.content.decode()
    assert not ReminderRun.objects.exists()


def test_the_period_page_reads_the_reminders_in_a_fixed_number_of_queries(
    cycle, django_assert_max_num_queries, monkeypatch
):
    gail = signed_in(cycle.gail)
    gail.get(PERIOD)
    with django_assert_max_num_queries(40) as none_yet:
        gail.get(PERIOD)
    queries = len(none_yet.captured_queries)
    for _ in range(3):
        gail.post(SEND)
        run_worker(monkeypatch)
    with django_assert_max_num_queries(queries):
        page = gail.get(PERIOD)
    assert "already sent today 3" in page.content.decode()
