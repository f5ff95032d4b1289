"""``planboard serve``: run planboard under gunicorn, the production WSGI server.

The command replaces itself with gunicorn (the one installed beside this Python), so
signals from a process supervisor reach gunicorn directly. Settings come from the
environment as for every other command; several servers may run against one
PostgreSQL database behind a load balancer.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from planboard.lib.env import env_int


def gunicorn_argv(host: str, port: int, workers: int, threads: int = 1) -> list[str]:
    """The gunicorn command line for these options: more than one thread a worker
    makes gunicorn's workers threaded, and lets them keep connections alive."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    threaded = ["--threads", str(threads), "--keep-alive", "5"] if threads > 1 else []
    return [
        str(gunicorn),
        "planboard.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        *threaded,
        # The workers' hooks: the garbage collector set for request work.
        "--config",
        "python:planboard.gunicorn_conf",
        "--access-logfile",
        "-",
        # One control socket per user would clash between two servers on a machine.
        "--no-control-socket",
    ]


class Command(BaseCommand):
    help = "Serves planboard with gunicorn (host 127.0.0.1 and port $PORT or 8000 by default)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, help="Port to listen on (default: $PORT or 8000).")
        parser.add_argument(
            "--workers",
            type=int,
            help="Worker processes (default: $WEB_CONCURRENCY or 2).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            help="Threads per worker process (default: $WEB_THREADS or 1).",
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help=(
                "Also run `planboard worker` and `planboard scheduler` beside gunicorn; "
                "Ctrl+C stops all three."
            ),
        )

    def handle(self, **options):
        try:
            port = env_int("PORT", 8000) if options["port"] is None else options["port"]
            workers = options["workers"]
            if workers is None:
                workers = env_int("WEB_CONCURRENCY", 2)
            threads = options["threads"]
            if threads is None:
                threads = env_int("WEB_THREADS", 1)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        if not 0 < port < 65536:
            raise CommandError(f"The port must be between 1 and 65535, not {port}.")
        if workers < 1:
            raise CommandError(f"There must be at least one worker, not {workers}.")
        if threads < 1:
            raise CommandError(f"There must be at least one thread, not {threads}.")
        argv = gunicorn_argv(options["host"], port, workers, threads)
        if not Path(argv[0]).exists():
            raise CommandError(f"gunicorn is not installed beside {sys.executable}.")
        shown = f"[{options['host']}]" if ":" in options["host"] else options["host"]
        self.stdout.write(f"planboard is starting at http://{shown}:{port}/ (Ctrl+C stops it)")
        self.stdout.flush()
        sys.stdout.flush()
        if options["with_worker"]:
            sys.exit(serve_with_worker(argv))
        os.execv(argv[0], argv)  # noqa: S606 - a fixed program with our own arguments


def serve_with_worker(server_argv: list[str]) -> int:
    """Run gunicorn, ``planboard worker`` and ``planboard scheduler`` side by side until
    one stops or this process is asked to stop (SIGINT, SIGTERM), which it passes on to
    all of them."""
    planboard = str(Path(sys.executable).with_name("planboard"))
    # Each in a process group of its own, so a Ctrl+C reaches them once, from here.
    children = [
        subprocess.Popen(argv, process_group=0)  # noqa: S603 - our own commands
        for argv in (server_argv, [planboard, "worker"], [planboard, "scheduler"])
    ]

    def pass_on(number, frame):
        for child in children:
            if child.poll() is None:
                child.send_signal(number)

    signal.signal(signal.SIGINT, pass_on)
    signal.signal(signal.SIGTERM, pass_on)
    while all(child.poll() is None for child in children):
        time.sleep(0.2)
    pass_on(signal.SIGTERM, None)
    codes = [child.wait() for child in children]
    return max(abs(code) for code in codes)
