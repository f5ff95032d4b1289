"""The period page's "what changed": first ratings, aliases, links, and the rating kept."""

import pytest

from planboard.plans.models import Action, RagLevel
from planboard.progress.services import close_period, open_period

pytestmark = pytest.mark.django_db

Q1 = "/strategies/demo/periods/2017-18-q1/"


def section(text, key):
    start = text.index(f'id="changed-{key}"')
    return text[start : text.index("</section>", start)]


def test_what_changed_counts_first_ratings_and_reads_aliases(
    client_for, board_member, governor, small_plan, open_quarter, django_assert_max_num_queries
):
    # Closed with 1.2 "Yellow", outside the key, and 2.1 not rated.
    Action.objects.filter(pk=small_plan.materials.pk).update(rag_level=None, rag_text="")
    close_period(open_quarter, user=governor)
    open_period(small_plan.strategy, "2017/18 Q1", user=governor)
    levels = {level.label: level for level in RagLevel.objects.filter(strategy=small_plan.strategy)}
    RagLevel.objects.filter(pk=levels["Amber"].pk).update(aliases=["Yellow"])
    Action.objects.filter(pk=small_plan.mapping.pk).update(
        rag_level=levels["Amber"], rag_text="Amber"
    )
    Action.objects.filter(pk=small_plan.materials.pk).update(
        rag_level=levels["Green"], rag_text="Green"
    )
    client = client_for(board_member)

    with django_assert_max_num_queries(18):
        text = client.get(Q1).text

    first = section(text, "first-rated")
    assert "Rated for the first time (1)" in first
    assert '<a href="/strategies/demo/actions/2.1/">2.1</a>' in first
    assert "Not rated" in first and "Green" in first
    assert 'id="changed-rag-up"' not in text and 'id="changed-rag-down"' not in text
    assert "1.2" not in first  # Yellow, read as Amber, then Amber: no change


def test_an_action_not_updated_keeps_its_rating(
    client_for, board_member, governor, small_plan, open_quarter
):
    close_period(open_quarter, user=governor)
    open_period(small_plan.strategy, "2017/18 Q1", user=governor)

    text = client_for(board_member).get(Q1).text

    missing = section(text, "not-updated")
    item = missing[missing.index("1.1</a>") :]
    item = item[: item.index("</li>")]
    assert "RAG rating kept: Green" in item and "No update this quarter" in item
    assert "pb-before" not in missing  # nothing struck out as if deleted
