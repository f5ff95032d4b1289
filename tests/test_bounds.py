"""The measures hostile-input tests rely on can tell work within the limits from work over."""

import pytest

from tests.bounds import cost_of, database_fingerprint


def take(mb):
    block = bytearray(mb * 1024 * 1024)
    block[::4096] = b"x" * len(block[::4096])  # touch every page
    return len(block)


def test_memory_taken_by_the_work_is_measured():
    small, large = cost_of(take, 10), cost_of(take, 400)
    assert small.error is None and small.result == 10 * 1024 * 1024
    assert small.peak_mb < 100 and small.within_limits()
    assert 390 < large.peak_mb < 500 and not large.within_limits()


def test_an_earlier_peak_does_not_hide_a_later_one():
    assert cost_of(take, 200).peak_mb > 190
    again = cost_of(take, 150)
    assert again.peak_mb > 140


def test_what_the_work_raised_is_kept():
    cost = cost_of(int, "not a number")
    assert isinstance(cost.error, ValueError)


@pytest.mark.django_db
def test_the_fingerprint_changes_with_any_row(django_user_model):
    before = database_fingerprint()
    assert database_fingerprint() == before
    django_user_model.objects.create(username="someone")
    assert database_fingerprint() != before
