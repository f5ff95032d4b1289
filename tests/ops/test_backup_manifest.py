"""Every backup carries a manifest, and a restore refuses a file that does not match it.

A backup whose records were edited, or that gained a superuser, is still a sound
database, so only its manifest (size and SHA-256, signed with BACKUP_SIGNING_KEY when
there is one) tells it from the file planboard wrote. Each refusal is one line naming
the file, costs little, and leaves the live database exactly as it was. The tests run
on SQLite and, in the second leg, on PostgreSQL, as ``test_backup`` does.
"""

import io
import json
import sqlite3
from importlib.metadata import version

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from planboard.lib.backups_manifest import MAX_MANIFEST_BYTES
from planboard.plans.models import Action
from tests.bounds import database_fingerprint, refused_within_limits
from tests.ops.test_backup import committed, only_on, refused, run

KEY = "a long random key kept with the server's secrets"


def manifest_of(path):
    return path.with_name(path.name + ".manifest.json")


def read_manifest(path):
    return json.loads(manifest_of(path).read_text())


def write_manifest(path, manifest):
    manifest_of(path).write_text(json.dumps(manifest))


def with_a_superuser_added(tmp_path):
    """A sound backup of the database with an extra superuser, which is then removed."""
    intruder = get_user_model().objects.create_superuser("intruder", password="x" * 12)
    other = tmp_path / "other" / "planboard.backup"
    other.parent.mkdir()
    run("backup", other)
    intruder.delete()
    return other.read_bytes()


def refused_unchanged(path, **options) -> str:
    """The one-line refusal of ``restore PATH``, quick and with the database unchanged."""
    before = database_fingerprint()
    cost = refused_within_limits(_restore, path, expect=CommandError, **options)
    assert database_fingerprint() == before
    message = str(cost.error)
    assert "\n" not in message
    assert str(path) in message
    return message


def _restore(path, **options):
    run("restore", path, yes=True, **options)


@pytest.fixture
def backup(seed_strategy, tmp_path):
    path = tmp_path / "planboard.backup"
    run("backup", path)
    return path


# --- the manifest ---------------------------------------------------------------------


@committed
def test_a_backup_is_written_with_a_manifest_naming_the_file(seed_strategy, tmp_path):
    path = tmp_path / "planboard.backup"

    summary = run("backup", path)

    manifest = read_manifest(path)
    assert (manifest["format"], manifest["version"]) == ("planboard-backup-manifest", 1)
    assert manifest["file"] == "planboard.backup"
    assert (manifest["bytes"], manifest["sha256"]) == (summary["bytes"], summary["sha256"])
    assert manifest["engine"] == connection.vendor
    assert manifest["planboard"] == version("planboard")
    latest = MigrationRecorder(connection).migration_qs.filter(app="plans").order_by("-name")
    assert manifest["migrations"]["plans"] == latest.first().name
    assert manifest["made"] == summary["made"]
    assert manifest["made"].endswith("+00:00")
    assert "hmac_sha256" not in manifest and summary["signed"] is False
    assert manifest_of(path).stat().st_mode & 0o077 == 0


@committed
def test_a_backup_that_matches_its_manifest_says_it_was_verified(backup):
    checked = run("restore", backup, check=True)
    restored = run("restore", backup, yes=True)

    assert checked["verified"] == restored["verified"] == "sha256"
    assert checked["made"] == read_manifest(backup)["made"]


# --- refused, with the database unchanged -------------------------------------------


@committed
def test_a_backup_that_gained_a_superuser_is_refused(backup, tmp_path):
    backup.write_bytes(with_a_superuser_added(tmp_path))

    message = refused_unchanged(backup)

    assert message.startswith(f"{backup} does not match its manifest planboard.backup.manifest")
    assert not get_user_model().objects.filter(username="intruder").exists()
    assert "does not match its manifest" in refused("restore", backup, check=True)


