import re

from django.urls import reverse


def commitment_block(text, ref):
    anchor = "commitment-" + ref.replace(".", "-")
    match = re.search(rf'<li class="pb-commitment" id="{anchor}">(.*?)</li>', text, re.S)
    assert match, f"no commitment {ref}"
    return match.group(1)


def test_it_lists_each_commitment_with_the_actions_serving_it(signed_in, small_plan):
    response = signed_in.get(reverse("commitments", kwargs={"slug": "demo"}))
    assert response.status_code == 200
    block = commitment_block(response.text, "1.1")
    assert "We will do thing 1." in block
    assert 'href="/strategies/demo/actions/1.1/">action 1.1</a>' in block
    assert 'href="/strategies/demo/actions/1.2/">action 1.2</a>' in block


def test_it_marks_commitments_nothing_serves(signed_in, small_plan):
    text = signed_in.get(reverse("commitments", kwargs={"slug": "demo"})).text
    unserved = '<strong class="nhsuk-tag nhsuk-tag--red">Not served by any action</strong>'
    assert unserved in commitment_block(text, "1.3")
    assert unserved in commitment_block(text, "2.1")
    assert unserved not in commitment_block(text, "1.2")


def test_it_groups_commitments_by_theme(signed_in, small_plan):
    text = signed_in.get(reverse("commitments", kwargs={"slug": "demo"})).text
    assert text.index("Focussed Culture Change") < text.index("Commitment 1.3")
    assert text.index("Commitment 1.3") < text.index("Communication and Reach")
