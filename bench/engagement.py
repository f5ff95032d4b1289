"""Benchmark of the engagement map at 50 directorates x 40 commitments x 5,000 activities.

    .venv/bin/python bench/engagement.py [--directorates 50] [--commitments 40]
        [--activities 5000] [--repeat 10]
    scripts/with-postgres .venv/bin/python bench/engagement.py   # on PostgreSQL

Builds a synthetic plan cut to ``--commitments`` commitments, ``--directorates``
directorates with two services each, and ``--activities`` activities over the last two
years (a tenth still ongoing), each about 1 to 3 of the directorates or services, serving
1 to 3 commitments or actions, with participation counted for 1 to 3 perspectives. Then
times ``mapping.by_commitment``, ``mapping.by_quarter`` and the map page (Django's test
client, signed in, both views and a filtered one): cold (the first call, nothing
compiled or cached) and warm (median and 95th percentile of ``--repeat`` calls), with
the queries each makes. The machine's load average is noted before and after. The
results go to bench/results/engagement.json (or engagement_postgresql.json).
Benchmarks are not tests: nothing passes or fails on time.
"""

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ROOT, configure, machine  # noqa: E402

RESULTS = ROOT / "bench" / "results"
BATCH = 500


def _commitments(strategy, wanted: int) -> list:
    """The plan's commitments cut (or grown) to ``wanted``."""
    from planboard.plans.models import Commitment

    found = list(Commitment.objects.filter(theme__strategy=strategy).order_by("theme", "number"))
    if len(found) > wanted:
        Commitment.objects.filter(pk__in=[c.pk for c in found[wanted:]]).delete()
        return found[:wanted]
    theme, number = found[-1].theme, found[-1].number
    extra = [
        Commitment(theme=theme, number=number + n, text=f"We will keep commitment {n}.")
        for n in range(1, wanted - len(found) + 1)
    ]
    return found + Commitment.objects.bulk_create(extra)


def _services(strategy, directorates: int) -> list:
    from planboard.feedback.models import Service, ServiceKind

    tops = Service.objects.bulk_create(
        Service(strategy=strategy, name=f"Directorate {n:02d}", kind=ServiceKind.DIRECTORATE)
        for n in range(1, directorates + 1)
    )
    teams = Service.objects.bulk_create(
        Service(strategy=strategy, name=f"{top.name} team {t}", parent=top)
        for top in tops
        for t in (1, 2)
    )
    return tops + teams


def build(directorates: int, commitments: int, activities: int, seed: int = 20):
    """The plan, its directorates and services, and the activities (in bulk)."""
    from django.contrib.auth import get_user_model

    from planboard.engagement.models import Activity, Kind, Level, Participation, Perspective
    from planboard.plans.models import Action
    from planboard.plans.synthetic import build_synthetic_plan

    chance = random.Random(seed)
    strategy = build_synthetic_plan(slug="bench", actions=300, themes=6)
    kept = _commitments(strategy, commitments)
    actions = list(
        Action.objects.for_strategy(strategy)
        .filter(commitments__in=kept)
        .distinct()
        .values_list("pk", flat=True)
    )
    places = [s.pk for s in _services(strategy, directorates)]
    today = datetime.date.today()
    rows = []
    for n in range(activities):
        starts = today - datetime.timedelta(days=chance.randint(0, 730))
        ongoing = chance.random() < 0.1
        ends = None if ongoing else starts + datetime.timedelta(days=chance.randint(0, 90))
        rows.append(
            Activity(
                strategy=strategy,
                title=f"Activity {n}",
                kind=chance.choice(Kind.values),
                level=chance.choice(Level.values),
                starts_on=starts,
                ends_on=ends,
                ongoing=ongoing,
            )
        )
    made = Activity.objects.bulk_create(rows, batch_size=BATCH)
    on_services, on_commitments, on_actions, counted = [], [], [], []
    for activity in made:
        for place in chance.sample(places, chance.randint(1, 3)):
            on_services.append(Activity.services.through(activity=activity, service_id=place))
        for _ in range(chance.randint(1, 3)):
            if chance.random() < 0.5 or not actions:
                link = Activity.commitments.through(
                    activity=activity, commitment_id=chance.choice(kept).pk
                )
                on_commitments.append(link)
            else:
                link = Activity.actions.through(activity=activity, action_id=chance.choice(actions))
                on_actions.append(link)
        for perspective in chance.sample(Perspective.values, chance.randint(1, 3)):
            counted.append(
                Participation(
                    activity=activity, perspective=perspective, count=chance.randint(1, 30)
                )
            )
    for model, links in [
        (Activity.services.through, on_services),
        (Activity.commitments.through, on_commitments),
        (Activity.actions.through, on_actions),
        (Participation, counted),
    ]:
        model.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
    user, _ = get_user_model().objects.get_or_create(username="bench-reader")
    return strategy, user


