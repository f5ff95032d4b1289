import re

from tests.builders import make_action, make_strategy, make_theme


def tags(response, part="strategies"):
    """The tags of one part of the home page: the list of strategies by default."""
    return re.findall(
        r'<strong class="nhsuk-tag nhsuk-tag--([a-z-]+)">([^<]+)</strong>', section(response, part)
    )


def section(response, part):
    start = response.text.index(f'<section id="{part}"')
    return response.text[start : response.text.index("</section>", start)]


def test_it_shows_each_strategy_with_its_rag_distribution(signed_in, small_plan):
    response = signed_in.get("/")
    assert response.status_code == 200
    assert 'href="/strategies/demo/">Demo engagement strategy</a>' in response.text
    assert tags(response) == [
        ("green", "Green: 1"),
        ("orange", "Amber: 1"),
        ("red", "Red: 0"),
        ("grey", "Not rated: 1"),
        ("white", "Rating not in key: 1"),
    ]


def test_it_counts_on_each_strategys_own_scale(signed_in, db):
    brag = make_strategy(slug="brag", title="BRAG strategy")
    brag.rag_levels.create(label="Blue", colour="blue", means_complete=True, position=4)
    make_action(make_theme(brag), rating="Blue")
    other = make_strategy(slug="other", title="Other strategy")
    make_action(make_theme(other), rating="Green")
    response = signed_in.get("/")
    assert ("blue", "Blue: 1") in tags(response)
    assert tags(response).count(("green", "Green: 1")) == 1
    assert tags(response).count(("green", "Green: 0")) == 1


def test_it_says_when_there_are_no_strategies(signed_in):
    response = signed_in.get("/")
    assert "There are no strategies yet." in response.text
