"""``--database-only`` (the second database's pass in scripts/run-tests) leaves out
exactly the tests that cannot reach the database: pytest-django refuses their queries."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

CASES = Path(__file__).parent / "reach" / "cases.py"


def collected(*options) -> set[str]:
    done = subprocess.run(  # noqa: S603 - pytest itself, on our own cases
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "--co",
            "-n",
            "0",
            "--subprocess",
            *options,
            str(CASES),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    )
    return {line.split("::")[1] for line in done.stdout.splitlines() if "::" in line}


def test_it_leaves_out_only_the_tests_that_cannot_reach_the_database():
    everything = collected()
    kept = collected("--database-only")

    assert everything - kept == {
        "test_pure",
        "test_pure_but_queries",
        "test_a_command_on_a_sqlite_file_of_its_own",
    }
    assert kept == {
        "test_with_db",
        "test_with_the_mark",
        "test_through_another_fixture",
        "test_unblocked",
        "test_a_command",
    }


def test_a_test_left_out_could_not_have_queried_the_database():
    done = subprocess.run(  # noqa: S603 - pytest itself, on our own cases
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-n",
            "0",
            "-p",
            "no:randomly",
            f"{CASES}::test_pure_but_queries",
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parent.parent,
    )
    assert done.returncode == 0, done.stdout


@pytest.mark.own_sqlite
def test_a_test_with_a_sqlite_file_of_its_own_has_no_database_to_pass_on():
    """A command such a test starts without naming its own database gets none that works."""
    from tests.conftest import NO_DATABASE

    assert os.environ["DATABASE_URL"] == NO_DATABASE
