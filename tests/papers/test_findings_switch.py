"""The cover sheet's switch for the checker's findings: off by default, ticked on the
cover sheet page by the governance team, and the paper then lists the findings."""

from django.urls import reverse

from planboard.papers.content import build_paper
from planboard.papers.covers import cover_for, save_cover
from planboard.papers.models import CoverSheet
from tests.web.pages import form_data

PAPER = reverse("paper", kwargs={"slug": "sue", "period": "2016-17-q3"})
COVER = reverse("paper_cover", kwargs={"slug": "sue", "period": "2016-17-q3"})
LABEL = "Add the checker&#39;s findings about the records, for the governance team"


def test_a_paper_leaves_the_findings_out_until_its_cover_sheet_asks(seed_strategy, closed_q3, gail):
    assert not build_paper(seed_strategy, closed_q3).show_findings
    sheet = cover_for(seed_strategy, closed_q3)
    save_cover(
        seed_strategy, closed_q3, {"findings_appendix": True}, version=sheet.version, user=gail
    )
    assert build_paper(seed_strategy, closed_q3).show_findings
    # Another period's paper, and the strategy's own, are not switched.
    assert not CoverSheet.objects.filter(findings_appendix=True).exclude(period=closed_q3)


def test_governance_ticks_the_switch_on_the_cover_sheet_page(client, gail, closed_q3):
    client.force_login(gail)
    page = client.get(COVER).content.decode()
    assert LABEL in page
    values = form_data(page)
    assert "findings_appendix" not in values  # not ticked

    assert client.post(COVER, dict(values, findings_appendix="on")).status_code == 302
    sheet = CoverSheet.objects.get(period=closed_q3)
    assert sheet.findings_appendix
    paper = client.get(PAPER).content.decode()
    assert "Checker findings about the plan's records" in paper
    assert 'id="findings-appendix" name="findings_appendix" type="checkbox" value="on" checked' in (
        client.get(COVER).content.decode()
    )

    values = form_data(client.get(COVER).content.decode())
    del values["findings_appendix"]
    assert client.post(COVER, values).status_code == 302
    assert not CoverSheet.objects.get(period=closed_q3).findings_appendix
    assert "Checker findings" not in client.get(PAPER).content.decode()
