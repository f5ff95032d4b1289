"""Public pages are cached, and the cache follows published content, in every process.

A page is cached under a key made from a fingerprint of the plan data: the newest
history row of every model a public page reads (strategies, themes, commitments,
actions, RAG levels, periods, updates, the public texts and the published "you said,
we did" and the engagement summary; for the "you said, we did" pages also the feedback
items, whose history follows their links, and the services; for the engagement summary
the activities, whose history follows their links, their participation and the
services), and how many history rows each has. Every
change to those is recorded in their history, so any change makes a new fingerprint and
the next request builds the page afresh; nothing has to be told to forget anything, so
app servers with their own caches never serve a page another one
has changed. The count is there for two changes made at once: the one that took the
lower history id may commit last, and the newest id, already seen, would not change
when it does. The fingerprint costs one query, and it is also the page's ETag, so a
browser or proxy that already has the page gets "304 Not Modified".
"""

import hashlib

from django.core.cache import cache
from django.db import connection

from planboard.engagement.models import Activity, Participation
from planboard.feedback.models import FeedbackItem, FeedbackPublication, Service
from planboard.plans.models import Action, Commitment, RagLevel, Strategy, Theme
from planboard.progress.models import ReportingPeriod, Update
from planboard.public.models import (
    ActionPublication,
    CommitmentPublication,
    EngagementSummary,
    StrategyPublication,
    ThemePublication,
)

WATCHED = (
    Strategy,
    Theme,
    Commitment,
    Action,
    RagLevel,
    ReportingPeriod,
    Update,
    StrategyPublication,
    ThemePublication,
    ActionPublication,
    CommitmentPublication,
    # The strategy page links to "you said, we did" when something is published.
    FeedbackPublication,
    # The strategy page links to the engagement summary once it is published.
    EngagementSummary,
)
# "You said, we did" also shows the services and links of the published items.
FEEDBACK_WATCHED = (*WATCHED, FeedbackItem, Service)
# The engagement summary also shows the activities, their participation and services.
ENGAGEMENT_WATCHED = (*WATCHED, Activity, Participation, Service)
# A day: entries for old fingerprints are never read again, so they only need to expire.
TIMEOUT = 24 * 60 * 60


def fingerprint(watched=WATCHED) -> str:
    """A short hash that changes whenever anything a public page shows changes."""
    quote = connection.ops.quote_name
    tables = [quote(model.history.model._meta.db_table) for model in watched]
    parts = ", ".join(
        f"(SELECT MAX(history_id) FROM {table}), (SELECT COUNT(*) FROM {table})"  # noqa: S608
        for table in tables
    )
    with connection.cursor() as cursor:
        # The table names come from the models, never from a request.
        cursor.execute(f"SELECT {parts}")
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:20]


def request_fingerprint(request, watched=WATCHED) -> str:
    """The fingerprint, worked out once per request."""
    found = request.__dict__.setdefault("_public_fingerprints", {})
    if watched not in found:
        found[watched] = fingerprint(watched)
    return found[watched]


def etag(request, *args, **kwargs) -> str:
    """The ETag of a public response: the content's fingerprint and the path asked for."""
    key = f"{request_fingerprint(request)}:{request.path}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def feedback_etag(request, *args, **kwargs) -> str:
    """The ETag of a "you said, we did" response: as ``etag``, also watching the feedback
    and the query string (its filters and page)."""
    key = f"{request_fingerprint(request, FEEDBACK_WATCHED)}:{request.get_full_path()}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def engagement_etag(request, *args, **kwargs) -> str:
    """The ETag of an engagement summary response: as ``etag``, also watching the
    engagement activities."""
    key = f"{request_fingerprint(request, ENGAGEMENT_WATCHED)}:{request.path}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def cached(request, name: str, build, watched=WATCHED):
    """``build()``'s result, kept for this fingerprint under ``name``."""
    key = f"planboard:public:{request_fingerprint(request, watched)}:{name}"
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, TIMEOUT)
    return found
