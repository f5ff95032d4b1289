"""Benchmarks of board papers: time and peak memory of each format, seed and 1,000 actions.

    .venv/bin/python bench/papers.py [--repeat N] [--sizes 1000] [--formats html,pdf,docx,xlsx]

A throw-away SQLite database gets the seed paper and a synthetic plan per size, each with
a closed reporting period. Each format of each plan is then written in its own Python
process (``write_paper``: the paper built from the period's snapshots, then rendered),
so its peak memory (the process's maximum resident set) is its own and not the previous
format's. A large PDF is laid out in a further process; its peak is reported too, and the
table's figure is the larger of the two. Each format is timed cold (the first run, which
also loads the format's libraries and fonts) and warm (the median of the runs after it,
what a worker that has made papers before takes); a PDF's pages are counted (pypdf).
The results go to bench/results/papers.json and are printed as a table.
Benchmarks are not tests: nothing here passes or fails on time.
"""

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import ROOT, SEED_PAPER, configure, machine  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "papers.json"
FORMATS = ("html", "pdf", "docx", "xlsx")
PERIOD = "2016/17 Q3"


def prepare(sizes: list[int]) -> list[dict]:
    """Import the seed, build the synthetic plans, close a period in each."""
    from django.core.management import call_command

    from planboard.imports.services import import_paper
    from planboard.plans.synthetic import build_synthetic_plan
    from planboard.progress.services import close_period, open_period

    call_command("migrate", verbosity=0)
    import_paper(SEED_PAPER, slug="sue")
    plans = [{"slug": "sue", "source": "seed paper"}]
    for size in sizes:
        build_synthetic_plan(f"synthetic-{size}", actions=size)
        plans.append({"slug": f"synthetic-{size}", "source": "synthetic"})
    from planboard.plans.models import Action, Strategy

    for plan in plans:
        strategy = Strategy.objects.get(slug=plan["slug"])
        close_period(open_period(strategy, PERIOD, user=None), user=None)
        plan["actions"] = Action.objects.filter(theme__strategy=strategy).count()
    return plans


def child(slug: str, name: str, repeat: int) -> dict:
    """In a fresh process: write one format ``repeat`` times; time and peak memory."""
    from planboard.papers.generation import write_paper
    from planboard.plans.models import Strategy

    strategy = Strategy.objects.get(slug=slug)
    period = strategy.periods.get(label=PERIOD)
    before = _peak_mb()
    times, size = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        written = write_paper(strategy, period, name)
        times.append(time.perf_counter() - start)
        size = len(written.content)
    return {
        "format": name,
        "runs": repeat,
        "first_s": times[0],
        "cold_s": times[0],
        "warm_s": statistics.median(times[1:]) if len(times) > 1 else None,
        "pages": _pages(written.content) if name == "pdf" else None,
        "median_s": statistics.median(times),
        "min_s": min(times),
        # The largest of this process and the processes it started (a large PDF is laid
        # out in a process of its own): the most memory one process of the job took.
        "peak_mb": max(_peak_mb(), _peak_mb(resource.RUSAGE_CHILDREN)),
        "own_peak_mb": _peak_mb(),
        "child_peak_mb": _peak_mb(resource.RUSAGE_CHILDREN),
        "before_mb": before,
        "kilobytes": round(size / 1024),
    }


def _pages(content: bytes) -> int:
    """How many pages the PDF ``content`` has, read back with pypdf."""
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(bytes(content))).pages)


def calibration() -> float:
    """Seconds this machine takes for a fixed piece of pure-Python work (median of 5).

    Shared machines run faster or slower from one minute to the next; the same figure
    before and after the run says how much the paper figures may have moved with it.
    """
    import hashlib

    times = []
    for _ in range(5):
        start = time.perf_counter()
        digest = b""
        for number in range(200_000):
            digest = hashlib.sha256(digest + str(number).encode()).digest()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _peak_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: kilobytes


def print_table(results: dict) -> None:
    print(f"Machine: {results['machine']['cpus']} CPUs, {results['machine']['platform']}")
    before, after = results["calibration_s"]["before"], results["calibration_s"]["after"]
    print(f"Calibration (fixed work): {before:.3f} s before, {after:.3f} s after")
    header = f"{'plan':<18}{'actions':>8}{'format':>8}{'cold s':>8}{'warm s':>8}"
    header += f"{'median s':>10}{'peak MB':>9}{'KB':>8}{'pages':>7}"
    print(header)
    print("-" * len(header))
    for plan in results["plans"]:
        for row in plan["formats"]:
            warm = row.get("warm_s")
            print(
                f"{plan['slug']:<18}{plan['actions']:>8}{row['format']:>8}"
                f"{row['first_s']:>8.2f}{'' if warm is None else f'{warm:.2f}':>8}"
                f"{row['median_s']:>10.2f}{row['peak_mb']:>9.0f}{row['kilobytes']:>8}"
                f"{row.get('pages') or '':>7}"
            )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="Runs per figure (default 3).")
    parser.add_argument("--sizes", default="1000", help="Synthetic plan sizes (default 1000).")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--child", nargs=3, metavar=("FOLDER", "SLUG", "FORMAT"), help="internal")
    args = parser.parse_args(argv)

    if args.child:
        folder, slug, name = args.child
        configure_existing(Path(folder))
        print(json.dumps(child(slug, name, args.repeat)))
        return

    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    names = [name.strip() for name in args.formats.split(",") if name.strip()]
    calibration_before = calibration()
    with tempfile.TemporaryDirectory(prefix="planboard-bench-") as folder:
        configure(Path(folder))
        plans = prepare(sizes)
        from django.db import connection

        connection.close()
        for plan in plans:
            plan["formats"] = [
                _run_child(folder, plan["slug"], name, args.repeat) for name in names
            ]
    results = {
        "measured_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "calibration_s": {"before": calibration_before, "after": calibration()},
        "plans": plans,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_table(results)
    shown = args.output.relative_to(ROOT) if args.output.is_relative_to(ROOT) else args.output
    print(f"\nWritten to {shown}")


def configure_existing(folder: Path) -> None:
    """Start Django on the database ``prepare`` made in ``folder`` (a child process)."""
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "PLANBOARD_VAR_DIR": str(folder / "var"),
            "SECRET_KEY": "bench-only",
            "DEBUG": "false",
            "HTTPS": "false",
            "DJANGO_SETTINGS_MODULE": "planboard.settings",
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _run_child(folder: str, slug: str, name: str, repeat: int) -> dict:
    command = [sys.executable, __file__, "--repeat", str(repeat), "--child", folder, slug, name]
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise SystemExit(f"{slug} {name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
