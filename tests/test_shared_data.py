"""Shared test data (tests/shared.py) is seen by each test as built, and a change left in
it is caught when it is taken down."""

import pytest

from planboard.plans.models import Strategy
from tests.builders import make_strategy
from tests.shared import Layer, _Stack


def test_each_test_gets_the_shared_data_as_built(seed_strategy):
    assert seed_strategy.themes.count() == 6
    seed_strategy.themes.all().delete()
    seed_strategy.title = "Changed in memory and in the database"
    seed_strategy.save()


def test_a_change_by_an_earlier_test_is_gone(seed_strategy):
    assert seed_strategy.themes.count() == 6
    assert Strategy.objects.get(slug="sue").title == seed_strategy.title
    assert seed_strategy.title != "Changed in memory and in the database"


@pytest.mark.django_db
def test_a_test_that_does_not_ask_for_shared_data_sees_none_of_it():
    assert not Strategy.objects.exists()


def layer(slug):
    def build(db):
        return make_strategy(slug=slug)

    build.__name__ = slug
    return Layer(slug, build, ("db",))


@pytest.mark.django_db
def test_a_change_left_in_shared_data_fails_when_it_is_taken_down(django_db_blocker):
    stack = _Stack()
    stack.blocker = django_db_blocker
    stack.prepare_layers((layer("kept"),))
    stack.close()  # nothing changed: taken down quietly

    stack.prepare_layers((layer("changed"),))
    Strategy.objects.filter(slug="changed").update(title="Left behind")
    with pytest.raises(AssertionError, match="A test changed the data <shared changed>"):
        stack.close()
    assert not Strategy.objects.exists()
