"""Ten users at once: the demo server under a load test, page by page.

    .venv/bin/python bench/load.py [--repeat N] [--duration 60] [--users 10]
        [--profiles eager,paced] [--serve-args "--workers 3" ...] [--output PATH]

Starts the server as ``make demo`` does (``planboard migrate``, ``planboard demo``,
``planboard serve --with-worker`` with DEBUG off, over HTTP, on the demo's day), on a
free port of 127.0.0.1, in a throw-away folder with its own SQLite database. Signs in
``--users`` users (each with a session of its own, taking the demo's accounts in turn
through the sign-in form and its CSRF token), then runs locust in this process for
``--duration`` seconds per profile: each user walks the pages a signed-in reader of the
seed plan visits (home, the plan, an action, the commitments, the paper, the periods,
the engagement map, the feedback, the public page and the plan's CSV), one after the
other, starting at a page of its own.

Profiles: ``eager`` (no pause between pages: the server's ceiling) and ``paced`` (each
user pauses 1-3 s between pages, as people do). ``--repeat`` runs each profile that
many times; the figures kept are those of the run with the lowest plan-page p95 (the
least disturbed by other work on the machine), and every run's summary is kept too.
``--serve-args`` given more than once compares server settings (options of
``planboard serve``, and NAME=value words for its environment): each variant's
server is started in turn on the same database, round after round. Only 127.0.0.1 is
ever asked; the server is stopped at the end, on Ctrl+C and on error.
Results go to bench/results/load.json and are printed as a table. Benchmarks are not
tests: nothing here passes or fails on time.
"""

try:
    # locust patches the standard library for gevent as it is imported: first of all.
    import gevent
    from locust import HttpUser, between, constant, task
    from locust.env import Environment
except ImportError:  # pragma: no cover - told to whoever runs it
    raise SystemExit(
        "locust is not installed: `make bench` installs it (pip install -e '.[bench]')."
    ) from None

import argparse
import datetime
import json
import os
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from run import machine

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "load.json"
PLANBOARD = Path(sys.executable).with_name("planboard")
HOST = "127.0.0.1"
SLUG = "sue"
# The demo's day and settings, as the Makefile's DEMO_ENV sets them.
DEMO_ENV = {"DEBUG": "false", "HTTPS": "false", "DEMO_TODAY": "2017-03-15"}
PROFILES = {"eager": (0.0, 0.0), "paced": (1.0, 3.0)}
ACCOUNT_LINE = re.compile(r"^\s{2}(\w+)\s+(\S+)\s+\(", re.MULTILINE)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def planboard(*args: str, env: dict) -> str:
    done = subprocess.run(  # noqa: S603 - our own command
        [str(PLANBOARD), *args], env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"planboard {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def demo_environment(folder: Path, port: int) -> dict:
    return {
        **os.environ,
        **DEMO_ENV,
        "PLANBOARD_VAR_DIR": str(folder / "var"),
        "DATABASE_URL": f"sqlite:///{folder / 'demo.sqlite3'}",
        "PORT": str(port),
    }


def prepare(env: dict) -> dict[str, str]:
    """Migrate, collect the static files and run ``planboard demo``: its accounts."""
    planboard("migrate", "--noinput", "-v", "0", env=env)
    planboard("collectstatic", "--noinput", "-v", "0", env=env)
    accounts = dict(ACCOUNT_LINE.findall(planboard("demo", env=env)))
    if not accounts:
        raise SystemExit("planboard demo printed no accounts to sign in with.")
    return accounts


def start_server(env: dict, port: int, extra: list[str], log: Path) -> subprocess.Popen:
    """``planboard serve`` in a process group of its own, its output (the access log
    included) written to ``log``."""
    argv = [str(PLANBOARD), "serve", "--host", HOST, "--port", str(port), "--with-worker"]
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603 - our own command
            [*argv, *extra], env=env, stdout=output, stderr=subprocess.STDOUT, process_group=0
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=5):  # noqa: S310
                return server
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                stop_server(server)
                raise SystemExit(f"The server did not start:\n{log.read_text()}") from None
            time.sleep(0.3)


