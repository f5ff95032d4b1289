"""Chromium through Playwright against pytest-django's live server, with the seed paper.

One Chromium serves every browser test of a test process (starting Playwright and
Chromium again for each test took over a second each time); each test opens contexts
of its own, closed when it ends, so no cookie or page outlives it. Playwright's sync API
marks an asyncio loop as running in the test's thread while it is open, and Django
would then refuse the ORM calls the tests' data fixtures and the database flush make
in that thread, although nothing runs on that loop while they do:
``DJANGO_ALLOW_ASYNC_UNSAFE`` lets them through. Tests outside this folder never start
Playwright (scripts/run-tests runs the browser tests in a pytest run of their own).
"""

import functools
import os
from pathlib import Path

import pytest

from tests.browser.snapshots import snapshot

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Debian's Chromium; Playwright's own browser download does not work here.
CHROMIUM = Path(os.environ.get("PLANBOARD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
USERNAME = "jlyon"
PASSWORD = "a long Passphrase 42"


@pytest.fixture(autouse=True)
def _static_files_by_plain_name(settings):
    """Serve static files by their plain names, as the live server finds them.

    Outside DEBUG the settings hash static file names (whitenoise's manifest storage),
    and the live server's static handler looks files up by their source names, so it
    would answer 404 for every stylesheet. The pages are the same either way.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
@snapshot(parent=None)
def seed_strategy(db):
    """The seed paper imported under the slug "sue" (restored from a snapshot when it can be)."""
    from planboard.imports.services import import_paper
    from planboard.plans.models import Strategy
    from tests.conftest import SEED_PAPER

    import_paper(SEED_PAPER, slug="sue")
    return Strategy.objects.get(slug="sue")


@pytest.fixture
@snapshot(parent="seed_strategy")
def reader(django_user_model, seed_strategy):
    """Someone who can sign in, and the seed paper imported as strategy "sue"."""
    return django_user_model.objects.create_user(
        USERNAME, password=PASSWORD, first_name="Jane", last_name="Lyon"
    )


@pytest.fixture(scope="session")
def chromium():
    """Chromium, started once per test process."""
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: install it with `apt-get install chromium`.")
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def browser(reader, live_server, chromium):
    """Chromium, for a test whose data is made; every context it opens closes after it."""
    yield chromium
    for context in chromium.contexts:
        context.close()


def open_page(browser, live_server, **options):
    """A page in a fresh context that reaches only the live server.

    The NHS.UK stylesheet asks for its fonts from assets.nhs.uk; without CSP (see
    ``page``) the browser would wait for them on a machine with no network.
    """
    context = browser.new_context(base_url=live_server.url, **options)
    context.route(
        lambda url: not url.startswith(live_server.url),
        lambda route: route.abort("blockedbyclient"),
    )
    return context.new_page()


@pytest.fixture
def page(browser, live_server):
    """A page in a fresh context, with the Content-Security-Policy bypassed."""
    return open_page(browser, live_server, bypass_csp=True)


def sign_in(page, username=USERNAME, password=PASSWORD):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)


@functools.cache
def axe_script() -> str:
    """axe-core's script, read once per test process."""
    return AXE.read_text(encoding="utf-8")


def axe_violations(page):
    """The WCAG 2.2 AA violations axe-core finds on the page, in a readable form."""
    if not page.evaluate("() => 'axe' in window"):
        # Evaluated by the browser's debugging protocol, not as a script tag, so
        # axe runs whatever the page's Content-Security-Policy allows.
        page.evaluate(axe_script())
    violations = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})"
        ".then(result => result.violations)",
        WCAG_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
    ]


GOVERNANCE_USERNAME = "hcg"


