"""The strategy's setting that lets a small governance team review their own updates:
off by default, and changed by the governance team in the admin, like the strategy's
other settings, through the service that records who changed it."""

import pytest
from django.urls import reverse

from planboard.plans.models import Strategy
from tests.builders import make_strategy
from tests.cast import governance
from tests.web.pages import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategy(db):
    return make_strategy(slug="sue", title="Service User Engagement Strategy")


@pytest.fixture
def admin(client, strategy):
    client.force_login(governance())
    return client


def change_url(strategy):
    return reverse("admin:plans_strategy_change", args=[strategy.pk])


def test_it_is_off_for_a_new_strategy(strategy):
    assert strategy.allow_own_review is False


def test_the_admin_shows_it_under_reviewing_updates_with_what_it_does(admin, strategy):
    text = admin.get(change_url(strategy)).text

    assert "Reviewing updates" in text
    assert 'name="allow_own_review"' in text
    assert "Let the governance team review their own updates" in text
    assert "For a governance team too small for a second reviewer." in text


def test_the_governance_team_turns_it_on_and_off_in_the_admin(admin, strategy):
    url = change_url(strategy)
    data = form_data(admin.get(url).text)
    assert "allow_own_review" not in data

    response = admin.post(url, {**data, "allow_own_review": "on"})

    assert response.status_code == 302
    strategy = Strategy.objects.get(pk=strategy.pk)
    assert strategy.allow_own_review is True
    latest = strategy.history.first()
    assert (latest.history_user.username, latest.history_change_reason) == (
        "gail",
        "Changed in the admin",
    )
    data = form_data(admin.get(url).text)
    assert data.pop("allow_own_review") == "on"
    admin.post(url, data)
    assert Strategy.objects.get(pk=strategy.pk).allow_own_review is False
