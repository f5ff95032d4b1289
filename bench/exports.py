"""The plan's CSV and Excel downloads against a floor: the same rows read from a database
cursor and written with the ``csv`` module, in the same process, alternating request by
request.

    .venv/bin/python bench/exports.py [--repeat N] [--sizes 500,5000,50000]

The floor reads each action of a strategy's plan with the columns the CSV has (ref, theme,
area, commitment numbers, action, progress, target, status, RAG, leads, last updated, the
ref in the tracker and where it came from) in one query with the sqlite3 module, iterating
the cursor (never ``fetchall``), and writes each row with ``csv.writer`` to a sink that
keeps nothing: the least any download of those rows can cost in Python. The CSV and the
XLSX downloads are fetched through Django's test client, signed in, their streamed
content read to the end and thrown away. Each figure is the median of ``--repeat``
rounds; the ratio is the download's median over the floor's.

Memory is each download's peak of memory allocated by Python while it runs (tracemalloc's
peak, measured in a round of its own, not timed): it shows whether a download holds its
rows or streams them. Memory a C library allocates (the zip compressor's) is not in it.

Everything runs in a throw-away SQLite database with the production settings (DEBUG
off); the 50,000-action plan takes a minute or two to build, once per run. Results go to
bench/results/exports.json. Benchmarks are not tests: nothing here passes or fails on time.
"""

import argparse
import csv
import datetime
import json
import os
import sqlite3
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from run import configure, machine, plain_files

RESULTS = Path(__file__).resolve().parent / "results" / "exports.json"

FLOOR_QUERY = """
SELECT theme.number || '.' || action.number, theme.number || '. ' || theme.title, area.name,
       action.cited_commitments, action.text, action.progress, action.target_text,
       action.status, COALESCE(rag.label, action.rag_text),
       (SELECT group_concat(COALESCE(NULLIF(role.abbreviation, ''), role.title), ', ')
          FROM plans_action_leads AS lead
          JOIN people_role AS role ON role.id = lead.role_id
         WHERE lead.action_id = action.id),
       (SELECT max(history.history_date) FROM plans_historicalaction AS history
         WHERE history.id = action.id),
       action.ref_as_written, action.source
  FROM plans_action AS action
  JOIN plans_theme AS theme ON theme.id = action.theme_id
  JOIN plans_strategy AS strategy ON strategy.id = theme.strategy_id
  LEFT JOIN plans_area AS area ON area.id = action.area_id
  LEFT JOIN plans_raglevel AS rag ON rag.id = action.rag_level_id
 WHERE strategy.slug = ? AND action.retired_on IS NULL
 ORDER BY theme.number, action.number
"""
HEADINGS = (
    "Ref, Theme, Area, Commitments, Action, Progress, Target, Status, RAG, Leads, "
    "Last updated, Ref in the tracker, Where it came from"
).split(", ")


class Sink:
    """A file that keeps nothing: what the floor writes goes nowhere, as to a socket."""

    written = 0

    def write(self, text: str) -> None:
        self.written += len(text)


def floor_csv(database: Path, slug: str) -> int:
    """The plan's rows as CSV, read from a cursor and written row by row; rows written."""
    connection = sqlite3.connect(database)
    try:
        writer = csv.writer(Sink())
        writer.writerow(HEADINGS)
        rows = 0
        for row in connection.execute(FLOOR_QUERY, (slug,)):
            writer.writerow(row)
            rows += 1
    finally:
        connection.close()
    return rows


def download(client, url: str) -> int:
    """Fetch ``url`` and read its body to the end, keeping none of it; bytes read."""
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    response.close()
    return size


def peak_kb(work) -> float:
    """The peak of memory Python allocated while ``work`` ran, in KB."""
    tracemalloc.start()
    try:
        work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 1024


def alternate(database: Path, slug: str, repeat: int) -> dict:
    """The CSV, the XLSX and the floor, alternating, ``repeat`` rounds."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    user, _ = get_user_model().objects.get_or_create(username="bench")
    client = Client()
    client.force_login(user)
    urls = {name: reverse(f"plan_{name}", kwargs={"slug": slug}) for name in ("csv", "xlsx")}
    sizes = {name: download(client, url) for name, url in urls.items()}  # loads openpyxl
    rows = floor_csv(database, slug)
    times = {"csv": [], "xlsx": [], "floor": []}
    for _ in range(repeat):
        for name, url in urls.items():
            start = time.perf_counter()
            download(client, url)
            times[name].append(time.perf_counter() - start)
            start = time.perf_counter()
            floor_csv(database, slug)
            times["floor"].append(time.perf_counter() - start)
    medians = {name: statistics.median(values) for name, values in times.items()}
    memory = {name: peak_kb(lambda url=url: download(client, url)) for name, url in urls.items()}
    memory["floor"] = peak_kb(lambda: floor_csv(database, slug))
    return {
        "slug": slug,
        "actions": rows,
        "floor_s": medians["floor"],
        "csv_s": medians["csv"],
        "xlsx_s": medians["xlsx"],
        "ratio_csv": medians["csv"] / medians["floor"],
        "ratio_xlsx": medians["xlsx"] / medians["floor"],
        "peak_kb_floor": round(memory["floor"]),
        "peak_kb_csv": round(memory["csv"]),
        "peak_kb_xlsx": round(memory["xlsx"]),
        "csv_kb": round(sizes["csv"] / 1024),
        "xlsx_kb": round(sizes["xlsx"] / 1024),
    }


def build(sizes: list[int]) -> list[tuple[str, float]]:
    from planboard.plans.synthetic import build_synthetic_plan

    plans = []
    for size in sizes:
        slug = f"synthetic-{size}"
        start = time.perf_counter()
        build_synthetic_plan(slug, actions=size)
        plans.append((slug, time.perf_counter() - start))
    return plans


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="Rounds per size (default 9).")
    parser.add_argument(
        "--sizes",
        default="500,5000,50000",
        help="Synthetic plan sizes (default 500,5000,50000).",
    )
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="planboard-bench-") as folder:
        database = configure(Path(folder))
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        rounds = []
        with plain_files():
            for slug, build_s in build(sizes):
                row = alternate(database, slug, args.repeat)
                row["build_s"] = round(build_s, 1)
                rounds.append(row)
    results = {
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "repeat": args.repeat,
        "memory": "tracemalloc peak of one request, KB",
        "plans": rounds,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"{'actions':>8}{'floor ms':>10}{'CSV ms':>9}{'XLSX ms':>9}", end="")
    print(f"{'x CSV':>7}{'x XLSX':>8}", end="")
    print(f"{'floor KB':>10}{'CSV KB':>9}{'XLSX KB':>9}")
    for row in rounds:
        print(
            f"{row['actions']:>8}{row['floor_s'] * 1000:>10.1f}{row['csv_s'] * 1000:>9.0f}"
            f"{row['xlsx_s'] * 1000:>9.0f}{row['ratio_csv']:>7.1f}{row['ratio_xlsx']:>8.1f}"
            f"{row['peak_kb_floor']:>10}{row['peak_kb_csv']:>9}{row['peak_kb_xlsx']:>9}"
        )
    print("Memory: tracemalloc's peak during one request.")
    print(f"Load average before {load_before}, after {results['load_average_after']}.")


if __name__ == "__main__":
    main()
