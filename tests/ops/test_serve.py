"""``planboard serve`` runs gunicorn on the port asked for, and refuses bad options."""

import contextlib
import gc
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path
from unittest import mock

import pytest
from gunicorn.app.wsgiapp import WSGIApplication

from planboard import gunicorn_conf
from planboard.web.management.commands.serve import gunicorn_argv
from tests.console import planboard
from tests.ops.conftest import PLANBOARD
from tests.ops.served import free_port


def test_it_binds_the_host_and_port_given():
    argv = gunicorn_argv("127.0.0.1", 8123, 3)

    assert argv[0].endswith("/gunicorn")
    assert "planboard.wsgi:application" in argv
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8123"
    assert argv[argv.index("--workers") + 1] == "3"


def test_it_brackets_an_ipv6_host():
    argv = gunicorn_argv("::1", 8123, 1)

    assert argv[argv.index("--bind") + 1] == "[::1]:8123"


def test_one_thread_a_worker_keeps_gunicorn_s_plain_workers():
    argv = gunicorn_argv("127.0.0.1", 8123, 2)

    assert "--threads" not in argv
    assert "--keep-alive" not in argv


def test_the_workers_are_given_planboard_s_hooks_and_threads_when_asked():
    argv = gunicorn_argv("127.0.0.1", 8123, 2, threads=4)
    # gunicorn reads the command line as it would in `planboard serve`.
    with mock.patch("sys.argv", argv):
        config = WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]").cfg

    assert config.post_worker_init is gunicorn_conf.post_worker_init
    assert config.threads == 4
    assert config.keepalive == 5
    assert config.workers == 2


def test_a_worker_freezes_what_it_loaded_and_raises_the_collector_s_thresholds():
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    try:
        gunicorn_conf.post_worker_init(worker=None)

        assert gc.get_freeze_count() > frozen
        assert gc.get_threshold() == gunicorn_conf.GC_THRESHOLDS
        assert gc.get_threshold()[0] > thresholds[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


BAD_OPTIONS = [
    ((), {"PORT": "eighty"}, "PORT must be a whole number"),
    (("--port", "70000"), {}, "The port must be between 1 and 65535"),
    (("--workers", "0"), {}, "There must be at least one worker"),
    (("--threads", "0"), {}, "There must be at least one thread"),
    ((), {"WEB_THREADS": "many"}, "WEB_THREADS must be a whole number"),
]


@pytest.mark.parametrize(("args", "env", "message"), BAD_OPTIONS)
def test_the_command_refuses_bad_options_in_one_line(args, env, message):
    # Options accepted would start gunicorn in place of this process: that fails instead.
    env = {"DEBUG": "true", "PORT": str(free_port()), **env}
    with mock.patch("os.execv", side_effect=AssertionError("gunicorn would have started")):
        result = planboard("serve", *args, env=env)

    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message in result.stderr


@pytest.mark.subprocess
@pytest.mark.own_sqlite
@pytest.mark.parametrize(("args", "env", "message"), BAD_OPTIONS)
def test_it_refuses_bad_options_in_one_line(run_planboard, args, env, message):
    # The port given is free, so if the options were accepted the server would start
    # and the run would time out instead.
    env = {"DEBUG": "true", "PORT": str(free_port()), **env}
    result = run_planboard("serve", *args, env=env, timeout=30)

    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert message in result.stderr


def test_it_serves_the_health_check(tmp_path):
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "PLANBOARD_VAR_DIR": str(tmp_path / "var"),
        "DEBUG": "false",
        "HTTPS": "false",
    }
    server = subprocess.Popen(  # noqa: S603 - our own command with fixed arguments
        [str(PLANBOARD), "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        response = wait_for(f"http://127.0.0.1:{port}/healthz", server)
        assert response.status == 200
        assert "Content-Security-Policy" in response.headers
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in output


def wait_for(url, server, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            return urllib.request.urlopen(url, timeout=5)  # noqa: S310 - a local http URL
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def children_of(pid: int) -> dict[int, list[str]]:
    """The processes whose parent is ``pid``: their arguments, by process id."""
    found = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            ppid = next(
                int(line.split()[1])
                for line in status.read_text().splitlines()
                if line.startswith("PPid:")
            )
            if ppid == pid:
                arguments = status.with_name("cmdline").read_bytes().decode().split("\0")
                found[int(status.parent.name)] = arguments
        except (OSError, StopIteration):
            continue  # it ended while being read
    return found


@pytest.mark.subprocess
@pytest.mark.own_sqlite
def test_with_a_worker_it_runs_the_worker_and_scheduler_and_ctrl_c_stops_all(
    tmp_path, prepared_databases
):
    env = {
        "PATH": "/usr/bin:/bin",
        "PLANBOARD_VAR_DIR": str(tmp_path / "var"),
        "DEBUG": "false",
        "HTTPS": "false",
    }
    prepared_databases.copy(tmp_path / "var")
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own command with fixed arguments
        [str(PLANBOARD), "serve", "--port", str(port), "--workers", "1", "--with-worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    children = {}
    try:
        assert wait_for(f"http://127.0.0.1:{port}/healthz", server).status == 200
        children = children_of(server.pid)
        programs = sorted(Path(arguments[1]).name for arguments in children.values())
        assert programs == ["gunicorn", "planboard", "planboard"], children
        commands = sorted(arguments[2] for arguments in children.values() if len(arguments) > 2)
        assert "worker" in commands and "scheduler" in commands, children

        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    finally:
        still_running = [pid for pid in children if Path(f"/proc/{pid}").exists()]
        for pid in [*still_running, server.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        server.communicate(timeout=30)
    assert not still_running, f"still running after Ctrl+C: {still_running}"
