"""The "Your e-mails" page: what each person is sent, turning off the optional ones, and
the last e-mails planboard wrote to them; and the count and list governance sees."""

from django.urls import reverse

from planboard.notifications.models import Notification, TurnedOff
from planboard.notifications.services import Recipient, notify
from tests.bounds import database_fingerprint

PAGE = "/my-emails/"


def test_the_header_links_every_signed_in_person_to_their_e_mails(cycle, client):
    client.force_login(cycle.jane)
    page = client.get(reverse("home")).content.decode()

    assert f'href="{PAGE}"' in page and "Your e-mails" in page


def test_the_page_lists_what_is_always_sent_the_choices_and_the_last_e_mails(cycle, client):
    client.force_login(cycle.mia)
    page = client.get(PAGE).content.decode()

    assert "an update you lead is returned to you with a comment" in page
    for kind in ("update_accepted", "period_opened", "paper_ready"):
        assert f'value="{kind}" checked' in page
    assert "2016/17 Q4 is open for updates" in page  # the e-mail the opening wrote
    assert "Waiting to be sent" in page


def test_unticking_an_e_mail_turns_it_off_and_ticking_it_turns_it_back_on(cycle, client):
    client.force_login(cycle.mia)

    response = client.post(PAGE, {"receive": ["paper_ready"]}, follow=True)

    assert "Your choices of e-mails are saved." in response.content.decode()
    assert set(TurnedOff.objects.filter(user=cycle.mia).values_list("kind", flat=True)) == {
        "update_accepted",
        "period_opened",
    }
    page = client.get(PAGE).content.decode()
    assert 'value="paper_ready" checked' in page
    assert 'value="update_accepted" checked' not in page

    client.post(PAGE, {"receive": ["paper_ready", "update_accepted", "period_opened"]})
    assert not TurnedOff.objects.filter(user=cycle.mia).exists()


def test_a_kind_that_cannot_be_turned_off_is_refused_and_nothing_changes(cycle, client):
    client.force_login(cycle.mia)
    client.post(PAGE, {"receive": ["paper_ready"]})
    before = database_fingerprint()

    response = client.post(PAGE, {"receive": ["paper_ready", "update_returned"]})

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#receive"' in page
    assert page.count("Choose only from the e-mails listed: the others cannot be turned off.") == 2
    assert "Error: Your e-mails" in page
    assert database_fingerprint() == before


def test_someone_not_signed_in_is_sent_to_sign_in(db, client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/sign-in/" in response.url


def test_the_page_costs_the_same_however_many_e_mails(cycle, client, django_assert_max_num_queries):
    for number in range(25):
        notify(
            "paper_ready",
            f"paper-ready:{number}",
            [Recipient("mia@trust.example", cycle.mia, "Mia")],
            subject=f"File {number} is ready",
            link="https://planboard.trust.example/",
            context={},
        )
    client.force_login(cycle.mia)
    client.get(PAGE)

    with django_assert_max_num_queries(8):
        page = client.get(PAGE).content.decode()
    assert [n for n in range(25) if f"File {n} is ready" in page] == list(range(15, 25))


def test_governance_sees_failed_e_mails_in_a_fixed_number_of_queries(
    cycle, client, django_assert_max_num_queries
):
    Notification.objects.update(status="failed", last_error="Connection refused")
    client.force_login(cycle.gail)
    client.get(reverse("failed_emails"))

    with django_assert_max_num_queries(8):
        page = client.get(reverse("failed_emails")).content.decode()
    assert page.count("Connection refused") == Notification.objects.count() == 2
    assert "mia@trust.example" in page and "jane@trust.example" in page


def test_the_failed_count_is_shown_only_to_governance(cycle, client):
    Notification.objects.update(status="failed")
    client.force_login(cycle.mia)
    assert "could not be sent" not in client.get(reverse("home")).content.decode()

    client.force_login(cycle.gail)
    page = client.get(reverse("home")).content.decode()
    assert "2 e-mails could not be sent." in page
    assert 'href="/emails/failed/"' in page
