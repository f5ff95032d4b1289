"""The import page asks where the rows go: a theme of the strategy, a new theme, or a new
strategy; never a theme named after the file."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from planboard.imports.models import PendingImport
from planboard.plans.models import Action, Strategy, Theme
from tests.bounds import database_fingerprint
from tests.builders import make_strategy, make_theme
from tests.web.pages import form_data

pytestmark = pytest.mark.django_db

IMPORT = "/strategies/demo/import/"
# Two rows without a theme in their ref, one whose ref names theme 2.
CSV = (
    b"Ref,Action,Lead,Due\n"
    b",Run a listening event in each directorate.,EM,31/03/2017\n"
    b"7,Write a leaflet on giving feedback.,Head of SUEMU,June 2017\n"
    b"2.9,Review the structure of the reach group.,EM,Sept 2017\n"
)
NAMED_AFTER_FILE = "7. tracker"


def upload(client, data=CSV, name="7. tracker.csv", **extra):
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(IMPORT, {"file": file, **extra})


def confirm(client, response):
    assert response.status_code == 302, response.text
    done = client.post(response.url + "confirm/")
    assert done.status_code == 302, done.text
    return done


def theme_of(text: str) -> Theme:
    return Action.objects.select_related("theme").get(text=text).theme


def test_the_upload_page_offers_the_three_choices_with_the_first_theme_chosen(
    client_for, governor, small_plan
):
    text = client_for(governor).get(IMPORT).text

    data = form_data(text)
    assert data["into"] == "theme"
    assert data["theme"] == str(small_plan.culture.pk)
    for words in ("A theme of Demo engagement strategy", "A new theme of", "A new strategy"):
        assert words in text
    assert "Communication and Reach" in text


def test_rows_without_a_theme_go_into_the_theme_chosen_and_refs_keep_theirs(
    client_for, governor, small_plan
):
    client = client_for(governor)
    themes = Theme.objects.count()

    confirm(client, upload(client, into="theme", theme=str(small_plan.reach.pk)))

    assert Theme.objects.count() == themes
    assert theme_of("Run a listening event in each directorate.") == small_plan.reach
    leaflet = Action.objects.get(text="Write a leaflet on giving feedback.")
    assert leaflet.ref == "2.7"
    assert theme_of("Review the structure of the reach group.") == small_plan.reach
    assert not Theme.objects.filter(title__icontains="tracker").exists()


def test_a_new_theme_takes_the_name_given_and_the_next_number(client_for, governor, small_plan):
    client = client_for(governor)

    confirm(client, upload(client, into="new-theme", theme_name="  Patient   voice "))

    new = theme_of("Run a listening event in each directorate.")
    assert (new.title, new.number, new.strategy) == ("Patient voice", 3, small_plan.strategy)
    assert Action.objects.get(text="Write a leaflet on giving feedback.").ref == "3.7"
    assert theme_of("Review the structure of the reach group.") == small_plan.reach


def test_a_new_strategy_is_made_with_a_slug_from_its_name(client_for, governor, small_plan):
    client = client_for(governor)

    done = confirm(client, upload(client, into="new-strategy", strategy_name="Carers' Plan 2027"))

    strategy = Strategy.objects.get(slug="carers-plan-2027")
    assert done.url == "/strategies/carers-plan-2027/"
    assert strategy.title == "Carers' Plan 2027"
    titles = sorted(strategy.themes.values_list("number", "title"))
    assert titles == [(1, "Theme 1"), (2, "Theme 2")]
    assert Action.objects.for_strategy(small_plan.strategy).count() == 4
    assert Action.objects.for_strategy(strategy).count() == 3


def test_the_default_never_names_a_theme_after_the_file(client_for, governor, db):
    make_strategy(slug="demo", title="Demo engagement strategy")
    client = client_for(governor)
    page = client.get(IMPORT).text
    assert form_data(page)["into"] == "new-theme"
    assert form_data(page)["theme_name"] == "Theme 1"

    confirm(client, upload(client))  # a form that sends no choice takes the default

    titles = set(Theme.objects.values_list("title", flat=True))
    assert NAMED_AFTER_FILE not in titles
    assert titles == {"Theme 1", "Theme 2"}


def test_the_default_for_a_strategy_with_themes_is_its_first(client_for, governor, small_plan):
    client = client_for(governor)

    confirm(client, upload(client))

    assert theme_of("Run a listening event in each directorate.") == small_plan.culture
    assert not Theme.objects.filter(title=NAMED_AFTER_FILE).exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"into": "new-theme", "theme_name": "  "}, "theme_name", "Enter a name for the new theme"),
        (
            {"into": "new-theme", "theme_name": "communication and reach"},
            "theme_name",
            'The strategy already has a theme called "communication and reach": choose it instead',
        ),
        (
            {"into": "new-strategy", "strategy_name": ""},
            "strategy_name",
            "Enter a name for the new strategy",
        ),
        (
            {"into": "new-strategy", "strategy_name": "Demo"},
            "strategy_name",
            "A strategy at /strategies/demo/ already exists: choose another name",
        ),
        ({"into": "theme", "theme": "abc"}, "theme", "Choose a theme of this strategy"),
        ({"into": "elsewhere"}, "into", "Choose where the rows without a theme go"),
    ],
)
def test_a_bad_choice_is_refused_on_its_field_and_nothing_is_kept(
    client_for, governor, small_plan, fields, field, message
):
    client = client_for(governor)
    before = database_fingerprint()

    response = upload(client, **fields)

    assert response.status_code == 400
    assert message in html.unescape(response.text)
    anchor = {"theme_name": "into-theme-name", "strategy_name": "into-strategy-name"}
    assert f'href="#{anchor.get(field, "into-theme" if field == "theme" else "into")}"' in (
        response.text
    )
    assert database_fingerprint() == before


def test_a_theme_of_another_strategy_in_a_forged_form_is_refused(client_for, governor, small_plan):
    other = make_theme(make_strategy(slug="other", title="Other"), title="Not yours")
    client = client_for(governor)
    before = database_fingerprint()

    response = upload(client, into="theme", theme=str(other.pk))

    assert response.status_code == 400
    assert "Choose a theme of this strategy" in response.text
    assert database_fingerprint() == before


def test_the_preview_shows_the_choice_and_changes_it(client_for, governor, small_plan):
    client = client_for(governor)
    url = upload(client, into="theme", theme=str(small_plan.reach.pk)).url
    page = client.get(url).text
    assert "go into theme 2, Communication and Reach" in page
    assert re.search(r">\s*2\.7\s*<", page)  # the leaflet's ref "7", in theme 2

    changed = client.post(url + "destination/", {"into": "new-theme", "theme_name": "Carers"})

    assert changed.status_code == 302 and changed.url == url
    assert PendingImport.objects.get().destination == {"into": "new-theme", "name": "Carers"}
    page = client.get(url).text
    assert "go into a new theme, Carers" in page
    confirm(client, changed)
    assert theme_of("Run a listening event in each directorate.").title == "Carers"


def test_a_bad_change_on_the_preview_is_refused_on_its_field(client_for, governor, small_plan):
    client = client_for(governor)
    url = upload(client).url
    before = database_fingerprint()

    response = client.post(url + "destination/", {"into": "new-strategy", "strategy_name": ""})

    assert response.status_code == 400
    assert "Enter a name for the new strategy" in response.text
    assert database_fingerprint() == before


@pytest.mark.parametrize("who", ["lead", "board_member"])
def test_only_the_governance_team_changes_where_the_rows_go(
    client_for, governor, small_plan, request, who
):
    url = upload(client_for(governor)).url
    client = client_for(request.getfixturevalue(who))
    before = database_fingerprint()

    response = client.post(url + "destination/", {"into": "new-theme", "theme_name": "Mine"})

    assert response.status_code == 403
    assert database_fingerprint() == before
