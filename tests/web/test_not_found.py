"""A page that is not there says so in plain words, in the layout of where it was looked for."""


def test_a_missing_public_page_keeps_the_public_layout(client, db):
    response = client.get("/public/no-such-strategy/")
    assert response.status_code == 404
    page = response.text
    assert '<h1 class="nhsuk-heading-l">Page not found</h1>' in page
    assert "<title>Page not found – planboard</title>" in page
    assert 'href="/public/">See all published strategies</a>' in page
    assert "Accessibility statement" in page  # the public footer
    assert "Sign out" not in page and "Go to the strategies" not in page


def test_a_missing_page_of_planboard_leads_back_to_the_strategies(signed_in):
    response = signed_in.get("/strategies/no-such-strategy/")
    assert response.status_code == 404
    page = response.text
    assert '<h1 class="nhsuk-heading-l">Page not found</h1>' in page
    assert 'href="/">Go to the strategies</a>' in page
    assert "Sign out" in page  # the signed-in header, with its menu
    assert "See all published strategies" not in page
