"""``planboard backup`` and ``planboard restore``, on whichever engine the run uses.

The same tests run on SQLite and, in the second leg, on PostgreSQL. The data must be
committed (``transaction=True``) because the copy is read by another connection (SQLite)
or another process (pg_dump). A few tests are about one engine only; they say why.
"""

import hashlib
import io
import json
import sqlite3
import subprocess
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from planboard.papers.models import PaperTemplate
from planboard.plans.models import Action, Strategy
from tests.builders import make_strategy

committed = pytest.mark.django_db(transaction=True)


def run(command, *args, **options):
    """Call a command and return its JSON summary as a dict."""
    out = io.StringIO()
    call_command(command, *[str(a) for a in args], stdout=out, stderr=io.StringIO(), **options)
    return json.loads(out.getvalue().splitlines()[-1])


def refused(command, *args, **options) -> str:
    """Call a command that must fail, and return its one-line message."""
    with pytest.raises(CommandError) as caught:
        run(command, *args, **options)
    message = str(caught.value)
    assert "\n" not in message
    return message


def actions():
    return list(Action.objects.order_by("id").values_list("id", "text", "progress", "target_date"))


def only_on(vendor, reason):
    if connection.vendor != vendor:
        pytest.skip(f"{vendor} only: {reason}")


@committed
def test_backup_of_the_seed_is_checked_and_summarised(seed_strategy, tmp_path):
    path = tmp_path / "planboard.backup"

    summary = run("backup", path)

    assert summary["path"] == str(path)
    assert summary["engine"] == connection.vendor
    assert summary["bytes"] == path.stat().st_size > 0
    assert summary["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert summary["rows"]["plans_action"] == 49 == Action.objects.count()
    assert summary["rows"]["plans_strategy"] == 1
    assert summary["tables"] > 20
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "planboard.backup",
        "planboard.backup.manifest.json",
    ], "no temporary file left"
    assert path.stat().st_mode & 0o077 == 0, "a backup holds password hashes: owner only"
    assert summary["manifest"] == f"{path}.manifest.json"
    checked = run("restore", path, check=True)
    assert checked["rows"] == summary["rows"]
    assert checked["sha256"] == summary["sha256"]


@committed
def test_restore_into_a_changed_database_brings_the_rows_back_exactly(seed_strategy, tmp_path):
    template = bytes(range(256)) * 40  # a Word template is stored in the database
    PaperTemplate.objects.create(name="Board", content=template, checksum="x")
    before = actions()
    path = tmp_path / "before.backup"
    run("backup", path)

    Action.objects.filter(id__in=[a[0] for a in before[:10]]).delete()
    Action.objects.filter(id=before[20][0]).update(text="Rewritten", progress="Lost")
    make_strategy(slug="added-later")
    PaperTemplate.objects.all().delete()

    summary = run("restore", path, yes=True)

    assert actions() == before
    assert list(Strategy.objects.values_list("slug", flat=True)) == ["sue"]
    assert bytes(PaperTemplate.objects.get().content) == template
    assert summary["rows"]["plans_action"] == 49
    assert summary["pending_migrations"] == 0


@committed
def test_backup_while_another_thread_keeps_writing(seed_strategy, tmp_path):
    stop, written, failures = threading.Event(), [], []

    def writer():
        try:
            while not stop.is_set():
                written.append(make_strategy(title="Written meanwhile").slug)
        except Exception as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5 and thread.is_alive():
            threading.Event().wait(0.01)
        summary = run("backup", tmp_path / "busy.backup")
    finally:
        stop.set()
        thread.join()

    assert failures == []
    assert 1 + 5 <= summary["rows"]["plans_strategy"] <= 1 + len(written)
    checked = run("restore", tmp_path / "busy.backup", check=True)
    assert checked["rows"] == summary["rows"]


