"""Benchmark of the import page with a large tracker: upload, preview and confirm.

    .venv/bin/python bench/web_import.py [--rows 10000] [--repeat 3]
    scripts/with-postgres .venv/bin/python bench/web_import.py   # on PostgreSQL

A strategy of ``--rows`` actions is imported first (the workbook of bench/imports.py);
then a second version of the workbook, in which every action's progress and rating
differ, goes through the import page as a governance user would send it, through
Django's test client: the upload (read and previewed), the preview page, and the
confirmation, which writes every changed action with its history in one request.
Versions alternate, so each confirmation changes every action. The confirmation is
what must finish well within gunicorn's 30 s worker timeout. Results go to
bench/results/web_import.json (or web_import_postgresql.json). Benchmarks are not
tests: nothing passes or fails on time.
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from imports import write_workbook  # noqa: E402
from run import ROOT, configure, machine  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def changed_copy(source: Path, target: Path, turn: int) -> None:
    """``source`` with every action's progress and rating changed, differently per turn."""
    from openpyxl import load_workbook

    workbook = load_workbook(source)
    sheet = workbook.active
    ratings = ("Green", "Amber", "Red")
    for at, row in enumerate(sheet.iter_rows(min_row=5)):
        row[3].value = f"Progress, version {turn}: {row[3].value}"
        row[6].value = ratings[(at + turn) % 3]
    workbook.save(target)


def time_steps(client, data: bytes, name: str) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection

    steps = {}
    started = time.perf_counter()
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    response = client.post("/strategies/tracker/import/", {"file": upload, "sheet": ""})
    steps["upload_s"] = time.perf_counter() - started
    _expect(response, 302)
    preview = response.url
    started = time.perf_counter()
    _expect(client.get(preview), 200)
    steps["preview_s"] = time.perf_counter() - started
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        response = client.post(preview + "confirm/")
        steps["confirm_s"] = time.perf_counter() - started
    _expect(response, 302)
    steps["confirm_queries"] = len(queries)
    return steps


STEPS = ("upload_s", "preview_s", "confirm_s")


def _summary(times: list[float]) -> dict:
    return {"median": statistics.median(times), "runs": times}


def _expect(response, status: int) -> None:
    if response.status_code != status:
        raise RuntimeError(f"{response.status_code}, not {status}: {response.content[:2000]}")


def _shown(run: dict) -> str:
    return ", ".join(f"{k} {v:.2f}" if k.endswith("_s") else f"{k} {v}" for k, v in run.items())


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    output = RESULTS / ("web_import_postgresql.json" if postgres else "web_import.json")

    with tempfile.TemporaryDirectory(prefix="planboard-bench-") as folder:
        folder = Path(folder)
        address = os.environ.get("DATABASE_URL")
        configure(folder, address if postgres else None)
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client, override_settings

        from planboard.imports.table_import import import_table

        # More actions than the default limit can be timed by raising the limit.
        settings.IMPORT_MAX_ACTIONS = max(settings.IMPORT_MAX_ACTIONS, args.rows)
        call_command("migrate", verbosity=0)
        first = folder / "tracker.xlsx"
        write_workbook(first, args.rows)
        started = time.perf_counter()
        import_table(first, strategy_slug="tracker")
        created_s = time.perf_counter() - started
        user = get_user_model().objects.create_superuser("bench", password="x")  # noqa: S106
        client = Client()
        client.force_login(user)

        runs = []
        # Plain static storage: the benchmark does not collect static files first.
        static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
        with override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}):
            for turn in range(args.repeat):
                version = folder / f"tracker-{turn}.xlsx"
                changed_copy(first, version, turn)
                runs.append(time_steps(client, version.read_bytes(), "tracker.xlsx"))
                print(_shown(runs[-1]), flush=True)
        results = {
            "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "database": connection.vendor,
            "rows": args.rows,
            "workbook_kb": round(first.stat().st_size / 1024),
            "first_import_s": created_s,
            **{
                step: {
                    "median": statistics.median(r[step] for r in runs),
                    "runs": [r[step] for r in runs],
                }
                for step in ("upload_s", "preview_s", "confirm_s")
            },
            "confirm_queries": runs[-1]["confirm_queries"],
        }
        connection.close()
    output.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(
        f"{args.rows} actions on {results['database']}: "
        f"upload {results['upload_s']['median']:.2f} s, "
        f"preview {results['preview_s']['median']:.2f} s, "
        f"confirm {results['confirm_s']['median']:.2f} s in {results['confirm_queries']} queries "
        f"(medians of {args.repeat})"
    )


if __name__ == "__main__":
    main()
