"""The table and summary_list macros: the NHS.UK markup, with what our pages add to it."""

import re

from django.template import engines
from markupsafe import Markup


def render(call, **context):
    source = '{% from "web/macros.html" import table, summary_list %}' + call
    return engines["jinja2"].from_string(source).render(context).strip()


def test_a_table_has_its_caption_column_headers_and_cells():
    html = render(
        '{{ table({"caption": {"text": "Updates given", "size": "s"},'
        ' "head": ["Lead role", {"text": "Updated", "format": "numeric"}],'
        ' "rows": [["EM", 3], ["Head of SUEMU", 0]]}) }}'
    )
    assert (
        '<caption class="nhsuk-table__caption nhsuk-table__caption--s">Updates given</caption>'
        in html
    )
    assert '<th class="nhsuk-table__header" scope="col">Lead role</th>' in html
    assert (
        '<th class="nhsuk-table__header nhsuk-table__header--numeric" scope="col">Updated</th>'
        in html
    )
    assert '<td class="nhsuk-table__cell">EM</td>' in html
    assert '<td class="nhsuk-table__cell nhsuk-table__cell--numeric">0</td>' in html
    assert html.count("<tbody") == 1 and html.count('<tr class="nhsuk-table__row">') == 3


def test_the_first_cell_of_each_row_can_head_it():
    html = render(
        '{{ table({"caption": "People", "firstCellIsHeader": true, "head": ["Name", "Note"],'
        ' "rows": [["Mia Bajin", "co-chair"]]}) }}'
    )
    assert '<th class="nhsuk-table__header" scope="row">Mia Bajin</th>' in html
    assert '<td class="nhsuk-table__cell">co-chair</td>' in html


def test_rows_carry_classes_and_ids_and_a_false_row_is_left_out():
    html = render(
        '{{ table({"caption": "Actions", "head": ["Ref"], "rows": ['
        '{"classes": "pb-action-row", "id": "action-1-2", "cells": ["1.2"]}, none, ["1.3"]]}) }}'
    )
    assert '<tr class="nhsuk-table__row pb-action-row" id="action-1-2">' in html
    assert html.count("<tr ") == 3  # the head's row and two rows of the body


def test_row_groups_each_have_a_body_and_a_header_cell_of_their_own():
    html = render(
        '{{ table({"caption": "Actions of theme 1, by area", "head": ["Ref", "Action"],'
        ' "bodies": [[[{"text": "SUSEG", "scope": "rowgroup", "colspan": 2}], ["1.1", "Meet"]],'
        ' [[{"text": "Events", "scope": "rowgroup", "rowspan": 1, "classes": "pb-area"}]]]}) }}'
    )
    assert html.count('<tbody class="nhsuk-table__body">') == 2
    assert '<th class="nhsuk-table__header" scope="rowgroup" colspan="2">SUSEG</th>' in html
    assert (
        '<th class="nhsuk-table__header pb-area" scope="rowgroup" rowspan="1">Events</th>' in html
    )


def test_text_is_escaped_and_markup_is_kept():
    html = render(
        '{% set tag %}\n  <strong class="nhsuk-tag">Green</strong>\n{% endset %}'
        '{{ table({"caption": "<Caption>", "head": ["A", "B"], "rows": [[text, tag]]}) }}',
        text="Mind & <body>",
    )
    assert '<td class="nhsuk-table__cell">Mind &amp; &lt;body&gt;</td>' in html
    assert '<td class="nhsuk-table__cell"><strong class="nhsuk-tag">Green</strong></td>' in html
    assert ">&lt;Caption&gt;</caption>" in html


def test_a_wide_table_scrolls_in_a_region_named_by_its_caption_or_as_given():
    named_by_caption = render(
        '{{ table({"caption": {"text": "Reporting periods", "classes": "nhsuk-u-visually-hidden"},'
        ' "scroll": true, "head": ["Period"], "rows": [["2016/17 Q3"]]}) }}'
    )
    assert named_by_caption.startswith('<div class="nhsuk-scroll" data-module="nhsuk-scroll">')
    assert 'role="region" aria-label="Reporting periods" tabindex="0"' in named_by_caption
    caption = 'class="nhsuk-table__caption nhsuk-u-visually-hidden">Reporting periods</caption>'
    assert caption in named_by_caption
    named = render(
        '{{ table({"caption": "Changes to action 1.2", "scroll": "Change history",'
        ' "head": ["When"], "rows": [["today"]]}) }}'
    )
    assert 'aria-label="Change history"' in named
    unscrolled = render('{{ table({"caption": "Key", "head": ["Rating"], "rows": []}) }}')
    assert unscrolled.startswith('<table class="nhsuk-table">')


