"""Signing in and out through a real OpenID Connect provider, in Chromium, end to end:
planboard's sign-in page, the provider's own login form, back to planboard signed in as
the person in the key; then signing out of both (RP-initiated logout)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_violations, in_a_thread
from tests.oidc.server import PASSWORD, oidc_provider, single_sign_on  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_lead_signs_in_with_the_provider_and_out_of_both(
    single_sign_on,  # noqa: F811
    browser,
    live_server,
    seed_strategy,
    settings,
):
    from planboard.people.models import Person

    mia = Person.objects.filter(strategy=seed_strategy, name="Mia Bajin")
    mia.update(email="mia.bajin@nhs.net")
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**directives, "form-action": ["'self'", single_sign_on.issuer]}
    }
    context = browser.new_context(base_url=live_server.url)
    allowed = (live_server.url, single_sign_on.issuer)
    context.route(
        lambda url: not url.startswith(allowed), lambda route: route.abort("blockedbyclient")
    )
    page = context.new_page()

    page.goto("/my-actions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to planboard")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Sign in with NHSmail").click()

    page.wait_for_url(f"{single_sign_on.issuer}/interaction/**")
    page.get_by_label("Username").fill("mia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()

    page.wait_for_url(f"{live_server.url}/my-actions/")
    expect(page.locator("header")).to_contain_text("Mia Bajin")
    linked = in_a_thread(lambda: mia.get().user.username)
    assert linked == "mia.bajin@nhs.net"

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{single_sign_on.issuer}/session/end**")
    page.get_by_role("button", name="Yes, sign me out").click()

    page.wait_for_url(f"{live_server.url}/sign-in/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to planboard")
    page.goto("/my-actions/")
    expect(page).to_have_url(f"{live_server.url}/sign-in/?next=/my-actions/")
    # The provider's session is over too: its button asks for the password again.
    page.get_by_role("button", name="Sign in with NHSmail").click()
    page.wait_for_url(f"{single_sign_on.issuer}/interaction/**")
    expect(page.get_by_label("Password")).to_be_visible()