@committed
def test_a_backup_whose_records_were_edited_in_place_is_refused(backup):
    only_on("sqlite", "a SQLite backup is a database anyone can open and edit")
    with sqlite3.connect(backup) as copy:
        copy.execute("UPDATE plans_action SET text = 'Edited'")
    copy.close()

    message = refused_unchanged(backup)

    assert "does not match its manifest" in message
    assert not Action.objects.filter(text="Edited").exists()


@committed
def test_a_changed_byte_of_the_same_size_is_refused(backup):
    data = bytearray(backup.read_bytes())
    data[len(data) // 2] ^= 0x01
    backup.write_bytes(bytes(data))

    assert refused_unchanged(backup).endswith("its SHA-256 differs; the file has been changed.")


@committed
def test_a_truncated_backup_is_refused_by_its_manifest(backup):
    data = backup.read_bytes()
    backup.write_bytes(data[: len(data) // 2])

    message = refused_unchanged(backup)

    assert f"the file has {len(data) // 2} bytes, the manifest says {len(data)}" in message


@committed
def test_a_backup_without_its_manifest_is_refused_unless_restored_unverified(backup):
    manifest_of(backup).unlink()

    message = refused_unchanged(backup)

    assert message.startswith(f"{backup} has no manifest (planboard.backup.manifest.json")
    assert "--unverified" in message
    assert refused("restore", backup, check=True) == message
    assert run("restore", backup, check=True, unverified=True)["verified"] == "none"
    assert run("restore", backup, yes=True, unverified=True)["rows"]["plans_action"] == 49


@committed
def test_unverified_does_not_excuse_a_manifest_that_does_not_match(backup, tmp_path):
    backup.write_bytes(with_a_superuser_added(tmp_path))

    assert "does not match its manifest" in refused_unchanged(backup, unverified=True)


@committed
def test_the_manifest_of_another_backup_is_refused(backup, tmp_path):
    renamed = tmp_path / "planboard-yesterday.backup"
    backup.rename(renamed)
    manifest_of(backup).rename(manifest_of(renamed))

    message = refused_unchanged(renamed)

    assert message.endswith("the manifest is for planboard.backup.")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"not json", "it is not JSON"),
        (b"[" * 60_000, "it is not JSON"),
        (b'{"format": "something else"}', "it does not say format planboard-backup-manifest"),
        (b" " * (MAX_MANIFEST_BYTES + 1), "it is larger than 64 KB"),
    ],
)
@committed
def test_a_manifest_that_is_not_one_is_refused(backup, content, says):
    manifest_of(backup).write_bytes(content)

    message = refused_unchanged(backup)

    assert message == f"{manifest_of(backup)} is not a planboard backup manifest: {says}."


@committed
def test_a_manifest_with_a_field_of_the_wrong_kind_is_refused(backup):
    manifest = read_manifest(backup)
    write_manifest(backup, {**manifest, "bytes": str(manifest["bytes"])})

    assert refused_unchanged(backup).endswith("its bytes is missing or wrong.")


# --- signed with BACKUP_SIGNING_KEY ----------------------------------------------------


@pytest.fixture
def signed(seed_strategy, tmp_path, settings):
    settings.BACKUP_SIGNING_KEY = KEY
    path = tmp_path / "signed.backup"
    summary = run("backup", path)
    assert summary["signed"] is True
    return path


@committed
def test_a_signed_backup_is_verified_with_the_key(signed):
    assert len(read_manifest(signed)["hmac_sha256"]) == 64
    assert run("restore", signed, check=True)["verified"] == "sha256 and signature"


@committed
def test_without_a_key_a_rewritten_manifest_is_not_detected(backup, tmp_path):
    # Why docs/backups.md recommends the key: a SHA-256 alone is only a checksum.
    data = with_a_superuser_added(tmp_path)
    backup.write_bytes(data)
    manifest = read_manifest(backup)
    other = read_manifest(tmp_path / "other" / "planboard.backup")
    write_manifest(backup, {**manifest, "bytes": len(data), "sha256": other["sha256"]})

    assert run("restore", backup, check=True)["verified"] == "sha256"