def timed(call, repeat: int) -> dict:
    """``call`` cold (its first run) and warm (``repeat`` more), with its queries."""
    from django.db import connection

    start = time.perf_counter()
    call()
    cold = time.perf_counter() - start
    queries = []
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        call()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    times.sort()
    return {
        "cold_s": cold,
        "median_s": statistics.median(times),
        "p95_s": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "queries": len(queries),
    }


def page(client, url: str):
    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        get.kilobytes = round(len(response.content) / 1024)

    return get


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directorates", type=int, default=50)
    parser.add_argument("--commitments", type=int, default=40)
    parser.add_argument("--activities", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    output = RESULTS / ("engagement_postgresql.json" if postgres else "engagement.json")
    load_before = os.getloadavg()

    with tempfile.TemporaryDirectory(prefix="planboard-bench-") as folder:
        configure(Path(folder), os.environ.get("DATABASE_URL") if postgres else None)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from planboard.engagement import mapping

        call_command("migrate", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)
        start = time.perf_counter()
        strategy, user = build(args.directorates, args.commitments, args.activities)
        built_s = time.perf_counter() - start
        grid = mapping.by_commitment(strategy)
        shape = {"rows": len(grid.rows), "columns": len(grid.columns), "gaps": len(grid.gaps)}
        # Each timed call starts with a fresh connection's caches as cold as they get
        # in one process: the first call is the cold one.
        connection.close()
        calls = {
            "by_commitment": timed(lambda: mapping.by_commitment(strategy), args.repeat),
            "by_quarter": timed(lambda: mapping.by_quarter(strategy), args.repeat),
        }
        client = Client()
        client.force_login(user)
        base = f"/strategies/{strategy.slug}/engagement/"
        pages = {}
        for query in ["", "?view=quarter", "?level=coproduce&level=collaborate"]:
            get = page(client, base + query)
            pages[query or "the page"] = {**timed(get, args.repeat), "kilobytes": get.kilobytes}
        connection.close()

    results = {
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "database": "postgresql" if postgres else "sqlite",
        "directorates": args.directorates,
        "commitments": args.commitments,
        "activities": args.activities,
        "repeat": args.repeat,
        "built_s": built_s,
        "map": shape,
        "mapping": calls,
        "map_page": pages,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(
        f"{args.directorates} directorates, {args.commitments} commitments, "
        f"{args.activities} activities (built in {built_s:.1f} s): {shape['rows']} rows, "
        f"{shape['columns']} columns, {shape['gaps']} gaps"
    )
    print(f"load average before {load_before}, after {results['load_average_after']}")
    for name, run in {**calls, **pages}.items():
        size = f", {run['kilobytes']} KB" if "kilobytes" in run else ""
        print(
            f"{name}: cold {run['cold_s'] * 1000:.0f} ms, warm median "
            f"{run['median_s'] * 1000:.0f} ms, p95 {run['p95_s'] * 1000:.0f} ms, "
            f"{run['queries']} queries{size}"
        )


if __name__ == "__main__":
    main()
