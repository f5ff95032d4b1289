"""planboard's own SQLite database, migrated (and with the demo loaded) by the installed
command once per test run, for the tests that start planboard in processes of their own.

Migrating a new database takes the installed command about ten seconds of processor
time, and loading the demo a few more; a test that only needs a migrated database (or
the demo) to start a server or a command on copies the one made for the whole run
instead. The copy is made by the real commands, exactly as a test would make its own.

The run's pytest processes share one copy of each: the first to ask makes it, under a
lock, in the run's temporary folder (shared by pytest-xdist's workers).
"""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock

from tests.ops.conftest import PLANBOARD, unconfigured_environment

DATABASE_FILE = "planboard.sqlite3"


@dataclass
class PreparedDatabases:
    """Copies a prepared database folder into a test's ``PLANBOARD_VAR_DIR``."""

    root: Path

    def copy(self, var_dir: Path, *, demo: bool = False) -> str:
        """Copy the migrated database (with the demo loaded when ``demo``) into
        ``var_dir`` as ``planboard.sqlite3``, with the secret key it was made with, and
        give what ``planboard demo`` printed (empty without the demo)."""
        made = self._made("demo" if demo else "migrated")
        var_dir.mkdir(parents=True, exist_ok=True)
        for name in (DATABASE_FILE, "secret_key"):
            if (made / "var" / name).exists():
                shutil.copy2(made / "var" / name, var_dir / name)
        return (made / "output.txt").read_text()

    def copy_to_file(self, database: Path) -> None:
        """Copy the migrated database to the SQLite file ``database``."""
        made = self._made("migrated")
        database.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(made / "var" / DATABASE_FILE, database)

    def _made(self, kind: str) -> Path:
        folder = self.root / f"prepared-{kind}"
        with FileLock(f"{folder}.lock"):
            if not (folder / "output.txt").exists():
                _make(folder, demo=kind == "demo")
        return folder


def _make(folder: Path, *, demo: bool) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    env = {
        **unconfigured_environment(),
        "PLANBOARD_VAR_DIR": str(folder / "var"),
        "DEBUG": "false",
        "HTTPS": "false",
    }
    output = ""
    for command in (["migrate", "-v", "0"], ["demo"] if demo else None):
        if command:
            done = subprocess.run(  # noqa: S603 - our own command with fixed arguments
                [str(PLANBOARD), *command], env=env, capture_output=True, text=True, check=False
            )
            assert done.returncode == 0, done.stderr
            output = done.stdout
    (folder / "output.txt").write_text(output)


def run_root(tmp_path_factory) -> Path:
    """The run's temporary folder: shared by pytest-xdist's workers, new for each run."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
