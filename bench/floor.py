"""The plan page against a raw floor: the same rows read with the sqlite3 module and
joined into an HTML table with ``html.escape``, in the same process, alternating
request by request.

    .venv/bin/python bench/floor.py [--repeat N] [--sizes 500,5000]

The floor reads each action of a strategy's plan with its theme, area, RAG level, leads
(role titles) and commitment numbers in one query and writes one table row per action:
the least any page showing those rows can cost in Python, on one connection kept open
between pages. The plan page is fetched through Django's test client, signed in, twice
per round: once with the cache emptied first (cold: nothing planboard keeps between
requests helps it) and once as it comes (warm), in a process that has settled its
garbage collector as each worker of ``planboard serve`` does
(``planboard.gunicorn_conf.settle_worker``). Each figure is the median of ``--repeat``
rounds; the ratio is the page's median over the floor's. Each size also records the
page's queries, counted at the database, its size, and the time the garbage collector
took per request. Everything runs in a
throw-away SQLite database with the production settings (DEBUG off). Results go to
bench/results/floor.json. Benchmarks are not tests: nothing here passes or fails on time.
"""

import argparse
import datetime
import gc
import html
import json
import os
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from run import build_plans, configure, machine, page_queries, plain_files

RESULTS = Path(__file__).resolve().parent / "results" / "floor.json"

FLOOR_QUERY = """
SELECT theme.number, action.number, theme.title, action.text, area.name, rag.label,
       action.target_text,
       (SELECT group_concat(role.title, ', ') FROM plans_action_leads AS lead
          JOIN people_role AS role ON role.id = lead.role_id
         WHERE lead.action_id = action.id),
       (SELECT group_concat(ctheme.number || '.' || commitment.number, ', ')
          FROM plans_action_commitments AS cited
          JOIN plans_commitment AS commitment ON commitment.id = cited.commitment_id
          JOIN plans_theme AS ctheme ON ctheme.id = commitment.theme_id
         WHERE cited.action_id = action.id)
  FROM plans_action AS action
  JOIN plans_theme AS theme ON theme.id = action.theme_id
  JOIN plans_strategy AS strategy ON strategy.id = theme.strategy_id
  LEFT JOIN plans_area AS area ON area.id = action.area_id
  LEFT JOIN plans_raglevel AS rag ON rag.id = action.rag_level_id
 WHERE strategy.slug = ? AND action.retired_on IS NULL
 ORDER BY theme.number, action.number
"""


def floor_page(connection: sqlite3.Connection, slug: str) -> str:
    """The plan's rows as an HTML table, read and written as plainly as Python can, on
    a connection kept open between pages (as planboard's own is)."""
    rows = connection.execute(FLOOR_QUERY, (slug,)).fetchall()
    out = ["<table><tr><th>Ref</th><th>Theme</th><th>Action</th><th>Area</th>"]
    out.append("<th>RAG</th><th>Target</th><th>Leads</th><th>Commitments</th></tr>")
    for theme, number, title, text, area, rag, target, leads, cited in rows:
        cells = (f"{theme}.{number}", title, text, area, rag, target, leads, cited)
        out.append("<tr>" + "".join(f"<td>{html.escape(str(c or ''))}</td>" for c in cells))
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


class Collections:
    """The time Python's garbage collector spends while it is being watched."""

    def __init__(self):
        self.seconds, self._started = 0.0, None

    def __call__(self, phase, info):
        if phase == "start":
            self._started = time.perf_counter()
        elif self._started is not None:
            self.seconds += time.perf_counter() - self._started
            self._started = None

    def __enter__(self):
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc):
        gc.callbacks.remove(self)


def alternate(database: Path, slug: str, repeat: int) -> dict:
    """The page (cold and warm) and the floor, alternating, ``repeat`` rounds."""
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.test import Client

    from planboard.gunicorn_conf import settle_worker

    user, _ = get_user_model().objects.get_or_create(username="bench")
    client = Client()
    client.force_login(user)
    url = f"/strategies/{slug}/"
    first = client.get(url)  # compiles the templates
    if first.status_code != 200:
        raise SystemExit(f"{url} answered {first.status_code}")
    settle_worker()  # as each worker of ``planboard serve`` does once it has started
    connection = sqlite3.connect(database)
    rows = floor_page(connection, slug).count("<tr>") - 1
    queries = page_queries(client, url)
    cold, warm, floor, collecting = [], [], [], []
    for _ in range(repeat):
        cache.clear()
        start = time.perf_counter()
        with Collections() as collections:
            client.get(url)
        cold.append(time.perf_counter() - start)
        collecting.append(collections.seconds)
        start = time.perf_counter()
        floor_page(connection, slug)
        floor.append(time.perf_counter() - start)
        start = time.perf_counter()
        with Collections() as collections:
            client.get(url)
        warm.append(time.perf_counter() - start)
        collecting.append(collections.seconds)
    connection.close()
    medians = {name: statistics.median(v) for name, v in (("cold", cold), ("warm", warm))}
    floor_s = statistics.median(floor)
    return {
        "slug": slug,
        "actions": rows,
        "floor_s": floor_s,
        "page_cold_s": medians["cold"],
        "page_warm_s": medians["warm"],
        "ratio_cold": medians["cold"] / floor_s,
        "ratio_warm": medians["warm"] / floor_s,
        "page_kb": round(len(first.content) / 1024),
        "queries": queries,
        "garbage_collection_ms_mean": statistics.mean(collecting) * 1000,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="Rounds per size (default 15).")
    parser.add_argument(
        "--sizes", default="500,5000", help="Synthetic plan sizes (default 500,5000)."
    )
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="planboard-bench-") as folder:
        database = configure(Path(folder))
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        with plain_files():
            plans = build_plans(sizes)
            rounds = [alternate(database, slug, args.repeat) for slug, _, _ in plans]
    results = {
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "repeat": args.repeat,
        "plans": rounds,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"{'plan':<18}{'actions':>8}{'floor ms':>10}{'cold ms':>9}{'warm ms':>9}", end="")
    print(f"{'x cold':>8}{'x warm':>8}{'queries':>9}{'gc ms':>7}{'KB':>7}")
    for row in rounds:
        print(
            f"{row['slug']:<18}{row['actions']:>8}{row['floor_s'] * 1000:>10.1f}"
            f"{row['page_cold_s'] * 1000:>9.0f}{row['page_warm_s'] * 1000:>9.0f}"
            f"{row['ratio_cold']:>8.1f}{row['ratio_warm']:>8.1f}{row['queries']:>9}"
            f"{row['garbage_collection_ms_mean']:>7.1f}{row['page_kb']:>7}"
        )
    print(f"Load average before {load_before}, after {results['load_average_after']}.")


if __name__ == "__main__":
    main()
