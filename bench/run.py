"""Benchmarks: importing the seed paper, and rendering the plan page at three sizes.

    .venv/bin/python bench/run.py [--repeat N] [--sizes 500,5000]

Everything runs in a throw-away SQLite database in a temporary folder, with the
production settings (DEBUG off), so the figures are what a server would see minus the
network. The results go to bench/results/latest.json and are printed as a table.
Benchmarks are not tests: nothing here passes or fails on time.
"""

import argparse
import datetime
import json
import os
import platform
import secrets
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_PAPER = ROOT / "planboard" / "demo" / "data" / "sus-engagement-board-paper-2017-03.txt"
RESULTS = ROOT / "bench" / "results" / "latest.json"


def configure(folder: Path, database_url: str | None = None) -> Path:
    """Point the settings at a fresh SQLite file in ``folder`` (or at the database
    ``database_url`` when given) and start Django."""
    database = folder / "bench.sqlite3"
    os.environ.update(
        {
            "DATABASE_URL": database_url or f"sqlite:///{database}",
            "PLANBOARD_VAR_DIR": str(folder / "var"),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "false",
            "HTTPS": "false",
            "ALLOWED_HOSTS": "testserver",
            "DJANGO_SETTINGS_MODULE": "planboard.settings",
        }
    )
    (folder / "var" / "static").mkdir(parents=True)  # WhiteNoise warns if it is missing
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return database


def plain_files():
    """Settings under which pages need no collected static files and files go to the
    plain storage: the benchmarks serve pages without ``collectstatic``."""
    from django.test.utils import override_settings

    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    storages = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    return override_settings(STORAGES={**storages, "staticfiles": static})


def fresh_database(database: Path, template: Path) -> None:
    """Replace the database with a copy of the migrated, empty one."""
    from django.db import connection

    connection.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, database)


def time_import(database: Path, template: Path, repeat: int) -> dict:
    from planboard.imports.services import import_paper

    times, summary = [], {}
    for _ in range(repeat):
        fresh_database(database, template)
        start = time.perf_counter()
        summary = import_paper(SEED_PAPER, slug="sue")
        times.append(time.perf_counter() - start)
    return {
        "runs": repeat,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "summary": summary,
    }


def time_plan_page(slug: str, repeat: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from planboard.plans.models import Action

    user, _ = get_user_model().objects.get_or_create(username="bench")
    client = Client()
    client.force_login(user)
    url = f"/strategies/{slug}/"
    response = client.get(url)  # compiles the templates
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}; is the plan page there?")
    queries = page_queries(client, url)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    return {
        "actions": Action.objects.filter(theme__strategy__slug=slug).count(),
        "url": url,
        "runs": repeat,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "queries": queries,
        "kilobytes": round(len(response.content) / 1024),
    }


def page_queries(client, url: str) -> int:
    """The number of queries one request for ``url`` makes, counted at the database (a
    request's own signals would empty Django's log of queries part-way)."""
    from django.db import connection

    seen = []

    def count(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    return len(seen)


def build_plans(sizes: list[int]) -> list[tuple[str, str, float]]:
    """Import the seed and build a synthetic plan per size: (slug, source, seconds)."""
    from planboard.imports.services import import_paper
    from planboard.plans.synthetic import build_synthetic_plan

    plans = [("sue", "seed paper", time_of(lambda: import_paper(SEED_PAPER, slug="sue")))]
    for size in sizes:
        slug = f"synthetic-{size}"
        seconds = time_of(lambda slug=slug, size=size: build_synthetic_plan(slug, actions=size))
        plans.append((slug, "synthetic", seconds))
    return plans


def time_of(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def machine() -> dict:
    import django

    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def print_table(results: dict) -> None:
    seed = results["import_seed"]
    print(f"Machine: {results['machine']['cpus']} CPUs, {results['machine']['platform']}")
    print(f"Python {results['machine']['python']}, SQLite {results['machine']['sqlite']}")
    print()
    print(
        f"Import of the seed paper ({seed['summary'].get('actions', '?')} actions), "
        f"median of {seed['runs']}: {seed['median_s'] * 1000:.0f} ms "
        f"(fastest {seed['min_s'] * 1000:.0f} ms)"
    )
    print()
    header = f"{'plan page':<22}{'actions':>8}{'build s':>9}{'median ms':>11}"
    header += f"{'min ms':>9}{'queries':>9}{'KB':>8}"
    print(header)
    print("-" * len(header))
    for row in results["plan_page"]:
        print(
            f"{row['slug']:<22}{row['actions']:>8}{row['build_s']:>9.2f}"
            f"{row['median_s'] * 1000:>11.0f}{row['min_s'] * 1000:>9.0f}"
            f"{row['queries']:>9}{row['kilobytes']:>8}"
        )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="Runs per figure (default 5).")
    parser.add_argument(
        "--sizes",
        default="500,5000",
        help="Synthetic plan sizes besides the seed, comma-separated (default 500,5000).",
    )
    parser.add_argument("--output", type=Path, default=RESULTS, help="Where to write the JSON.")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]

    with tempfile.TemporaryDirectory(prefix="planboard-bench-") as folder:
        database = configure(Path(folder))
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        connection.close()
        template = Path(folder) / "migrated.sqlite3"
        shutil.copyfile(database, template)

        with plain_files():
            results = {
                "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
                "machine": machine(),
                "import_seed": time_import(database, template, args.repeat),
            }
            fresh_database(database, template)
            rows = []
            for slug, source, build_seconds in build_plans(sizes):
                row = {"slug": slug, "source": source, "build_s": build_seconds}
                row.update(time_plan_page(slug, args.repeat))
                rows.append(row)
            results["plan_page"] = rows
        connection.close()

    args.output.parent.mkdir(parents=True, exist_ok=True)
    partial = args.output.with_suffix(".json.tmp")
    partial.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    partial.replace(args.output)
    print_table(results)
    print()
    shown = args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output
    print(f"Written to {shown}")


if __name__ == "__main__":
    main()
