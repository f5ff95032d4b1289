"""Work run in a process of its own under a memory and a time limit returns its result,
raises its error, and is stopped at either limit without costing this process."""

import time

import pytest

from planboard.lib.bounded import OverLimit, run_bounded
from tests.bounds import cost_of


def add(a, b):
    return a + b


def refuse(reason):
    raise ValueError(reason)


def hold(megabytes):
    block = bytearray(megabytes * 1024 * 1024)
    block[::4096] = b"x" * len(block[::4096])  # touch every page
    return len(block)


def spin(seconds):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_it_returns_what_the_work_returns():
    assert run_bounded(add, 2, 3, memory_mb=100, seconds=10) == 5


def test_it_raises_what_the_work_raised():
    with pytest.raises(ValueError, match="not today"):
        run_bounded(refuse, "not today", memory_mb=100, seconds=10)


def test_work_within_its_memory_limit_is_done():
    assert run_bounded(hold, 50, memory_mb=200, seconds=10) == 50 * 1024 * 1024


def test_work_over_its_memory_limit_is_stopped_without_costing_this_process():
    cost = cost_of(run_bounded, hold, 1000, memory_mb=200, seconds=10)
    assert isinstance(cost.error, OverLimit) and cost.error.limit == "memory"
    assert cost.within_limits(), cost


def test_work_over_its_time_limit_is_stopped_at_the_limit():
    cost = cost_of(run_bounded, spin, 30, memory_mb=100, seconds=0.5)
    assert isinstance(cost.error, OverLimit) and cost.error.limit == "time"
    assert cost.seconds < 1.5, cost
