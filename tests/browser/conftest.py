"""Chromium through Playwright against pytest-django's live server, with the seed paper.

Playwright's sync API marks an asyncio loop as running in the test's thread while it is
open, and Django then refuses ORM calls there. So the data is made before the browser
starts and the browser is closed before the database is flushed: the ``browser``
fixture depends on the data fixtures and is function-scoped.
"""

import os
from pathlib import Path

import pytest

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
def reader(django_user_model, seed_strategy):
    """Someone who can sign in, and the seed paper imported as strategy "sue"."""
    return django_user_model.objects.create_user(
        USERNAME, password=PASSWORD, first_name="Jane", last_name="Lyon"
    )


@pytest.fixture
def browser(reader, live_server):
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing: install it with `apt-get install chromium`.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


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
    """A page in a fresh context; axe is injected as an inline script, so CSP is bypassed."""
    return open_page(browser, live_server, bypass_csp=True)


def sign_in(page, username=USERNAME, password=PASSWORD):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in/" not in url)


def axe_violations(page):
    """The WCAG 2.2 AA violations axe-core finds on the page, in a readable form."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
        ".then(result => result.violations)",
        WCAG_TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
    ]
