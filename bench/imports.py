"""Benchmark of importing a table of actions: a 5,000-row Excel workbook, end to end.

    .venv/bin/python bench/imports.py [--rows 5000] [--repeat 3]

Writes a workbook like a trust's tracker (a title block, then a header row of "Ref,
Workstream, Action, Progress, Owner, Due, Status", real Excel dates and text dates,
blank workstream cells that continue the one above), then times ``import_table`` on it
into a fresh SQLite database: the first import (every action created) and a re-import
of the same file (every action matched, nothing changed). The results go to
bench/results/imports.json. Benchmarks are not tests: nothing passes or fails on time.
"""

import argparse
import datetime
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ROOT, configure, fresh_database, machine  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "imports.json"
STATUSES = ("Green", "Amber", "Red", "Complete", "")


def write_workbook(path: Path, rows: int) -> None:
    """A tracker of ``rows`` actions in six themes, reproducibly random."""
    from openpyxl import Workbook

    rng = random.Random(2017)  # noqa: S311 - test data, not secrets
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tracker"
    sheet.append(["Engagement strategy: action tracker"])
    sheet.append(["Updated quarterly by the governance team"])
    sheet.append([])
    sheet.append(["Ref", "Workstream", "Action", "Progress", "Owner", "Due", "Status"])
    per_theme = -(-rows // 6)
    for index in range(rows):
        theme, number = index // per_theme + 1, index % per_theme + 1
        workstream = f"Workstream {rng.randint(1, 40)}" if number % 5 == 1 else ""
        due = (
            datetime.date(2017, 1, 31) + datetime.timedelta(days=rng.randint(0, 900))
            if rng.random() < 0.7
            else rng.choice(["Mar 18", "Q3 2017/18", "31/12/2018", "Completed"])
        )
        sheet.append(
            [
                f"{theme}.{number}",
                workstream,
                f"Action {index + 1}: we will improve engagement in area {rng.randint(1, 99)}.",
                "Progress this quarter: " + " ".join(["met the group"] * rng.randint(1, 8)),
                rng.choice(["EM", "Head of SUEMU", "OD Manager", "EM/OD Manager"]),
                due,
                rng.choice(STATUSES),
            ]
        )
    workbook.save(path)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="planboard-bench-") as folder:
        database = configure(Path(folder))
        from django.core.management import call_command
        from django.db import connection

        from planboard.imports.table_import import import_table

        call_command("migrate", verbosity=0)
        connection.close()
        template = Path(folder) / "migrated.sqlite3"
        shutil.copyfile(database, template)
        workbook = Path(folder) / "tracker.xlsx"
        write_workbook(workbook, args.rows)

        first, again, summary = [], [], {}
        for _ in range(args.repeat):
            fresh_database(database, template)
            start = time.perf_counter()
            summary = import_table(workbook, strategy_slug="tracker")
            first.append(time.perf_counter() - start)
            start = time.perf_counter()
            import_table(workbook, strategy_slug="tracker")
            again.append(time.perf_counter() - start)
        results = {
            "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "rows": args.rows,
            "workbook_kb": round(workbook.stat().st_size / 1024),
            "first_import_s": {"median": statistics.median(first), "runs": first},
            "reimport_s": {"median": statistics.median(again), "runs": again},
            "summary": {k: summary.get(k) for k in ("rows_read", "created", "updated")},
        }
        connection.close()
    args.output.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(
        f"{args.rows} rows ({results['workbook_kb']} KB): first import "
        f"{results['first_import_s']['median']:.2f} s, re-import "
        f"{results['reimport_s']['median']:.2f} s (medians of {args.repeat})"
    )


if __name__ == "__main__":
    main()
