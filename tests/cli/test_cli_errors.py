"""The planboard command ends a database or configuration problem with one line."""

import os
import subprocess
import sys
from pathlib import Path

PLANBOARD = Path(sys.executable).with_name("planboard")


def run(*args, tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    environment.update({"PLANBOARD_VAR_DIR": str(tmp_path), "HTTPS": "false", **env})
    return subprocess.run(  # noqa: S603 - our own command
        [str(PLANBOARD), *args], env=environment, capture_output=True, text=True, check=False
    )


def test_a_database_that_was_never_migrated_gets_one_line(tmp_path, seed_path):
    result = run(
        "import-paper",
        str(seed_path),
        tmp_path=tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'new.sqlite3'}",
    )

    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "database error" in result.stderr and "planboard migrate" in result.stderr


def test_an_unreachable_database_gets_one_line(tmp_path):
    result = run(
        "check",
        "--strategy",
        "sue",
        tmp_path=tmp_path,
        DATABASE_URL="postgres://nobody@127.0.0.1:9/nothing",
    )

    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("planboard: database error:")
