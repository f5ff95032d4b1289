"""Benchmark of feedback at 10,000 Care Opinion stories: the sync and the pages.

    .venv/bin/python bench/feedback.py [--stories 10000] [--repeat 10]
    scripts/with-postgres .venv/bin/python bench/feedback.py   # on PostgreSQL

Serves synthetic stories (a few hundred words each, 0-3 responses, tags and health
services) from the local Care Opinion test server, then times ``sync_care_opinion``
three times: the first sync, a second with nothing changed and a third with 1% of the
stories changed. Each is split into reading Care Opinion (HTTP, no writes) and writing
(the one transaction that holds the database's write lock), with the queries per story.
Then times the governance feedback page and its filters (median and p95 of warm
requests, and queries), and the public "you said, we did" page and its twins when that
page is there. The results go to bench/results/feedback.json (or
feedback_postgresql.json). Benchmarks are not tests: nothing passes or fails on time.
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
WORDS = (
    "the staff on the ward were kind and listened to me but I waited a long time for "
    "my discharge letter and nobody told my family what was happening with the medication "
    "which made us anxious although the nurse explained everything clearly in the end"
).split()
CODES = [f"RXG{number:02d}" for number in range(1, 21)]
TAGS = ["listening", "waiting times", "kindness", "communication", "discharge", "food"]


def stories(count: int, seed: int = 19) -> list[dict]:
    """``count`` stories in Care Opinion's documented shape, the same for a seed."""
    sys.path.insert(0, str(ROOT))
    from tests.feedback.care_opinion_server import opinion

    chance = random.Random(seed)
    start = datetime.datetime(2024, 1, 1, 9, tzinfo=datetime.UTC)
    made = []
    for number in range(count):
        when = start + datetime.timedelta(minutes=97 * number)
        responses = [
            {
                "id": 10**6 + number * 4 + reply,
                "responderName": "Sam Lee",
                "responderOrganisation": "Example NHS Foundation Trust",
                "dateOfPublication": (when + datetime.timedelta(days=reply + 2)).isoformat(),
                "body": " ".join(chance.choices(WORDS, k=chance.randint(40, 120))),
                "changeInt": chance.choice([0, 0, 1, 2]),
            }
            for reply in range(chance.randint(0, 3))
        ]
        made.append(
            opinion(
                10**5 + number,
                submitted=when.isoformat(),
                body=" ".join(chance.choices(WORDS, k=chance.randint(150, 450))),
                criticality=chance.choice(["not critical", "mildly critical", None]),
                tags=[
                    {"name": name, "group": "What was good?", "polarity": chance.choice([1, -1])}
                    for name in chance.sample(TAGS, chance.randint(0, 4))
                ],
                services=[
                    {"nacs": code.lower(), "name": f"Service {code}", "type": "service"}
                    for code in chance.sample(CODES + ["ZZ901"], chance.randint(1, 2))
                ],
                responses=responses,
            )
        )
    return made


def indexed_server(made: list[dict]):
    """The local Care Opinion server, finding a story by its id in a dict (the test
    server looks through the list, which is fine for tests but slow at 10,000)."""
    from tests.feedback.care_opinion_server import CareOpinionServer

    class Indexed(CareOpinionServer):
        def answer(self, path, query):
            parts = path.removeprefix("/api/v2/").strip("/").split("/")
            if len(parts) == 3 and parts[0] == "opinions" and parts[1] in self.by_id:
                story = self.by_id[parts[1]]
                field = {"tags": "_tags", "healthservices": "_services", "responses": "_responses"}
                if parts[2] in field:
                    return 200, {}, story[field[parts[2]]]
            return super().answer(path, query)

    server = Indexed(made)
    server.by_id = {str(story["id"]): story for story in made}
    return server.start()


def timed_client(server):
    """A client without the 5-a-second wait (the server is ours), noting when its last
    story was read: the sync writes nothing before then."""
    from planboard.feedback.care_opinion import CareOpinionClient, RateLimiter

    class NoWait(RateLimiter):
        def wait(self):
            pass

    class Timed(CareOpinionClient):
        read_at = None

        def stories(self, since=None):
            yield from super().stories(since)
            self.read_at = time.perf_counter()

    return Timed(server.url, server.key, limiter=NoWait())


