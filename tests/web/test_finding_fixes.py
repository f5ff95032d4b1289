"""Every finding links the governance team to the page where it is fixed."""

import re

import pytest
from django.urls import reverse

from planboard.progress.checker import FIXED_ON, FindingCode, FixedOn
from planboard.web.findings import fix_target
from tests.web import finding_urls

ACTION_WORK = {FindingCode.AREA_MISSING, FindingCode.ACTION_UNLINKED}


def fixes(text):
    """(finding ref, fix link, fix text) of each finding on the page."""
    return re.findall(
        r'<li class="pb-finding"><a href="[^"]+"><span[^>]*>\w+ </span>([\d.]+)</a>:[^<]*'
        r'<a class="pb-fix" href="([^"]+)">([^<]+)<',
        text,
    )


def test_every_finding_kind_says_where_it_is_fixed():
    assert set(FIXED_ON) == set(FindingCode)


@pytest.mark.parametrize("code", list(FindingCode))
def test_each_finding_kind_links_to_its_page(settings, code):
    settings.ROOT_URLCONF = finding_urls.WithEditAction
    ref = "1" if code == FindingCode.COMMITMENT_REF_INVALID else "1.2"
    message = 'Action 1.2 is led by "Finance", which the key of roles does not name.'
    fix = fix_target("demo", code, ref, message, {'"Finance"': 7})
    expected = {
        FixedOn.SCALE: reverse("rag_scale", kwargs={"slug": "demo"}),
        FixedOn.ROLE: reverse("edit_role", kwargs={"slug": "demo", "pk": 7}),
        FixedOn.LEADS: reverse("action_leads", kwargs={"slug": "demo", "ref": "1.2"}),
        FixedOn.ACTION: reverse("edit_action", kwargs={"slug": "demo", "ref": "1.2"}),
        FixedOn.UPDATE: reverse("update_action", kwargs={"slug": "demo", "ref": "1.2"}),
        FixedOn.COMMITMENTS: reverse("commitments", kwargs={"slug": "demo"}) + "#commitment-1-2",
        FixedOn.PLAN: reverse("plan", kwargs={"slug": "demo"}) + "#theme-1",
    }[FIXED_ON[code]]
    assert fix == {"href": expected, "text": FIXED_ON[code].label}
    if code in ACTION_WORK:
        assert fix["href"] != reverse("action", kwargs={"slug": "demo", "ref": "1.2"})


@pytest.mark.parametrize("code", sorted(ACTION_WORK))
def test_action_findings_link_to_the_action_page_until_it_has_an_editing_page(settings, code):
    settings.ROOT_URLCONF = finding_urls.WithoutEditAction
    fix = fix_target("demo", code, "1.2", "", {})
    assert fix["href"] == "/strategies/demo/actions/1.2/"


def test_the_findings_page_links_governance_to_each_fix(
    client_for, governor, small_plan, django_assert_max_num_queries
):
    address = reverse("findings", kwargs={"slug": "demo"}) + "?as_of=2017-04-15"
    client = client_for(governor)
    with django_assert_max_num_queries(20):
        text = client.get(address).text
    found = fixes(text)
    scale = reverse("rag_scale", kwargs={"slug": "demo"})
    finance = reverse("edit_role", kwargs={"slug": "demo", "pk": small_plan.finance.pk})
    assert ("1.2", scale, "Change the RAG scale") in found
    assert ("2.1", finance, "Change the role") in found
    assert ("1.3", "/strategies/demo/actions/1.3/update/", "Give an update") in found
    response = client.get(finance)
    assert response.status_code == 200 and "Named in the plan&#39;s key of roles" in response.text


def test_the_fix_links_are_for_governance_only(signed_in, small_plan):
    text = signed_in.get(reverse("findings", kwargs={"slug": "demo"}) + "?as_of=2017-04-15").text
    assert 'class="pb-fix"' not in text
