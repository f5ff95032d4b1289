"""Tests for tests/test_database_only.py to sort: collected only when named."""

import pytest

from planboard.plans.models import Strategy


@pytest.fixture
def through_another_fixture(db):
    return Strategy.objects.count()


@pytest.fixture
def unblocked(django_db_blocker):
    with django_db_blocker.unblock():
        return Strategy.objects.count()


def test_pure():
    assert 1 + 1 == 2


def test_pure_but_queries():
    with pytest.raises(RuntimeError, match="Database access not allowed"):
        Strategy.objects.count()


def test_with_db(db):
    assert Strategy.objects.count() == 0


@pytest.mark.django_db
def test_with_the_mark():
    assert Strategy.objects.count() == 0


def test_through_another_fixture(through_another_fixture):
    assert through_another_fixture == 0


def test_unblocked(unblocked):
    assert unblocked == 0


@pytest.mark.subprocess
def test_a_command():
    pass


@pytest.mark.subprocess
@pytest.mark.own_sqlite
def test_a_command_on_a_sqlite_file_of_its_own():
    pass
