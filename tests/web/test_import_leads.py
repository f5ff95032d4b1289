"""The import preview says, per lead as written, what it matched in the plan's key."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from planboard.people.models import Role
from planboard.plans.models import Strategy

pytestmark = pytest.mark.django_db

CSV = (
    b"Action,Owner\n"
    b"Run a listening event.,Mia Bajin\n"
    b"Write a leaflet.,EM/Fred Bloggs\n"
    b"Review SUSEG.,head of suemu & MB\n"
)


def lead_rows(text: str) -> dict[str, str]:
    """The leads block's rows: lead as written -> what it matched."""
    block = re.search(r'<section id="leads".*?</section>', text, re.S)
    assert block, "no leads block"
    rows = re.findall(r"<tr[^>]*pb-lead-row[^>]*>(.*?)</tr>", block.group(0), re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S) for row in rows]
    return {
        html.unescape(re.sub(r"<[^>]+>", "", a)).strip(): html.unescape(
            re.sub(r"<[^>]+>", "", b)
        ).strip()
        for a, b in cells
    }


def preview(client, slug, data=CSV):
    file = SimpleUploadedFile("tracker.csv", data, content_type="text/csv")
    response = client.post(f"/strategies/{slug}/import/", {"file": file})
    assert response.status_code == 302, response.text
    return client.get(response.url).text


def test_the_preview_shows_what_each_lead_matched_and_what_matched_nothing(
    client_for, governor, small_plan
):
    roles = Role.objects.count()

    text = preview(client_for(governor), "demo")

    assert lead_rows(text) == {
        "Mia Bajin": "Engagement Manager (EM), by person's name",
        "EM": "Engagement Manager (EM), by short name",
        "Fred Bloggs": "Nothing in the key",
        "head of suemu": "Head of SUEMU, by role name",
        "MB": "Engagement Manager (EM), by initials",
    }
    assert "no role is added to the key" in text
    assert Role.objects.count() == roles


def test_the_preview_of_a_strategy_without_a_key_says_its_leads_become_roles(client_for, governor):
    Strategy.objects.create(slug="empty", title="Empty plan")

    text = preview(client_for(governor), "empty")

    assert lead_rows(text)["Fred Bloggs"] == "A new role"
    assert "The plan has no key of roles yet" in text
