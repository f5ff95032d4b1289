"""The signed-in pages' ``select`` macro (web/macros.html) writes the markup of the
NHS.UK frontend's select macro, which it stands in for because it is quicker."""

import re

from django.template import engines
from hypothesis import given, settings
from hypothesis import strategies as st

OURS = '{% from "web/macros.html" import select %}{{ select(params) }}'
THEIRS = '{% from "nhsuk/components/select/macro.jinja" import select %}{{ select(params) }}'

words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12)
values = st.one_of(words, st.integers(0, 50))
items = st.lists(
    st.fixed_dictionaries(
        {"value": values, "text": words},
        optional={"selected": st.one_of(st.booleans(), st.none()), "disabled": st.booleans()},
    ),
    max_size=6,
)
params = st.fixed_dictionaries(
    {
        "id": st.from_regex(r"[a-z][a-z-]{0,8}", fullmatch=True),
        "name": st.sampled_from(["lead", "area"]),
        "items": items,
    },
    optional={
        "label": st.one_of(words, st.fixed_dictionaries({"text": words})),
        "hint": st.one_of(words, st.fixed_dictionaries({"text": words})),
        "errorMessage": st.one_of(st.none(), words, st.fixed_dictionaries({"text": words})),
        "classes": st.sampled_from(["pb-filters__select", "nhsuk-u-width-one-half"]),
        "formGroup": st.fixed_dictionaries({"classes": st.sampled_from(["pb-a", "pb-b"])}),
        "value": values,
    },
)


def compact(markup: str) -> str:
    """Markup without the white space a browser ignores around and between tags."""
    markup = re.sub(r"\s+", " ", markup)
    markup = re.sub(r"\s*(<|>)\s*", r"\1", markup)
    return markup.strip()


def render(source, given_params) -> str:
    return compact(engines["jinja2"].env.from_string(source).render(params=given_params))


@settings(max_examples=300)
@given(params)
def test_it_writes_what_the_design_system_s_select_writes(given_params):
    assert render(OURS, given_params) == render(THEIRS, given_params)


def test_the_plan_page_s_filters_look_as_before():
    lead = {
        "id": "filter-lead",
        "name": "lead",
        "label": {"text": "Lead"},
        "items": [
            {"value": "", "text": "Any", "selected": False},
            {"value": 3, "text": "Engagement Manager (EM) & co", "selected": True},
        ],
        "classes": "pb-filters__select",
    }
    ours = render(OURS, lead)
    assert ours == render(THEIRS, lead)
    assert '<option value="3" selected>Engagement Manager (EM) &amp; co</option>' in ours
