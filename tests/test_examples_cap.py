"""PLANBOARD_TEST_EXAMPLES (set by scripts/run-tests for the PostgreSQL pass) caps how many
examples each property test tries; unset, every test tries as many as it asks for."""

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import EXAMPLES_VARIABLE, few_examples_on_the_second_database


def property_test(max_examples):
    tried = []

    @settings(max_examples=max_examples, database=None)
    @given(st.integers())
    def test(number):
        tried.append(number)

    return test, tried


class AClass:
    @settings(max_examples=40, database=None)
    @given(st.integers())
    def test(self, number):
        self.tried.append(number)


def test_unset_each_property_test_tries_what_it_asks_for(monkeypatch):
    monkeypatch.delenv(EXAMPLES_VARIABLE, raising=False)
    test, tried = property_test(40)
    few_examples_on_the_second_database([SimpleNamespace(obj=test)])
    test()
    assert len(tried) == 40


def test_set_each_property_test_tries_at_most_that_many(monkeypatch):
    monkeypatch.setenv(EXAMPLES_VARIABLE, "5")
    many, tried_many = property_test(40)
    few, tried_few = property_test(3)
    few_examples_on_the_second_database(
        [SimpleNamespace(obj=many), SimpleNamespace(obj=few), SimpleNamespace(obj=len)]
    )
    many()
    few()
    assert len(tried_many) == 5
    assert len(tried_few) == 3


def test_set_it_caps_a_test_classs_methods_too(monkeypatch):
    monkeypatch.setenv(EXAMPLES_VARIABLE, "5")
    instance = AClass()
    instance.tried = []
    few_examples_on_the_second_database([SimpleNamespace(obj=instance.test)])
    instance.test()
    assert len(instance.tried) == 5
