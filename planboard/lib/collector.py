"""How planboard sets Python's garbage collector for the work it does in bulk.

A page, a paper or a download allocates tens of thousands of objects that reference
counting frees at once; counting them towards a collection every 700 (Python's first
threshold) made the collector run many times a request for nothing, and walk every
long-lived object on each full collection. Server workers keep ``THRESHOLDS`` for good
(``planboard/gunicorn_conf.py``); laying a paper out as a PDF raises them while it runs
(``fewer_collections``), a fifth of the seed PDF's time. Nothing here imports Django,
so the process that lays out a large PDF can use it.
"""

import gc
from contextlib import contextmanager

#: The collector's thresholds for bulk work (Python's own are 700, 10, 10).
THRESHOLDS = (50_000, 20, 20)


@contextmanager
def fewer_collections():
    """Run the block with ``THRESHOLDS``, then put back the thresholds it found."""
    found = gc.get_threshold()
    gc.set_threshold(*THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*found)
