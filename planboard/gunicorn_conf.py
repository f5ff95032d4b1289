"""gunicorn's hooks for ``planboard serve`` (passed as ``--config python:planboard.gunicorn_conf``).

Each worker, once it has loaded planboard, loads the URLs (and with them every view
module) and the templates' environment, then moves everything it holds so far out of
the garbage collector's sight with ``gc.freeze()``: those objects live as long as the
worker, and a full collection would otherwise walk all of them again on every few
requests (about a third of a large page's time). The collector's first threshold is
raised for the same reason: a page allocates tens of thousands of objects that
reference counting frees at once, and counting them towards a collection every 700
made the collector run many times a request for nothing (``planboard/lib/collector.py``).
"""

import gc

from planboard.lib.collector import THRESHOLDS as GC_THRESHOLDS


def settle_worker() -> None:
    """Load what every request needs, then freeze it and raise the thresholds."""
    from django.template import engines
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    for engine in engines.all():
        getattr(engine, "env", None)  # builds Jinja2's environment
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def post_worker_init(worker) -> None:
    """gunicorn's hook, called in each worker after it has loaded the application."""
    settle_worker()