@committed
def test_with_a_key_a_rewritten_manifest_is_refused(signed, tmp_path):
    data = with_a_superuser_added(tmp_path)
    signed.write_bytes(data)
    manifest = read_manifest(signed)
    other = read_manifest(tmp_path / "other" / "planboard.backup")
    write_manifest(signed, {**manifest, "bytes": len(data), "sha256": other["sha256"]})

    message = refused_unchanged(signed)

    assert message == (
        f"{signed} has a manifest whose signature is wrong: the manifest was changed, "
        "or signed with another BACKUP_SIGNING_KEY."
    )


@committed
def test_with_a_key_a_manifest_whose_signature_was_removed_is_refused(signed, tmp_path):
    data = with_a_superuser_added(tmp_path)
    signed.write_bytes(data)
    manifest = read_manifest(signed)
    other = read_manifest(tmp_path / "other" / "planboard.backup")
    del manifest["hmac_sha256"]
    write_manifest(signed, {**manifest, "bytes": len(data), "sha256": other["sha256"]})

    message = refused_unchanged(signed)

    assert message.startswith(f"{signed} has an unsigned manifest, but BACKUP_SIGNING_KEY is set")


@committed
def test_a_backup_signed_with_another_key_is_refused(signed, settings):
    settings.BACKUP_SIGNING_KEY = "another key"

    assert "signed with another BACKUP_SIGNING_KEY" in refused_unchanged(signed)


@committed
def test_a_signed_backup_checked_without_the_key_says_the_signature_was_not_checked(
    signed, settings
):
    settings.BACKUP_SIGNING_KEY = ""

    checked = run("restore", signed, check=True)

    assert checked["verified"] == "sha256 (signature not checked: no key)"


def test_the_signing_key_is_read_from_the_environment(read_settings):
    assert read_settings({"DEBUG": "true"}).BACKUP_SIGNING_KEY == ""
    assert (
        read_settings({"DEBUG": "true", "BACKUP_SIGNING_KEY": f" {KEY} "}).BACKUP_SIGNING_KEY == KEY
    )


@committed
def test_the_command_says_on_standard_error_what_it_could_not_verify(signed, settings):
    settings.BACKUP_SIGNING_KEY = ""
    err = io.StringIO()
    call_command("restore", str(signed), check=True, stdout=io.StringIO(), stderr=err)
    assert "BACKUP_SIGNING_KEY is not set here, so only its SHA-256 was checked" in err.getvalue()

    manifest_of(signed).unlink()
    err = io.StringIO()
    call_command(
        "restore", str(signed), check=True, unverified=True, stdout=io.StringIO(), stderr=err
    )
    assert err.getvalue().strip() == f"{signed} has no manifest: it was not verified."


@pytest.mark.subprocess
@pytest.mark.own_sqlite
def test_the_installed_command_signs_and_verifies_with_the_key_from_the_environment(
    run_planboard, tmp_path, prepared_databases
):
    env = {"DEBUG": "true", "BACKUP_SIGNING_KEY": KEY}
    path = tmp_path / "planboard.backup"
    prepared_databases.copy(tmp_path / "var")
    made = run_planboard("backup", str(path), env=env)
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["signed"] is True

    checked = run_planboard("restore", str(path), "--check", env=env)
    assert checked.returncode == 0, checked.stderr
    assert json.loads(checked.stdout)["verified"] == "sha256 and signature"

    other = run_planboard("restore", str(path), "--check", env={**env, "BACKUP_SIGNING_KEY": "x"})
    assert other.returncode == 1
    assert other.stderr.strip().splitlines() == [
        f"CommandError: {path} has a manifest whose signature is wrong: the manifest was "
        "changed, or signed with another BACKUP_SIGNING_KEY."
    ]
