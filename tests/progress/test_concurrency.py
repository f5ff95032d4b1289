"""Concurrent writers, each on its own database connection: nothing locked, nothing lost.

Runs on SQLite (WAL, IMMEDIATE transactions, a busy timeout) and, under
``scripts/with-postgres``, on PostgreSQL.
"""

import threading

import pytest
from django.db import connection, connections

from planboard.people.access import GOVERNANCE
from planboard.progress.models import ReportingPeriod, Update
from planboard.progress.services import CycleError, EditConflict, close_period, submit_update
from tests.builders import make_action, make_role, make_strategy, make_theme
from tests.progress.cycle import lead, make_user, open_quarter

WRITERS = 8
ROUNDS = 5

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(count, work):
    """Run ``work(i)`` in ``count`` threads at once; return (results, unexpected errors)."""
    results, errors = [None] * count, []

    def run(i):
        try:
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - every error is a failure to report
            errors.append(f"writer {i}: {type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    return results, errors


def version_of(action):
    update = Update.objects.filter(action=action).first()
    return update.version if update else None


@pytest.fixture
def team():
    """Eight leads, each with an action of their own, all sharing one more action."""
    strategy = make_strategy(slug="busy")
    theme = make_theme(strategy)
    everyone = make_role(strategy, "Steering group", "SUSEG")
    leads, own = [], []
    for i in range(WRITERS):
        role = make_role(strategy, f"Lead {i}", f"L{i}")
        own.append(make_action(theme, f"Action of lead {i}.", leads=[role]))
        leads.append(lead(strategy, [role, everyone], f"lead{i}"))
    shared = make_action(theme, "Everyone's action.", leads=[everyone])
    open_quarter(strategy)
    submit_update(shared, user=leads[0], narrative="Opening text.")
    return leads, own, shared


def test_the_sqlite_database_runs_in_wal_mode(transactional_db):
    if connection.vendor != "sqlite":
        pytest.skip("WAL is SQLite's")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert connection.settings_dict["OPTIONS"]["timeout"] >= 20


def test_eight_writers_lose_nothing_and_are_never_locked_out(team):
    leads, own, shared = team
    barrier = threading.Barrier(WRITERS, timeout=60)

    def work(i):
        saved, refused = [], 0
        for round_ in range(ROUNDS):
            submit_update(
                own[i],
                user=leads[i],
                narrative=f"Writer {i}, round {round_}.",
                expected_version=version_of(own[i]),
            )
            version = version_of(shared)
            barrier.wait()  # everyone has read the same version of the shared update
            text = f"Shared text by writer {i}, round {round_}."
            try:
                update = submit_update(
                    shared, user=leads[i], narrative=text, expected_version=version
                )
            except EditConflict as conflict:
                assert conflict.current.version > version
                refused += 1
            else:
                saved.append((update.version, text))
            barrier.wait()  # the round is over before anyone reads again
        return saved, refused

    results, errors = run_together(WRITERS, work)

    assert errors == []
    for i, action in enumerate(own):
        mine = Update.objects.get(action=action)
        assert (mine.narrative, mine.version) == (f"Writer {i}, round {ROUNDS - 1}.", ROUNDS)
        assert mine.history.count() == ROUNDS
    saved = sorted(save for writer_saved, _ in results for save in writer_saved)
    refused = sum(writer_refused for _, writer_refused in results)
    assert len(saved) == ROUNDS  # of the eight that read one version, one saved
    assert len(saved) + refused == WRITERS * ROUNDS
    final = Update.objects.get(action=shared)
    assert final.version == 1 + len(saved)
    assert [version for version, _ in saved] == list(range(2, final.version + 1))
    assert final.narrative == saved[-1][1]
    history = {h.version: h.narrative for h in final.history.all()}
    assert all(history[version] == text for version, text in saved)


def test_of_two_writers_reading_one_version_exactly_one_saves(team):
    leads, _, shared = team
    version = version_of(shared)
    barrier = threading.Barrier(2, timeout=60)

    def work(i):
        barrier.wait()
        try:
            submit_update(
                shared, user=leads[i], narrative=f"Text of writer {i}.", expected_version=version
            )
        except EditConflict as conflict:
            return conflict.current.narrative
        return "saved"

    results, errors = run_together(2, work)

    assert errors == []
    assert results.count("saved") == 1
    [winner_text] = [result for result in results if result != "saved"]
    assert winner_text in ("Text of writer 0.", "Text of writer 1.")
    assert Update.objects.get(action=shared).narrative == winner_text


def test_an_update_racing_the_close_is_in_the_snapshot_or_refused(team):
    leads, own, _ = team
    period = ReportingPeriod.objects.get()
    gail = make_user("gail", GOVERNANCE)
    barrier = threading.Barrier(WRITERS, timeout=60)

    def work(i):
        barrier.wait()
        if i == 0:
            close_period(period, user=gail, confirm_not_accepted=True)
            return "closed"
        try:
            submit_update(own[i], user=leads[i], narrative=f"Raced by writer {i}.")
        except CycleError:
            return "refused"
        return "saved"

    results, errors = run_together(WRITERS, work)

    assert errors == []
    snapshots = {s.ref: s for s in period.snapshots.all()}
    for i in range(1, WRITERS):
        snapshot = snapshots[own[i].ref]
        if results[i] == "saved":
            assert snapshot.update["narrative"] == f"Raced by writer {i}."
        else:
            assert results[i] == "refused" and snapshot.update is None
    assert Update.objects.filter(period=period).count() == 1 + results.count("saved")
