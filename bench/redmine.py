"""planboard's plan page and plan CSV against Redmine 5.0's issue list and its CSV
export, on the same rows, both served over HTTP on this machine, alternating request by
request.

    .venv/bin/python bench/redmine.py [--repeat N] [--sizes 500,5000] [--warmup N]

Needs Debian's Redmine 5.0 and puma (``make redmine-packages`` installs them; ``make
bench-redmine`` installs them and runs this). Everything is made in a temporary folder
and thrown away: planboard's SQLite database with the seed plan (49 actions) and a
synthetic plan per size, built as bench/floor.py builds them, served by ``planboard
serve`` (gunicorn, two workers, DEBUG off, as ``make demo`` serves it); and a Redmine
instance with its own SQLite database (bench/redmine_instance.py), served by puma in
production mode, with a project per plan and an issue per action: the ref and text as
the subject, the text and latest progress as the description, the status, the target
date as due date, the first lead as assignee (a Redmine user named after the role) and
the theme as category.

Each round fetches, signed in on both (planboard's session cookie; Redmine's sign-in
form as its admin), over one keep-alive connection per server (gunicorn closes each
connection after its answer, so planboard's figures include connecting again):
Redmine's issue list of the project with every issue on one page, every status, and the
columns subject, status, due date, assignee, category and the description; planboard's
plan page; Redmine's CSV export of the same list; planboard's plan CSV. Which server
goes first alternates from round to round. After ``--warmup`` requests of each, each
figure is the median of ``--repeat`` rounds; the ratio is Redmine's median over
planboard's. Results go to bench/results/redmine.json. Benchmarks are not tests:
nothing here passes or fails on time.
"""

import argparse
import csv
import datetime
import http.client
import io
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from redmine_instance import ADMIN, Instance, available, per_page
from run import build_plans, configure, machine

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "redmine.json"
COLUMNS = ("subject", "status", "due_date", "assigned_to", "category", "description")


