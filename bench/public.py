"""Benchmark of the public page: a strategy of 1,000 published actions, built and cached.

    .venv/bin/python bench/public.py [--actions 1000] [--repeat 5]

Builds a synthetic plan in a fresh SQLite database, publishes every action with a
plain-English summary, then times each public URL (page, JSON feed, CSV) twice: built
afresh (the cache emptied before each request) and served from the cache, and counts
the queries of each. A conditional request that gets "304 Not Modified" is timed too.
The results go to bench/results/public.json. Benchmarks are not tests: nothing passes
or fails on time.
"""

import argparse
import datetime
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ROOT, configure, machine  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "public.json"


def publish_everything(strategy) -> None:
    from planboard.people.permissions import COMMAND_LINE
    from planboard.plans.models import Action
    from planboard.public import publishing

    editor = COMMAND_LINE  # as `planboard` commands publish, without an account
    publishing.save_strategy_publication(
        strategy, published=True, summary="What this strategy is for.", version=0, user=editor
    )
    for action in Action.objects.for_strategy(strategy).select_related("theme"):
        publishing.save_action_publication(
            action,
            published=True,
            summary=f"We will do the work of action {action.ref}, and tell you how it goes.",
            version=0,
            user=editor,
        )


def time_url(client, url: str, repeat: int) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def timed(before=None, **headers):
        runs = []
        for _ in range(repeat):
            if before:
                before()
            start = time.perf_counter()
            response = client.get(url, **headers)
            runs.append(time.perf_counter() - start)
        return response, runs

    cache.clear()
    # Counted at once: the next request clears the connection's log.
    with CaptureQueriesContext(connection) as captured:
        first = client.get(url)
    queries_built = len(captured)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries_cached = len(captured)
    _, built = timed(cache.clear)
    _, cached = timed()
    revalidated, not_modified = timed(HTTP_IF_NONE_MATCH=first["ETag"])
    if revalidated.status_code != 304:
        raise SystemExit(f"{url} answered {revalidated.status_code} to a conditional request")
    return {
        "url": url,
        "kilobytes": round(len(first.content) / 1024),
        "built_s": {"median": statistics.median(built), "min": min(built)},
        "cached_s": {"median": statistics.median(cached), "min": min(cached)},
        "not_modified_s": {"median": statistics.median(not_modified)},
        "queries_built": queries_built,
        "queries_cached": queries_cached,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="planboard-bench-") as folder:
        configure(Path(folder))
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from planboard.plans.synthetic import build_synthetic_plan

        call_command("migrate", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)
        strategy = build_synthetic_plan(slug="bench", actions=args.actions, themes=6)
        publish_everything(strategy)
        client = Client()
        urls = ["/public/bench/", "/public/bench.json", "/public/bench.csv"]
        client.get(urls[0])  # compiles the templates
        pages = [time_url(client, url, args.repeat) for url in urls]
        connection.close()
    results = {
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "actions": args.actions,
        "repeat": args.repeat,
        "pages": pages,
    }
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for page in pages:
        built, cached = page["built_s"]["median"], page["cached_s"]["median"]
        print(
            f"{page['url']}: built {built * 1000:.0f} ms ({page['queries_built']} queries), "
            f"cached {cached * 1000:.1f} ms ({page['queries_cached']} query), "
            f"304 {page['not_modified_s']['median'] * 1000:.1f} ms, {page['kilobytes']} KB"
        )


if __name__ == "__main__":
    main()
