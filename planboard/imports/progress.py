"""How far a long import has got, for its page: rows read of rows total, actions written.

An import read or written by a worker (``planboard.imports.jobs``) shows its progress.
The readers and the writer need not know who is watching: each says how many rows it
expects (``expect``) and how far it has got (``reached``), and whoever runs them inside
``reporting(report)`` hears ``report(done, total)`` every ``EVERY`` rows, not every row.
Outside ``reporting`` both do nothing.
"""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar

EVERY = 250


class Tally:
    def __init__(self, report: Callable[[int, int], None]):
        self.report = report
        self.total = 0
        self.calls = 0

    def expect(self, total: int) -> None:
        self.total = total
        self.report(0, total)

    def reached(self, done: int) -> None:
        self.calls += 1
        if self.calls % EVERY == 0:
            # A table's last rows may be numbered past the count made before reading.
            self.total = max(self.total, done)
            self.report(done, self.total)


_tally: ContextVar[Tally | None] = ContextVar("import_progress", default=None)


@contextmanager
def reporting(report: Callable[[int, int], None]):
    """Call ``report(done, total)`` as the reading or writing run in this block gets on."""
    token = _tally.set(Tally(report))
    try:
        yield
    finally:
        _tally.reset(token)


def expect(total: int) -> None:
    """The rows (or actions) about to be read (or written), counted before starting."""
    if (tally := _tally.get()) is not None:
        tally.expect(total)


def reached(done: int) -> None:
    """The row (or action) just read (or written)."""
    if (tally := _tally.get()) is not None:
        tally.reached(done)
