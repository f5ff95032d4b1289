"""What a piece of work costs, and whether it changed the database: the measures a test
of a hostile input holds its refusal to.

``cost_of`` runs the work in this process and reports its wall-clock time and the peak
of the process's resident memory above what it held when the work began. The peak is
the kernel's own high-water mark (``VmHWM``), reset just before the work by writing 5
to ``/proc/self/clear_refs``, so memory taken by C libraries (lxml, zlib) counts as
well as Python's, and a peak reached earlier by another test does not hide this one.

``database_fingerprint`` is every row of every planboard table, hashed: equal before
and after means the work left the database exactly as it was.
"""

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps

LIMIT_SECONDS = 2.0
LIMIT_MB = 300


@dataclass
class Cost:
    seconds: float
    peak_mb: float
    error: BaseException | None
    result: object = None

    def within_limits(self) -> bool:
        return self.seconds < LIMIT_SECONDS and self.peak_mb < LIMIT_MB

    def __str__(self) -> str:
        return f"{self.seconds:.2f} s, {self.peak_mb:.0f} MB above the baseline"


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


def cost_of(work, *args, **kwargs) -> Cost:
    """Run ``work(*args, **kwargs)``; what it cost, and what it raised or returned."""
    Path("/proc/self/clear_refs").write_text("5")  # the high-water mark restarts here
    baseline = _status_kb("VmRSS")
    started = time.perf_counter()
    error = result = None
    try:
        result = work(*args, **kwargs)
    except Exception as err:  # noqa: BLE001 - the refusal is what most callers expect
        error = err
    seconds = time.perf_counter() - started
    peak_mb = max(_status_kb("VmHWM") - baseline, 0) / 1024
    return Cost(seconds=seconds, peak_mb=peak_mb, error=error, result=result)


def refused_within_limits(work, *args, expect: type[BaseException], **kwargs) -> Cost:
    """Assert ``work`` raises ``expect`` within the time and memory limits; its cost."""
    cost = cost_of(work, *args, **kwargs)
    assert isinstance(cost.error, expect), f"expected {expect.__name__}, got {cost.error!r}"
    assert cost.within_limits(), f"refused, but it cost {cost}"
    return cost


def database_fingerprint(leaving_out: tuple[str, ...] = ()) -> str:
    """A hash of every row of every planboard table (and the accounts), but those of the
    models labelled in ``leaving_out`` ("imports.ImportJob")."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if not model.__module__.startswith("planboard.") and model._meta.app_label != "auth":
            continue
        if model._meta.label in leaving_out:
            continue
        digest.update(model._meta.label.encode())
        for row in model._base_manager.order_by("pk").values_list():
            digest.update(repr(row).encode())
    return digest.hexdigest()
