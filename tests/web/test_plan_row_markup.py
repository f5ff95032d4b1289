"""The plan page writes its rows in Python (web/plan_rows.py), not cell by cell through
the shared ``table`` macro; these tests hold the two to the same markup, so the rows
cannot drift from what the macro, the page's other tables and its tests expect."""

import datetime
import itertools
import re
from pathlib import Path

import pytest
from django.template import engines
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape

from planboard.plans.models import Action, ActionStatus, Area
from planboard.plans.targets import DatePrecision
from planboard.web.plan import plan_parts, plan_sections, shorten
from planboard.web.plan_rows import escape_text

TODAY = datetime.date(2017, 3, 15)

# The plan page's rows as its template wrote them before, through the macros.
THROUGH_THE_MACROS = (Path(__file__).parent / "plan_rows_through_the_macros.jinja").read_text()
WRITTEN = """
{%- from "web/macros.html" import table with context -%}
{{ table({"responsive": true, "head": head, "written_bodies": rows}) }}
"""
HEAD = ["Ref", "Action", "Target date", "Status", "RAG", "Leads", "Latest progress"]


def compact(markup) -> str:
    """Markup without the white space between its tags (which no reader sees)."""
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", str(markup))).strip()


def through_the_macros(environment, strategy, theme) -> str:
    actions = list(
        Action.objects.filter(theme=theme, retired_on__isnull=True)
        .with_plan_relations()
        .in_plan_order()
    )
    for action in actions:
        action.overdue_today = action.is_overdue(TODAY)
        action.latest_progress = shorten(action.progress)
    groups = [(area, list(run)) for area, run in itertools.groupby(actions, lambda a: a.area)]
    template = environment.from_string(THROUGH_THE_MACROS)
    return template.render(groups=groups, slug=strategy.slug, head=HEAD)


def written(environment, strategy, theme) -> str:
    actions = Action.objects.for_strategy(strategy).in_plan().in_plan_order()
    sections = plan_sections(strategy, plan_parts(strategy), actions, TODAY)
    (section,) = [s for s in sections if s.theme.pk == theme.pk]
    return environment.from_string(WRITTEN).render(rows=section.rows, head=HEAD)


@pytest.fixture
def varied_plan(small_plan):
    """The small plan with every kind of cell a row can have."""
    plan = small_plan
    Action.objects.filter(pk=plan.review.pk).update(
        progress=" ".join(f"<b>word{n}</b> & 'so' \"on\"" for n in range(40)),
        text='Review "SUSEG" & <its> meetings\nin two lines',
    )
    Action.objects.filter(pk=plan.mapping.pk).update(
        progress="Mapped two of five directorates.",
        target_precision=DatePrecision.QUARTER,
        target_date=datetime.date(2017, 3, 31),
    )
    Action.objects.filter(pk=plan.training.pk).update(area=None, cited_commitments=[3, 1])
    plan.materials.leads.clear()
    Action.objects.filter(pk=plan.materials.pk).update(
        lead_text="", rag_text="amber ", status=ActionStatus.IN_PROGRESS, target_date=None
    )
    Area.objects.filter(strategy=plan.strategy, name="SUSEG").update(name="SUSEG & <friends>")
    return plan


def test_each_theme_s_rows_are_the_markup_the_table_macro_writes(varied_plan):
    environment = engines["jinja2"].env
    for theme in (varied_plan.culture, varied_plan.reach):
        before = compact(through_the_macros(environment, varied_plan.strategy, theme))
        after = compact(written(environment, varied_plan.strategy, theme))
        assert "pb-action-row" in after
        assert after == before


def test_what_the_rows_hold_is_escaped(varied_plan):
    environment = engines["jinja2"].env
    rows = written(environment, varied_plan.strategy, varied_plan.culture)
    assert "<b>" not in rows and "<its>" not in rows and "<friends>" not in rows
    assert "&lt;b&gt;word0&lt;/b&gt; &amp; &#39;so&#39; &#34;on&#34;" in rows
    assert "SUSEG &amp; &lt;friends&gt;" in rows


@given(st.text())
def test_escaping_a_row_s_values_is_markupsafe_s_escaping(text):
    assert escape_text(text) == str(escape(text))