@committed
def test_a_truncated_backup_is_refused_and_the_database_is_unchanged(seed_strategy, tmp_path):
    path = tmp_path / "whole.backup"
    run("backup", path)
    data = path.read_bytes()
    truncated = tmp_path / "truncated.backup"
    truncated.write_bytes(data[: len(data) // 2])
    Action.objects.filter(id=Action.objects.order_by("id").first().id).update(text="Changed")
    before = actions()

    # Without a manifest (as from an older planboard), the file's own checks refuse it.
    message = refused("restore", truncated, yes=True, unverified=True)

    assert str(truncated) in message
    assert "not a usable" in message
    assert actions() == before
    assert "not a usable" in refused("restore", truncated, check=True, unverified=True)


@committed
def test_a_file_that_is_not_a_backup_is_refused(seed_strategy, seed_path):
    before = actions()

    message = refused("restore", seed_path, yes=True, unverified=True)

    assert message.startswith(f"{seed_path} is not a usable")
    assert actions() == before


@committed
def test_a_backup_from_a_newer_planboard_is_refused(seed_strategy, tmp_path):
    recorder = MigrationRecorder(connection)
    recorder.record_applied("plans", "9999_from_the_future")
    path = tmp_path / "newer.backup"
    try:
        run("backup", path)
    finally:
        recorder.record_unapplied("plans", "9999_from_the_future")
    Action.objects.all().delete()

    message = refused("restore", path, yes=True)

    assert "plans.9999_from_the_future is unknown here" in message
    assert Action.objects.count() == 0
    assert not recorder.migration_qs.filter(name="9999_from_the_future").exists()


@committed
def test_backup_refuses_to_overwrite_without_force(seed_strategy, tmp_path):
    path = tmp_path / "existing.backup"
    path.write_text("an older backup")

    message = refused("backup", path)

    assert message == f"{path} already exists; add --force to replace it."
    assert path.read_text() == "an older backup"
    summary = run("backup", path, force=True)
    assert summary["rows"]["plans_action"] == 49
    assert run("restore", path, check=True)["sha256"] == summary["sha256"]


def test_backup_into_a_folder_that_does_not_exist_is_one_line(tmp_path):
    message = refused("backup", tmp_path / "missing" / "planboard.backup")

    assert message == f"The folder {tmp_path / 'missing'} does not exist."


def test_restore_without_yes_is_refused_when_nobody_can_be_asked(tmp_path):
    path = tmp_path / "any.backup"
    path.write_bytes(b"whatever")

    message = refused("restore", path)

    assert message == "Restore replaces everything in the database; add --yes to confirm."


def test_restore_of_a_missing_file_is_one_line(tmp_path):
    message = refused("restore", tmp_path / "gone.backup", yes=True)

    assert message == f"{tmp_path / 'gone.backup'} does not exist."


@committed
def test_sqlite_copy_stands_alone_and_open_connections_see_a_restore(seed_strategy, tmp_path):
    only_on("sqlite", "journal files and other connections to the same database file")
    path = tmp_path / "copy.sqlite3"
    run("backup", path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "copy.sqlite3",
        "copy.sqlite3.manifest.json",
    ]
    with sqlite3.connect(path) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    live_name = connection.settings_dict["NAME"]
    other = sqlite3.connect(live_name)
    Action.objects.all().delete()
    assert other.execute("SELECT COUNT(*) FROM plans_action").fetchone() == (0,)

    run("restore", path, yes=True)

    assert other.execute("SELECT COUNT(*) FROM plans_action").fetchone() == (49,)
    assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    other.close()


@committed
def test_postgresql_programs_that_cannot_be_found_are_named(seed_strategy, tmp_path, monkeypatch):
    only_on("postgresql", "SQLite needs no outside programs")
    monkeypatch.setenv("PG_BIN_DIR", str(tmp_path))

    message = refused("backup", tmp_path / "planboard.backup")

    assert message.startswith(f"pg_dump was not found in PG_BIN_DIR ({tmp_path})")
    assert "postgresql-client-" in message
    assert list(tmp_path.iterdir()) == []


@committed
def test_an_older_backup_is_restored_and_migrate_is_asked_for(seed_strategy, tmp_path):
    recorder = MigrationRecorder(connection)
    last = recorder.migration_qs.filter(app="plans").order_by("-id").first()
    recorder.record_unapplied("plans", last.name)
    path = tmp_path / "older.backup"
    run("backup", path)
    recorder.record_applied("plans", last.name)
    out, err = io.StringIO(), io.StringIO()

    try:
        call_command("restore", str(path), yes=True, stdout=out, stderr=err)
        assert not recorder.migration_qs.filter(app="plans", name=last.name).exists()
    finally:
        recorder.record_applied("plans", last.name)  # the test database outlives the test
    assert json.loads(out.getvalue())["pending_migrations"] == 1
    assert "run planboard migrate" in err.getvalue()


@committed
def test_postgresql_backup_lacking_a_table_of_this_planboard_is_refused(seed_strategy, tmp_path):
    only_on("postgresql", "SQLite restores the whole file, so no table is left behind")
    from planboard.lib import backups_postgres

    path = tmp_path / "partial.backup"
    pg_dump = backups_postgres._pg_program("pg_dump", connection)
    subprocess.run(  # noqa: S603 - pg_dump with fixed arguments
        [pg_dump, "--format=custom", "--exclude-table=progress_reminder", f"--file={path}"],
        env=backups_postgres._pg_env(connection),
        check=True,
    )
    before = actions()

    message = refused("restore", path, yes=True, unverified=True)  # no manifest: made by hand

    assert "lacks the table progress_reminder" in message
    assert actions() == before