@pytest.fixture
@snapshot(parent="reader")
def cycle(reader, django_user_model, seed_strategy):
    """The quarterly cycle on the seed plan, made before the browser starts.

    Jane Lyon (the ``reader``) leads as Head of SUEMU; the governance team closed
    2016/17 Q3 and opened 2016/17 Q4, where two updates wait for review. Returns the ref
    of an unrated, open action Jane leads, for her to update.
    """
    from django.contrib.auth.models import Group

    from planboard.people.access import GOVERNANCE, LEAD, ensure_groups
    from planboard.people.models import Person
    from planboard.plans.models import Action
    from planboard.progress.services import (
        accept_update,
        close_period,
        open_period,
        submit_update,
    )

    ensure_groups()
    reader.groups.add(Group.objects.get(name=LEAD))
    Person.objects.filter(strategy=seed_strategy, name="Jane Lyon").update(user=reader)
    governor = django_user_model.objects.create_user(
        GOVERNANCE_USERNAME,
        password=PASSWORD,
        first_name="Tania",
        last_name="Baxter",
        is_staff=True,
    )
    governor.groups.add(Group.objects.get(name=GOVERNANCE))
    mine = (
        Action.objects.for_strategy(seed_strategy)
        .filter(leads__people__user=reader)
        .select_related("theme")
        .in_plan_order()
    )
    q3 = open_period(seed_strategy, "2016/17 Q3", user=governor)
    first = mine.exclude(status="complete").first()
    update = submit_update(first, user=reader, narrative="Reported to SUSEG in December.")
    accept_update(update, user=governor, expected_version=update.version)
    close_period(q3, user=governor)
    open_period(seed_strategy, "2016/17 Q4", user=governor)
    waiting = list(mine.exclude(status="complete").exclude(pk=first.pk)[:2])
    for action in waiting:
        submit_update(action, user=reader, narrative=f"Progress on {action.ref} this quarter.")
    unrated = (
        mine.exclude(status="complete")
        .exclude(pk__in=[first.pk] + [a.pk for a in waiting])
        .filter(rag_level__isnull=True)
        .first()
    )
    return unrated.ref


@pytest.fixture
@snapshot(parent="cycle")
def full_cycle(cycle, reader, seed_strategy):
    """The ``cycle`` with an update in each state a page shows, made before the browser starts.

    In 2016/17 Q4, besides the two updates waiting for review, the governance team
    returned one of Jane Lyon's updates with a comment and accepted another that rated
    its action Amber and moved its target from the plan's date to September 2017, with
    the reason; two more of her updates wait for review. Returns the refs of her actions
    by the state of their update: "unrated" (the cycle's action, no update yet),
    "waiting", "returned" and "accepted".
    """
    import datetime

    from django.contrib.auth import get_user_model

    from planboard.plans.models import Action, RagLevel
    from planboard.progress.models import Update
    from planboard.progress.services import accept_update, return_update, submit_update

    governor = get_user_model().objects.get(username=GOVERNANCE_USERNAME)
    mine = list(
        Action.objects.for_strategy(seed_strategy)
        .filter(leads__people__user=reader)
        .exclude(status="complete")
        .select_related("theme")
        .in_plan_order()
    )
    waiting = Update.objects.filter(period__label="2016/17 Q4", status="submitted").order_by("pk")
    waiting_refs = [update.action.ref for update in waiting.select_related("action__theme")]
    taken = {cycle, *waiting_refs, *(a.ref for a in mine if a.updates.exists())}
    returned, accepted, *more = [action for action in mine if action.ref not in taken][:4]

    update = submit_update(returned, user=reader, narrative="Two directorates have replied.")
    return_update(
        update,
        user=governor,
        comment="Say which two directorates, and when the others will reply.",
        expected_version=update.version,
    )
    update = submit_update(
        accepted,
        user=reader,
        narrative="The links are made; the first joint event moved to the summer.",
        proposed_rag=RagLevel.objects.get(strategy=seed_strategy, label="Amber"),
        new_target_date=datetime.date(2017, 9, 30),
        reason="Recovery Enterprises asked to hold the first event after their AGM.",
    )
    accept_update(update, user=governor, expected_version=update.version)
    for action in more:
        submit_update(action, user=reader, narrative=f"Progress on {action.ref} this quarter.")
    return {
        "unrated": cycle,
        "waiting": waiting_refs[0],
        "returned": returned.ref,
        "accepted": accepted.ref,
    }


def in_a_thread(function):
    """Run ``function`` (an ORM call) outside the thread Playwright's event loop marks."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def run():
        try:
            return function()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()