class Browser:
    """One keep-alive HTTP connection to 127.0.0.1:``port`` that keeps its cookies."""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, bytes]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.getheader("Location") or "", content

    def get(self, path: str) -> bytes:
        status, _, content = self.request("GET", path)
        if status != 200:
            raise SystemExit(f"GET {path} answered {status}")
        return content

    def timed(self, path: str) -> tuple[float, bytes]:
        start = time.perf_counter()
        content = self.get(path)
        return time.perf_counter() - start, content


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, process: subprocess.Popen, name: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} stopped on starting (exit code {process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{name} did not answer on port {port} within {seconds:.0f} s")


def stop(process: subprocess.Popen) -> None:
    """Stop a server started here, and every process it started."""
    if process.poll() is None:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait()


def plan_rows(slug: str) -> dict:
    """The plan's actions as the Redmine instance takes them, in plan order."""
    from planboard.plans.models import Action, Strategy

    strategy = Strategy.objects.get(slug=slug)
    actions = (
        Action.objects.for_strategy(strategy)
        .in_plan()
        .select_related("theme")
        .prefetch_related("leads")
        .in_plan_order()
    )
    rows = []
    for action in actions:
        leads = [role.title for role in action.leads.all()]
        rows.append(
            {
                "ref": f"{action.theme.number}.{action.number}",
                "theme": action.theme.title,
                "text": action.text,
                "progress": action.progress,
                "status": action.status,
                "target_date": action.target_date and action.target_date.isoformat(),
                "lead": leads[0] if leads else "",
            }
        )
    return {"identifier": slug, "name": strategy.title[:255], "actions": rows}


def planboard_session() -> dict:
    """A signed-in session cookie for a planboard user, kept in the database."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username="bench")
    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def redmine_sign_in(browser: Browser) -> None:
    page = browser.get("/login").decode()
    token = re.search(r'name="authenticity_token" value="([^"]+)"', page).group(1)
    form = urlencode({"username": ADMIN[0], "password": ADMIN[1], "authenticity_token": token})
    status, location, _ = browser.request("POST", "/login", form)
    if status != 302 or "/login" in location:
        raise SystemExit(f"Signing in to Redmine answered {status} ({location})")


def redmine_list(identifier: str, rows: int, suffix: str = "") -> str:
    query = [("set_filter", "1"), ("f[]", "status_id"), ("op[status_id]", "*")]
    query += [("sort", "id"), ("per_page", str(per_page(rows)))]
    query += [("c[]", column) for column in COLUMNS]
    return f"/projects/{identifier}/issues{suffix}?{urlencode(query)}"


def csv_rows(content: bytes) -> int:
    return len(list(csv.reader(io.StringIO(content.decode("utf-8-sig", errors="replace"))))) - 1


def compare(plan: dict, redmine: Browser, planboard: Browser, repeat: int, warmup: int) -> dict:
    slug, rows = plan["identifier"], len(plan["actions"])
    paths = {
        ("redmine", "list"): redmine_list(slug, rows),
        ("redmine", "csv"): redmine_list(slug, rows, ".csv"),
        ("planboard", "list"): f"/strategies/{slug}/",
        ("planboard", "csv"): f"/strategies/{slug}/plan.csv",
    }
    browsers = {"redmine": redmine, "planboard": planboard}
    sizes = {}
    for _ in range(warmup):
        for (server, kind), path in paths.items():
            sizes[server, kind] = browsers[server].get(path)
    shown = sizes["redmine", "list"].count(b'<tr id="issue-')
    written = {server: csv_rows(sizes[server, "csv"]) for server in browsers}
    if shown != rows or set(written.values()) != {rows}:
        raise SystemExit(f"{slug}: {rows} actions, Redmine listed {shown}, CSV rows {written}")
    times = {key: [] for key in paths}
    for round_number in range(repeat):
        order = ("redmine", "planboard") if round_number % 2 == 0 else ("planboard", "redmine")
        for kind in ("list", "csv"):
            for server in order:
                seconds, _ = browsers[server].timed(paths[server, kind])
                times[server, kind].append(seconds)
    median = {key: statistics.median(values) for key, values in times.items()}
    result = {"slug": slug, "actions": rows}
    for server, kind in paths:
        result[f"{server}_{kind}_s"] = median[server, kind]
        result[f"{server}_{kind}_fastest_s"] = min(times[server, kind])
        result[f"{server}_{kind}_kb"] = round(len(sizes[server, kind]) / 1024)
    for kind in ("list", "csv"):
        result[f"ratio_{kind}"] = median["redmine", kind] / median["planboard", kind]
    return result


def start_planboard(folder: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "ALLOWED_HOSTS": "127.0.0.1,testserver"}
    log = open(folder / "planboard-serve.log", "ab")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(  # noqa: S603 - our own command
        [str(Path(sys.executable).with_name("planboard")), "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="Rounds per size (default 9).")
    parser.add_argument("--warmup", type=int, default=3, help="Requests of each first (3).")
    parser.add_argument(
        "--sizes", default="500,5000", help="Synthetic plan sizes (default 500,5000)."
    )
    args = parser.parse_args(argv)
    missing = available()
    if missing:
        raise SystemExit(missing)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    with tempfile.TemporaryDirectory(prefix="planboard-bench-") as name:
        folder = Path(name)
        configure(folder)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        plans = [plan_rows(slug) for slug, _, _ in build_plans(sizes)]
        cookies = planboard_session()
        connection.close()
        redmine = Instance(folder / "redmine")
        redmine.create_database()
        redmine.load(plans)
        servers = []
        try:
            ports = free_port(), free_port()
            servers.append(start_planboard(folder, ports[0]))
            servers.append(redmine.serve(ports[1]))
            wait_for(ports[0], servers[0], "planboard serve")
            wait_for(ports[1], servers[1], "Redmine (puma)")
            load_before = os.getloadavg()
            planboard, redmine_browser = Browser(ports[0]), Browser(ports[1])
            planboard.cookies.update(cookies)
            redmine_sign_in(redmine_browser)
            rounds = [
                compare(plan, redmine_browser, planboard, args.repeat, args.warmup)
                for plan in plans
            ]
            load_after = os.getloadavg()
        finally:
            for server in servers:
                stop(server)
    results = {
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {**machine(), "redmine": redmine_version()},
        "load_average_before": load_before,
        "load_average_after": load_after,
        "repeat": args.repeat,
        "warmup": args.warmup,
        "plans": rounds,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)


def redmine_version() -> str:
    dpkg = shutil.which("dpkg-query")
    if dpkg is None:
        return "unknown"
    found = subprocess.run(  # noqa: S603 - a fixed program
        [dpkg, "-W", "-f=${Version}", "redmine"], capture_output=True, text=True
    )
    return found.stdout.strip() or "unknown"


def print_table(results: dict) -> None:
    print(f"{'plan':<16}{'actions':>8}{'Redmine':>10}{'planboard':>11}{'x':>6}", end="")
    print(f"{'Redmine CSV':>13}{'planboard CSV':>15}{'x':>6}")
    for row in results["plans"]:
        print(
            f"{row['slug']:<16}{row['actions']:>8}{row['redmine_list_s'] * 1000:>8.0f}ms"
            f"{row['planboard_list_s'] * 1000:>9.0f}ms{row['ratio_list']:>6.1f}"
            f"{row['redmine_csv_s'] * 1000:>11.0f}ms{row['planboard_csv_s'] * 1000:>13.0f}ms"
            f"{row['ratio_csv']:>6.1f}"
        )
    print(
        f"Median of {results['repeat']} rounds; load average before "
        f"{results['load_average_before']}, after {results['load_average_after']}."
    )


if __name__ == "__main__":
    main()