def stop_server(server: subprocess.Popen) -> None:
    """Ctrl+C to ``planboard serve`` (it passes it on to gunicorn, the worker and the
    scheduler), then the whole process group if anything is left after 30 s."""
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    server.wait()


def sign_in(client, username: str, password: str) -> None:
    """Sign in through the form, as a browser does: its CSRF token, then the post."""
    page = client.get("/sign-in/", name="sign in")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if token is None:
        raise RuntimeError("The sign-in page has no CSRF token.")
    answer = client.post(
        "/sign-in/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token[1]},
        allow_redirects=False,
        name="sign in",
    )
    if answer.status_code != 302:
        raise RuntimeError(f"Signing in as {username} answered {answer.status_code}.")


class Session:
    """A requests session with locust's client's calls, for the set-up before the run."""

    def __init__(self, base: str):
        import requests

        self.base, self.session = base, requests.Session()

    def get(self, path, name=None, **kwargs):
        return self.session.get(self.base + path, **kwargs)

    def post(self, path, name=None, **kwargs):
        return self.session.post(self.base + path, **kwargs)


def reader_pages(base: str, accounts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(name, path) of the pages a signed-in reader of the seed plan visits, the action
    and the paper taken from the links of the plan and papers pages."""
    session = Session(base)
    sign_in(session, *accounts[0])
    plan = f"/strategies/{SLUG}/"
    action = re.search(rf'href="({plan}actions/[0-9]+\.[0-9]+/)"', session.get(plan).text)
    paper = re.search(rf'href="({plan}papers/[^"/]+/)"', session.get(f"{plan}papers/").text)
    if action is None or paper is None:
        raise SystemExit("The plan or papers page links to no action or paper.")
    return [
        ("home", "/"),
        ("plan", plan),
        ("action", action[1]),
        ("commitments", f"{plan}commitments/"),
        ("paper", paper[1]),
        ("periods", f"{plan}periods/"),
        ("engagement map", f"{plan}engagement/"),
        ("feedback", f"{plan}feedback/"),
        ("public page", f"/public/{SLUG}/"),
        ("plan CSV", f"{plan}plan.csv"),
    ]


def readers(base, accounts, pages, rounds=2) -> list[tuple[str, str]]:
    """The accounts that may read every page, each page asked ``rounds`` times by each
    (which also warms every server worker's templates and caches)."""
    kept = []
    for username, password in accounts:
        session = Session(base)
        sign_in(session, username, password)
        answers = {
            session.get(path, allow_redirects=False).status_code
            for _ in range(rounds)
            for _, path in pages
        }
        if answers == {200}:
            kept.append((username, password))
    if not kept:
        raise SystemExit("No demo account may read every page.")
    return kept


def page_weights(base, account, pages) -> list[dict]:
    """Each page's size as sent, and gzipped as Django's GZipMiddleware would (level 6,
    with its random bytes): what compressing it would save and cost, in this process."""
    from django.utils.text import compress_string

    session = Session(base)
    sign_in(session, *account)
    weights = []
    for name, path in pages:
        body = session.get(path, headers={"Accept-Encoding": "identity"}).content
        times = []
        for _ in range(5):
            start = time.perf_counter()
            packed = compress_string(body, max_random_bytes=100)
            times.append(time.perf_counter() - start)
        weights.append(
            {
                "page": name,
                "kilobytes": round(len(body) / 1024, 1),
                "gzip_kilobytes": round(len(packed) / 1024, 1),
                "gzip_ms": round(statistics.median(times) * 1000, 2),
            }
        )
    return weights


def reader_class(pages, accounts, pause):
    """A locust user walking ``pages`` in turn, signed in as one of ``accounts``."""
    counter = iter(range(10**9))
    signed_in = []

    class Reader(HttpUser):
        wait_time = between(*pause) if pause[1] else constant(0)

        def on_start(self):
            number = next(counter)
            username, password = accounts[number % len(accounts)]
            sign_in(self.client, username, password)
            signed_in.append(username)
            self.turn = number  # each user starts at a page of its own

        @task
        def next_page(self):
            name, path = pages[self.turn % len(pages)]
            self.turn += 1
            with self.client.get(
                path, name=name, allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code != 200:
                    response.failure(f"{path} answered {response.status_code}")

    Reader.signed_in = signed_in
    return Reader


def server_cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) of the server's processes so far: ``pid`` and
    every process under it (gunicorn and its workers, the task worker, the scheduler)."""
    tick = os.sysconf("SC_CLK_TCK")
    parents, total = {}, 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # it ended while being read
        parents[int(stat.parent.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    family = {pid}
    for _ in range(4):  # serve, gunicorn, its workers: a few generations
        family |= {child for child, (parent, _) in parents.items() if parent in family}
    for member in family:
        total += parents.get(member, (0, 0))[1] / tick
    return total


def run_profile(base, pages, accounts, pause, users, duration, server_pid) -> dict:
    """One locust run: each page's response times (ms) and failures, and the rate."""
    times: dict[str, list[float]] = {name: [] for name, _ in pages}
    failures: dict[str, int] = {name: 0 for name, _ in pages}
    errors: dict[str, int] = {}
    reader = reader_class(pages, accounts, pause)
    environment = Environment(user_classes=[reader], host=base)

    def record(request_type, name, response_time, response_length, exception, **kwargs):
        if name in times:
            times[name].append(response_time)
            failures[name] += exception is not None
            if exception is not None:
                errors[str(exception)] = errors.get(str(exception), 0) + 1

    environment.events.request.add_listener(record)
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=users)
    while len(reader.signed_in) < users:  # every user signed in before the clock starts
        gevent.sleep(0.1)
    for name in times:
        times[name].clear()
        failures[name] = 0
    errors.clear()
    start, cpu = time.monotonic(), server_cpu_seconds(server_pid)
    gevent.sleep(duration)
    elapsed = time.monotonic() - start
    cpu = server_cpu_seconds(server_pid) - cpu
    runner.quit()
    per_page = [summary(name, times[name], failures[name]) for name, _ in pages]
    total = sum(page["requests"] for page in per_page)
    return {
        "pause_s": list(pause),
        "seconds": round(elapsed, 1),
        "requests": total,
        "failures": sum(page["failures"] for page in per_page),
        "requests_per_s": round(total / elapsed, 1),
        # Less swayed by other work on the machine than the times are.
        "server_cpu_ms_per_request": round(cpu * 1000 / total, 1) if total else None,
        "pages": per_page,
        "errors": errors,
    }


def summary(name: str, times: list[float], failures: int) -> dict:
    cuts = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else []
    return {
        "page": name,
        "requests": len(times),
        "failures": failures,
        "median_ms": round(statistics.median(times), 1) if times else None,
        "p95_ms": round(cuts[94], 1) if cuts else None,
        "p99_ms": round(cuts[98], 1) if cuts else None,
    }


def print_table(profile: str, run: dict, load: tuple) -> None:
    print(f"\n{profile}: {run['requests']} requests in {run['seconds']} s, ", end="")
    print(f"{run['requests_per_s']} requests/s, {run['failures']} failures, ", end="")
    print(f"server CPU {run['server_cpu_ms_per_request']} ms a request, load {load}")
    print(f"{'page':<16}{'requests':>9}{'failures':>9}{'median ms':>11}{'p95 ms':>9}{'p99 ms':>9}")
    for error, count in run["errors"].items():
        print(f"  {count} x {error}")
    for page in run["pages"]:
        print(
            f"{page['page']:<16}{page['requests']:>9}{page['failures']:>9}"
            f"{page['median_ms'] or 0:>11.1f}{page['p95_ms'] or 0:>9.1f}{page['p99_ms'] or 0:>9.1f}"
        )


def plan_p95(run: dict) -> float:
    return next(page["p95_ms"] or 0 for page in run["pages"] if page["page"] == "plan")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="Runs per profile (default 1).")
    parser.add_argument("--duration", type=float, default=60, help="Seconds per run (60).")
    parser.add_argument("--users", type=int, default=10, help="Users at once (default 10).")
    parser.add_argument("--profiles", default="eager,paced", help="eager, paced or both.")
    parser.add_argument("--host", default=HOST, help="Only 127.0.0.1 is accepted.")
    parser.add_argument(
        "--serve-args",
        action="append",
        help="Options for planboard serve; give it again to compare variants in turn.",
    )
    parser.add_argument("--output", type=Path, default=RESULTS, help="The results file.")
    args = parser.parse_args(argv)
    if args.host != HOST:
        parser.error(f"--host: the load test runs against {HOST} only, not {args.host}.")
    profiles = [name.strip() for name in args.profiles.split(",") if name.strip()]
    unknown = [name for name in profiles if name not in PROFILES]
    if unknown or not profiles:
        parser.error(f"--profiles: choose from {', '.join(PROFILES)}, not {unknown}.")
    if args.duration <= 0 or args.users < 1 or args.repeat < 1:
        parser.error("--duration, --users and --repeat must be above zero.")
    # Ctrl+C is turned into SystemExit so that the server is stopped on the way out.
    signal.signal(signal.SIGINT, lambda number, frame: sys.exit(130))
    load_before = os.getloadavg()
    variants = args.serve_args or [""]
    runs = {(variant, profile): [] for variant in variants for profile in profiles}
    weights = []
    with tempfile.TemporaryDirectory(prefix="planboard-load-") as folder:
        port = free_port()
        env = demo_environment(Path(folder), port)
        accounts = list(prepare(env).items())
        base = f"http://{HOST}:{port}"
        # Variants take turns, round after round, so a change in the machine's load
        # falls on each of them alike.
        for _ in range(args.repeat):
            for variant in variants:
                log = Path(folder) / "server.log"
                words = shlex.split(variant)
                settings = dict(word.split("=", 1) for word in words if "=" in word)
                options = [word for word in words if "=" not in word]
                server = start_server({**env, **settings}, port, options, log)
                try:
                    pages = reader_pages(base, accounts)
                    readable = readers(base, accounts, pages)
                    weights = weights or page_weights(base, readable[0], pages)
                    for profile in profiles:
                        run = run_profile(
                            base,
                            pages,
                            readable,
                            PROFILES[profile],
                            args.users,
                            args.duration,
                            server.pid,
                        )
                        runs[variant, profile].append({**run, "load_average": os.getloadavg()})
                finally:
                    stop_server(server)
    results = {}
    for (variant, profile), done in runs.items():
        best = min(done, key=plan_p95)
        best["all_runs"] = [
            {
                key: run[key]
                for key in ("requests_per_s", "server_cpu_ms_per_request", "load_average")
            }
            | {"plan_p95_ms": plan_p95(run)}
            for run in done
        ]
        results.setdefault(variant or "default", {})[profile] = best
        print_table(f"{profile} ({variant or 'default'})", best, best["load_average"])
    output = {
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "users": args.users,
        "duration_s": args.duration,
        "repeat": args.repeat,
        "pages": [path for _, path in pages],
        "accounts": [username for username, _ in readable],
        "profiles": results.get("default") or next(iter(results.values())),
        "variants": results,
        "page_sizes": weights,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(output, indent=2) + "\n")
    print(f"\n{'page':<16}{'KB':>8}{'gzip KB':>9}{'gzip ms':>9}")
    for page in weights:
        print(
            f"{page['page']:<16}{page['kilobytes']:>8.1f}{page['gzip_kilobytes']:>9.1f}"
            f"{page['gzip_ms']:>9.2f}"
        )
    print(f"\nLoad average before {load_before}, after {output['load_average_after']}.")


if __name__ == "__main__":
    main()
