"""The ``planboard`` command run in this process, through the installed script's own entry point.

Starting the installed command takes about a second (a new Python, Django and
planboard's libraries), so each command has one test that starts it in a new process;
the other tests of a command's exit status and output run it here, through
``planboard.cli.main`` as the script does, and assert the same things. Those that
start a process are marked ``subprocess``; scripts/run-tests runs them all.

The settings are this test run's, already loaded: a test about settings read from the
environment at start-up needs a new process.
"""

import io
import os
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from unittest import mock


@dataclass
class Result:
    """What the command did, as ``subprocess.run`` reports it."""

    returncode: int
    stdout: str
    stderr: str


def planboard(*args, env=None) -> Result:
    """Run ``planboard ARGS`` here, with ``env`` added to the environment."""
    from django.db import connections

    from planboard.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    returncode = 0
    # Django closes every database connection when a command ends, which would end the
    # test's transaction; the test's connection stays open instead.
    with (
        mock.patch.dict(os.environ, env or {}),
        mock.patch.object(connections, "close_all"),
        redirect_stdout(stdout),
        redirect_stderr(stderr),
    ):
        try:
            main(["planboard", *args])
        except SystemExit as exit:
            if isinstance(exit.code, str):
                stderr.write(f"{exit.code}\n")
            returncode = 1 if isinstance(exit.code, str) else exit.code or 0
    return Result(returncode, stdout.getvalue(), stderr.getvalue())
