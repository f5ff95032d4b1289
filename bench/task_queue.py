"""Benchmark of the task queue: how long a task waits before a worker starts it, and how
many paper files one worker makes a minute.

    .venv/bin/python bench/task_queue.py [--samples 20] [--repeat 3]
    scripts/with-postgres .venv/bin/python bench/task_queue.py   # on PostgreSQL

One real ``planboard worker`` process, started as an operator would (its default
``--interval`` of 1 s between looks at an empty queue), runs against a fresh database.

- **Waiting, idle**: a task that does nothing (bench/queue_tasks.py) is queued at a
  random moment while the worker is idle, ``--samples`` times; its wait is from being
  queued to being started (the queue's own ``enqueued_at`` and ``started_at``).
- **Waiting behind 100**: 100 such tasks are queued at once, then one more, whose wait
  is measured; ``--repeat`` times.
- **Paper files a minute**: the seed plan's closed quarter is asked for as HTML 30 times
  and as PDF 10 times (after one file of each, not counted, has loaded the libraries);
  files a minute is how many were made over the time from the first start to the last
  finish.

Results go to bench/results/queue.json (or queue_postgresql.json). Benchmarks are not
tests: nothing passes or fails on time.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The project's root, for ``bench.queue_tasks``, the task the worker runs.
sys.path.insert(0, str(HERE.parent))

import argparse  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from bench.run import ROOT, SEED_PAPER, configure, machine  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PLANBOARD = Path(sys.executable).with_name("planboard")
BEHIND = 100
FILES = {"html": 30, "pdf": 10}


def start_worker(folder: Path) -> subprocess.Popen:
    """``planboard worker`` as an operator starts it, with this benchmark's settings."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = (folder / "worker.log").open("w")
    return subprocess.Popen(  # noqa: S603 - our own command with fixed arguments
        [str(PLANBOARD), "worker", "--no-startup-delay"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def finished(task_ids, seconds=600):
    """The queue's rows of ``task_ids`` once all have finished."""
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + seconds
    while True:
        rows = list(DBTaskResult.objects.filter(id__in=task_ids))
        if all(row.finished_at is not None for row in rows):
            return rows
        if time.monotonic() > deadline:
            raise SystemExit(f"the worker did not finish {len(task_ids)} tasks in {seconds} s")
        time.sleep(0.02)


def waited(row) -> float:
    return (row.started_at - row.enqueued_at).total_seconds()


def wait_when_idle(samples: int) -> list[float]:
    from bench.queue_tasks import nothing

    waits = []
    for _ in range(samples):
        # Tasks arrive at any moment of the worker's look-and-sleep cycle.
        time.sleep(random.uniform(1.0, 2.0))  # noqa: S311 - not for security
        (row,) = finished([nothing.enqueue().id])
        waits.append(waited(row))
    return waits


def wait_behind(repeat: int) -> list[float]:
    from bench.queue_tasks import nothing

    waits = []
    for _ in range(repeat):
        time.sleep(random.uniform(1.0, 2.0))  # noqa: S311 - not for security
        ahead = [nothing.enqueue().id for _ in range(BEHIND)]
        probe = nothing.enqueue().id
        rows = {str(row.id): row for row in finished([*ahead, probe])}
        waits.append(waited(rows[probe]))
    return waits


def files_a_minute(period) -> dict:
    from planboard.papers.generation import request_paper
    from planboard.papers.models import GeneratedPaper

    def make(name, count):
        jobs = [request_paper(period.strategy, period, name, user=None) for _ in range(count)]
        finished([job.task_id for job in jobs])
        done = list(GeneratedPaper.objects.filter(pk__in=[job.pk for job in jobs]))
        failed = [job.error for job in done if job.status != "done"]
        if failed:
            raise SystemExit(f"{len(failed)} {name} files failed: {failed[0]}")
        return done

    results = {}
    for name, count in FILES.items():
        make(name, 1)  # loads the format's libraries and fonts: not counted
        done = make(name, count)
        span = (
            max(job.finished_at for job in done) - min(job.started_at for job in done)
        ).total_seconds()
        each = [(job.finished_at - job.started_at).total_seconds() for job in done]
        results[name] = {
            "files": count,
            "span_s": span,
            "per_minute": count / span * 60,
            "each_s": {"median": statistics.median(each), "max": max(each)},
            "kilobytes": round(statistics.median(job.size for job in done) / 1024),
        }
    return results


def summary(times: list[float]) -> dict:
    return {
        "median": statistics.median(times),
        "min": min(times),
        "max": max(times),
        "runs": times,
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20, help="Idle waits (default 20).")
    parser.add_argument("--repeat", type=int, default=3, help="Waits behind 100 (default 3).")
    args = parser.parse_args(argv)
    postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    output = RESULTS / ("queue_postgresql.json" if postgres else "queue.json")

    with tempfile.TemporaryDirectory(prefix="planboard-bench-") as folder:
        folder = Path(folder)
        os.environ["PAPERS_ON_CLOSE"] = "false"  # the files below are asked for one by one
        configure(folder, os.environ.get("DATABASE_URL") if postgres else None)
        from django.core.management import call_command
        from django.db import connection

        from planboard.imports.services import import_paper
        from planboard.progress.services import close_period, open_period

        call_command("migrate", verbosity=0)
        from planboard.plans.models import Strategy

        import_paper(SEED_PAPER, slug="sue")
        strategy = Strategy.objects.get(slug="sue")
        period = close_period(open_period(strategy, "2016/17 Q3", user=None), user=None)
        connection.close()

        worker = start_worker(folder)
        try:
            idle = wait_when_idle(args.samples)
            print(f"idle: median wait {statistics.median(idle):.3f} s", flush=True)
            behind = wait_behind(args.repeat)
            print(f"behind {BEHIND}: median wait {statistics.median(behind):.3f} s", flush=True)
            papers = files_a_minute(period)
        finally:
            worker.terminate()
            worker.wait(timeout=300)
        results = {
            "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "database": connection.vendor,
            "worker": "one planboard worker process, --interval 1 (the default)",
            "wait_idle_s": summary(idle),
            f"wait_behind_{BEHIND}_s": summary(behind),
            "papers": papers,
        }
        connection.close()
    output.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(
        f"On {results['database']}: a task waits {statistics.median(idle):.2f} s when the "
        f"queue is idle (median of {len(idle)}), {statistics.median(behind):.2f} s behind "
        f"{BEHIND} others (median of {len(behind)}); one worker makes "
        + ", ".join(f"{p['per_minute']:.0f} {name.upper()}" for name, p in papers.items())
        + " files a minute"
    )


if __name__ == "__main__":
    main()