def test_a_summary_list_has_a_row_for_each_key_and_leaves_out_false_rows():
    html = render(
        '{{ summary_list({"classes": "pb-facts", "rows": ['
        '{"key": "Original target", "value": "Apr 2017"},'
        " none,"
        ' {"key": "Times moved", "value": {"text": 0, "classes": "pb-moves"}}]}) }}'
    )
    assert html.startswith('<dl class="nhsuk-summary-list pb-facts">')
    assert html.count('<div class="nhsuk-summary-list__row">') == 2
    assert '<dt class="nhsuk-summary-list__key">Original target</dt>' in html
    assert '<dd class="nhsuk-summary-list__value">Apr 2017</dd>' in html
    assert '<dd class="nhsuk-summary-list__value pb-moves">0</dd>' in html


def test_a_summary_list_row_can_offer_a_change_link_that_names_what_it_changes():
    html = render(
        '{{ summary_list({"rows": [{"key": "Published", "value": "Yes", "actions": {"items": ['
        '{"href": "/publish/", "text": "Change", "visuallyHiddenText": "whether it is published"}'
        "]}}]}) }}"
    )
    assert (
        '<dd class="nhsuk-summary-list__actions"><a href="/publish/">Change'
        '<span class="nhsuk-u-visually-hidden"> whether it is published</span></a></dd>'
    ) in html


def test_a_responsive_table_labels_each_cell_with_its_column_as_nhs_uk_writes_it():
    html = render(
        '{{ table({"caption": "My actions", "responsive": true, "firstCellIsHeader": true,'
        ' "head": ["Ref", {"text": "Days", "format": "numeric"}, "Update"],'
        ' "rows": [["1.2", 3, {"html": link, "heading": ""}]]}) }}',
        link=__import__("markupsafe").Markup('<a href="/u">Give update</a>'),
    )
    assert '<table class="nhsuk-table nhsuk-table--responsive" role="table">' in html
    assert '<thead class="nhsuk-table__head" role="rowgroup">' in html
    assert '<th class="nhsuk-table__header" scope="col" role="columnheader">Ref</th>' in html
    assert (
        '<th class="nhsuk-table__header" scope="row" role="rowheader">'
        '<span class="nhsuk-table__heading" aria-hidden="true">Ref </span>1.2</th>'
    ) in html
    assert (
        '<td class="nhsuk-table__cell nhsuk-table__cell--numeric" role="cell">'
        '<span class="nhsuk-table__heading" aria-hidden="true">Days </span>3</td>'
    ) in html
    # A cell whose heading is "" carries no label: a link says what it is.
    assert '<td class="nhsuk-table__cell" role="cell"><a href="/u">Give update</a></td>' in html


def test_a_responsive_table_writes_a_plain_cell_as_it_writes_the_same_cell_given_as_a_mapping():
    markup = Markup('<a href="/a">1.2</a>')
    head = '"head": ["Ref", {"text": "Days", "format": "numeric"}, "Who", {"text": ""}]'
    plain = render(
        '{{ table({"responsive": true, ' + head + ', "rows": [[ref, 3, "A & B", "x"]]}) }}',
        ref=markup,
    )
    mapped = render(
        '{{ table({"responsive": true, ' + head + ', "rows": [[{"html": ref}, {"text": 3},'
        ' {"text": "A & B"}, {"text": "x"}]]}) }}',
        ref=markup,
    )

    def cells(html):
        return re.findall(r"<td .*?</td>", html, re.S)

    assert cells(plain) == cells(mapped)
    assert cells(plain)[0] == (
        '<td class="nhsuk-table__cell" role="cell"><span class="nhsuk-table__heading"'
        ' aria-hidden="true">Ref </span><span><a href="/a">1.2</a></span></td>'
    )
    assert "A &amp; B</td>" in cells(plain)[2]
    assert cells(plain)[3] == '<td class="nhsuk-table__cell" role="cell">x</td>'
