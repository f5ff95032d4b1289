import re

from django.urls import reverse

from planboard.progress.checker import FindingCode


def findings_url(**params):
    url = reverse("findings", kwargs={"slug": "demo"})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def summary(text):
    """The summary table's count of each finding code, read from each row's anchor."""
    found = {}
    for anchor, count in re.findall(
        r'<tr class="nhsuk-table__row" id="summary-code-([a-z-]+)">.*?--numeric">(\d+)</td>',
        text,
        re.S,
    ):
        found[anchor.replace("-", "_").upper()] = int(count)
    return found


def test_it_summarises_the_findings_by_code(signed_in, small_plan):
    response = signed_in.get(findings_url(as_of="2017-04-15"))
    assert response.status_code == 200
    counts = summary(response.text)
    assert counts["RAG_NOT_IN_KEY"] == 1
    assert counts["RAG_MISSING"] == 1
    assert counts["LEAD_UNRESOLVED"] == 1
    assert counts["COMMITMENT_UNCOVERED"] == 3
    assert counts["OVERDUE"] == 1
    assert counts["LEAD_MISSING"] == 0


def test_it_names_each_finding_by_its_plain_title_not_its_code(signed_in, small_plan):
    text = signed_in.get(findings_url(as_of="2017-04-15")).text
    main = text[text.index("<main") :]

    for code in FindingCode:
        assert code.label in main
        assert code.value not in main


def test_it_judges_overdue_on_the_date_asked_for(signed_in, small_plan):
    assert summary(signed_in.get(findings_url(as_of="2017-03-01")).text)["OVERDUE"] == 0
    assert summary(signed_in.get(findings_url(as_of="2017-05-01")).text)["OVERDUE"] == 2


def test_it_defaults_to_today(signed_in, small_plan):
    from django.utils import timezone

    text = signed_in.get(findings_url()).text
    today = timezone.localdate()
    assert f'name="as_of-day" type="text" value="{today.day}"' in text
    assert f'name="as_of-month" type="text" value="{today.month}"' in text
    assert f'name="as_of-year" type="text" value="{today.year}"' in text
    assert summary(text)["OVERDUE"] == 2


def test_it_links_each_finding_to_where_it_can_be_seen(signed_in, small_plan):
    text = signed_in.get(findings_url(as_of="2017-04-15")).text
    assert (
        '<a href="/strategies/demo/actions/1.2/"><span class="nhsuk-u-visually-hidden">Action '
        "</span>1.2</a>: Action 1.2 is rated &#34;Yellow&#34;"
    ) in text
    assert 'href="/strategies/demo/commitments/#commitment-1-3"' in text


def test_it_groups_the_list_by_code(signed_in, small_plan):
    text = signed_in.get(findings_url(as_of="2017-04-15")).text
    assert '<h2 class="nhsuk-heading-m" id="code-rag-not-in-key">' in text
    assert 'id="code-lead-missing"' not in text


def test_an_impossible_date_shows_an_error_and_uses_today(signed_in, small_plan):
    response = signed_in.get(findings_url(as_of="2017-02-30"))
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'href="#as-of-day"' in response.text
    assert "The date to judge overdue actions on must be a real date" in response.text
    assert "<title>Error: Findings" in response.text
