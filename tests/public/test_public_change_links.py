"""Each action the public page's "what changed" names links to that action on the page."""

import re

import pytest

from planboard.progress.services import close_period, open_period

pytestmark = pytest.mark.django_db


def test_each_change_links_to_its_action_on_the_page(client, published, editor):
    close_period(open_period(published, "2016/17 Q4", user=editor), user=editor)
    close_period(open_period(published, "2017/18 Q1", user=editor), user=editor)

    text = client.get(f"/public/{published.slug}/").text

    changed = text[text.index('id="what-changed"') : text.index('id="how-it-stands"')]
    refs = re.findall(r'<a href="#action-([0-9.]+)">Action \1</a>', changed)
    assert refs  # targets passed in the quarter: delayed
    for ref in refs:
        assert f'id="action-{ref}"' in text