class QueryCount:
    """Counts the statements run on the default connection (cheaper than capturing)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def time_sync(strategy, server, label: str) -> dict:
    from django.db import connection

    from planboard.feedback.sync import sync_care_opinion

    client, counter = timed_client(server), QueryCount()
    start = time.perf_counter()
    with connection.execute_wrapper(counter):
        summary = sync_care_opinion(strategy, client=client)
    end = time.perf_counter()
    found = summary.as_dict()
    return {
        "sync": label,
        "stories": found["stories"],
        "created": found["created"],
        "updated": found["updated"],
        "unchanged": found["unchanged"],
        "total_s": end - start,
        "read_s": client.read_at - start,
        "write_s": end - client.read_at,
        "requests": client.requests_sent,
        "queries": counter.count,
        "queries_per_story": counter.count / max(found["stories"], 1),
    }


def time_page(client, url: str, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url)  # warm: templates compiled, caches filled
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    queries = len(captured)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    times.sort()
    return {
        "url": url,
        "median_s": statistics.median(times),
        "p95_s": times[min(len(times) - 1, round(0.95 * (len(times) - 1)))],
        "queries": queries,
        "kilobytes": round(len(response.content) / 1024),
    }


def set_up(slug: str):
    """A strategy with a service for each code but the last, and a governance user."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from planboard.feedback.models import Service
    from planboard.feedback.services import save_feedback_service
    from planboard.people.access import GOVERNANCE
    from planboard.plans.synthetic import build_synthetic_plan

    strategy = build_synthetic_plan(slug=slug, actions=100, themes=4)
    for code in CODES:
        save_feedback_service(
            Service(strategy=strategy, name=f"Service {code}", code=code), user=None
        )
    user, _ = get_user_model().objects.get_or_create(username="bench-governance")
    user.groups.add(Group.objects.get_or_create(name=GOVERNANCE)[0])
    return strategy, user


# --- the public "you said, we did" page: measured once it is there ------------------


def you_said_we_did(client, strategy, repeat: int) -> list[dict] | str:
    """Times /public/<slug>/you-said-we-did/ and its .json and .csv twins when the
    address resolves, after publishing a tenth of the items; "not present" otherwise."""
    from django.urls import Resolver404, resolve

    from planboard.feedback.models import FeedbackItem, FeedbackPublication

    base = f"/public/{strategy.slug}/you-said-we-did"
    try:
        resolve(base + "/")
    except Resolver404:
        return "not present"
    sys.path.insert(0, str(ROOT / "bench"))
    from public import publish_everything, time_url

    publish_everything(strategy)
    now = datetime.datetime.now(datetime.UTC)
    FeedbackPublication.objects.bulk_create(
        FeedbackPublication(
            item=item,
            you_said=f"You told us about story {item.source_id}.",
            we_did="We changed how we plan discharge.",
            approved_at=now,
        )
        for item in FeedbackItem.objects.filter(strategy=strategy)[::10]
    )
    urls = [base + "/", base + ".json", base + ".csv"]
    # Built (the cache emptied before each request), cached, and answered "not modified",
    # as bench/public.py times the strategy's public page.
    return [time_url(client, url, repeat) for url in urls if _resolves(url)]


def _resolves(url: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(url)
    except Resolver404:
        return False
    return True


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    output = RESULTS / ("feedback_postgresql.json" if postgres else "feedback.json")

    with tempfile.TemporaryDirectory(prefix="planboard-bench-") as folder:
        configure(Path(folder), os.environ.get("DATABASE_URL") if postgres else None)
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from planboard.feedback.models import Service

        call_command("migrate", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)
        strategy, user = set_up("bench")
        made = stories(args.stories)
        server = indexed_server(made)
        try:
            syncs = [time_sync(strategy, server, "first")]
            syncs.append(time_sync(strategy, server, "nothing changed"))
            for story in made[::100]:
                story["title"] = f"{story['title']} (edited)"
            syncs.append(time_sync(strategy, server, "1% changed"))
        finally:
            server.stop()

        client = Client()
        client.force_login(user)
        base = f"/strategies/{strategy.slug}/feedback/"
        service = Service.objects.get(strategy=strategy, code=CODES[0])
        filters = [
            "",
            "?source=care_opinion",
            f"?service={service.pk}",
            "?tag=kindness",
            "?loop=responded",
            "?linked=no",
            "?page=20",
        ]
        pages = [time_page(client, base + query, args.repeat) for query in filters]
        public = you_said_we_did(Client(), strategy, args.repeat)
        connection.close()

    results = {
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "database": "postgresql" if postgres else "sqlite",
        "stories": args.stories,
        "repeat": args.repeat,
        "syncs": syncs,
        "feedback_page": pages,
        "you_said_we_did": public,
    }
    output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for run in syncs:
        print(
            f"sync ({run['sync']}): {run['total_s']:.1f} s, of which reading "
            f"{run['read_s']:.1f} s ({run['requests']} requests) and writing "
            f"{run['write_s']:.2f} s; {run['queries']} queries "
            f"({run['queries_per_story']:.3f} a story)"
        )
    for page in pages:
        print(
            f"{page['url']}: median {page['median_s'] * 1000:.0f} ms, "
            f"p95 {page['p95_s'] * 1000:.0f} ms, {page['queries']} queries, "
            f"{page['kilobytes']} KB"
        )
    if not isinstance(public, list):
        print(f"you said, we did: {public}")
        return
    for page in public:
        print(
            f"{page['url']}: built {page['built_s']['median'] * 1000:.0f} ms "
            f"({page['queries_built']} queries), cached {page['cached_s']['median'] * 1000:.1f} ms "
            f"({page['queries_cached']}), not modified "
            f"{page['not_modified_s']['median'] * 1000:.1f} ms, {page['kilobytes']} KB"
        )


if __name__ == "__main__":
    main()
