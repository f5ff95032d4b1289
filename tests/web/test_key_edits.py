"""Keeping the plan's key of roles and people on planboard's own pages: who may, bad
input, two people at once, the history, and what a merge and a split do."""

import pytest
from django.urls import reverse

from planboard.people.models import Person, Role
from planboard.people.recipients import leads_by_user
from planboard.plans.models import Action
from tests.bounds import database_fingerprint
from tests.builders import make_person
from tests.web.pages import errors, form_data


def url(name, plan, obj=None):
    kwargs = {"slug": plan.strategy.slug}
    if obj is not None:
        kwargs["pk"] = obj.pk
    return reverse(name, kwargs=kwargs)


def post(client, address, data):
    """Post ``data`` as a browser would, lists as repeated fields."""
    return client.post(address, data)


def edits(plan):
    """Every edit of the key, as (URL, data that would save)."""
    return [
        (url("add_role", plan), {"title": "Finance Director", "abbreviation": "FD"}),
        (
            url("edit_role", plan, plan.em),
            {"title": "EM lead", "abbreviation": "EML", "version": 1},
        ),
        (url("merge_role", plan, plan.finance), {"kept": plan.head.pk, "version": 1}),
        (url("add_person", plan), {"name": "Sam Smith", "roles": [plan.em.pk]}),
        (url("edit_person", plan, plan.mia), {"name": "Mia B", "version": 1}),
        (
            url("split_person", plan, plan.laura),
            {"first_name": "Laura", "second_name": "Di Bona", "version": 1},
        ),
    ]


@pytest.mark.parametrize("who", ["lead", "board_member"])
def test_only_the_governance_team_may_change_the_key(request, client_for, small_plan, who):
    client = client_for(request.getfixturevalue(who))
    before = database_fingerprint()
    for address, data in edits(small_plan):
        assert client.get(address).status_code == 403, address
        assert client.post(address, data).status_code == 403, address
    assert database_fingerprint() == before


def test_every_edit_saves_for_governance(client_for, governor, small_plan):
    client = client_for(governor)
    for address, data in edits(small_plan):
        assert client.get(address).status_code == 200, address
        response = client.post(address, data)
        assert response.status_code == 302, (address, response.content[:3000])


def test_renaming_a_role_is_in_its_history_with_who_and_why(client_for, governor, small_plan):
    client = client_for(governor)
    address = url("edit_role", small_plan, small_plan.em)
    data = form_data(client.get(address).text)
    assert data["title"] == "Engagement Manager" and data["version"] == "1"
    data.update(title="Engagement Lead", abbreviation="EL")
    assert client.post(address, data).status_code == 302
    role = Role.objects.get(pk=small_plan.em.pk)
    assert (role.title, role.abbreviation, role.version) == ("Engagement Lead", "EL", 2)
    latest = role.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (governor, "Role changed")


def test_a_role_saved_by_someone_else_first_is_not_overwritten(client_for, governor, small_plan):
    mine, theirs = client_for(governor), client_for(governor)
    address = url("edit_role", small_plan, small_plan.em)
    opened = form_data(mine.get(address).text)
    assert theirs.post(address, {**opened, "title": "Theirs"}).status_code == 302
    response = mine.post(address, {**opened, "title": "Mine"})
    assert response.status_code == 409
    assert "What is saved now" in response.text and "Theirs" in response.text
    assert Role.objects.get(pk=small_plan.em.pk).title == "Theirs"
    again = form_data(response.text)
    assert again["title"] == "Mine" and again["version"] == "2"
    assert mine.post(address, again).status_code == 302
    assert Role.objects.get(pk=small_plan.em.pk).title == "Mine"


def test_what_is_saved_now_names_a_missing_value_in_words(client_for, governor, small_plan):
    mine, theirs = client_for(governor), client_for(governor)
    address = url("edit_role", small_plan, small_plan.em)
    opened = form_data(mine.get(address).text)
    assert theirs.post(address, {**opened, "abbreviation": ""}).status_code == 302
    response = mine.post(address, {**opened, "title": "Mine"})
    assert response.status_code == 409
    assert "No short name" in response.text and ">None<" not in response.text


@pytest.mark.parametrize(
    ("name", "obj", "data", "field", "message"),
    [
        ("edit_role", "em", {"title": "", "version": 1}, "title", "Enter the role's name."),
        (
            "edit_role",
            "head",
            {"title": "Head of SUEMU", "abbreviation": " Em ", "version": 1},
            "abbreviation",
            '"Engagement Manager" already has the short name "EM".',
        ),
        (
            "add_role",
            None,
            {"title": "engagement  manager"},
            "title",
            'Another role is already called "Engagement Manager".',
        ),
        (
            "merge_role",
            "em",
            {"kept": "em", "version": 1},
            "kept",
            "Choose the role to keep from the list.",
        ),
        (
            "edit_person",
            "mia",
            {"name": "Laura Di Bona", "version": 1},
            "name",
            'Someone in the key is already called "Laura Di Bona".',
        ),
        (
            "edit_person",
            "mia",
            {"name": "Mia", "email": "not an address", "version": 1},
            "email",
            "Enter the e-mail address in the right form, like name@example.org.",
        ),
        (
            "split_person",
            "mia",
            {"first_name": "Mia", "second_name": " mia ", "version": 1},
            "second_name",
            "Give the two people different names.",
        ),
        (
            "split_person",
            "mia",
            {"first_name": "Mia", "second_name": "", "version": 1},
            "second_name",
            "Enter the person's name.",
        ),
    ],
)
def test_bad_input_is_refused_on_its_field(
    client_for, governor, small_plan, name, obj, data, field, message
):
    target = getattr(small_plan, obj) if obj else None
    data = {k: (getattr(small_plan, v).pk if v in ("em", "head") else v) for k, v in data.items()}
    client = client_for(governor)
    before = database_fingerprint()
    response = client.post(url(name, small_plan, target), data)
    assert response.status_code == 400
    summary, inline = errors(response.text)
    assert (f"#{field.replace('_', '-')}", message) in summary
    assert message in inline
    assert database_fingerprint() == before


def test_merging_moves_every_lead_and_the_reminders_follow(client_for, governor, small_plan):
    """Head of SUEMU (1.2, 1.3) merges into EM (1.1, 1.2): EM leads all three, once each,
    and Mia (who holds EM) is now reminded of 1.3 too."""
    small_plan.mia.user = governor
    small_plan.mia.save()
    jane = make_person(small_plan.strategy, "Jane Lyon", [small_plan.head])
    address = url("merge_role", small_plan, small_plan.head)
    response = client_for(governor).post(address, {"kept": small_plan.em.pk, "version": 1})
    assert response.status_code == 302
    assert not Role.objects.filter(pk=small_plan.head.pk).exists()
    for action in (small_plan.review, small_plan.mapping, small_plan.training):
        assert list(Action.objects.get(pk=action.pk).leads.all()) == [small_plan.em]
    assert [r.pk for r in Person.objects.get(pk=jane.pk).roles.all()] == [small_plan.em.pk]
    em = Role.objects.get(pk=small_plan.em.pk)
    assert "Head of SUEMU" in em.aliases
    actions = Action.objects.filter(theme__strategy=small_plan.strategy).prefetch_related("leads")
    by_user, _ = leads_by_user(small_plan.strategy, actions)
    assert {a.pk for a in by_user[governor]} == {
        small_plan.review.pk,
        small_plan.mapping.pk,
        small_plan.training.pk,
    }
    training = Action.objects.get(pk=small_plan.training.pk)
    latest = training.history.latest()
    assert latest.history_user == governor
    assert latest.history_change_reason == '"Head of SUEMU" merged into "Engagement Manager (EM)"'
    assert [link.role_id for link in latest.leads.all()] == [small_plan.em.pk]
    removed = Role.history.filter(id=small_plan.head.pk).latest()
    assert (removed.history_type, removed.history_user) == ("-", governor)


def test_a_merge_from_an_out_of_date_page_is_refused(client_for, governor, small_plan):
    client = client_for(governor)
    address = url("merge_role", small_plan, small_plan.finance)
    opened = form_data(client.get(address).text)
    client.post(
        url("edit_role", small_plan, small_plan.finance), {"title": "Finance", "version": 1}
    )
    before = database_fingerprint()
    response = client.post(address, {**opened, "kept": small_plan.head.pk})
    assert response.status_code == 409 and "What is saved now" in response.text
    assert database_fingerprint() == before


def test_splitting_gives_each_person_their_roles_and_the_first_keeps_the_account(
    client_for, governor, lead, small_plan
):
    tammy = make_person(small_plan.strategy, "Tammy Raines Sue Sibbald", [small_plan.em], lead)
    Person.objects.filter(pk=small_plan.mia.pk).update(user=None)
    tammy.email = "tammy@trust.example"
    tammy.save()
    client = client_for(governor)
    address = url("split_person", small_plan, tammy)
    data = {
        "first_name": "Tammy Raines",
        "first_roles": [small_plan.em.pk],
        "second_name": "Sue Sibbald",
        "second_roles": [small_plan.head.pk, small_plan.em.pk],
        "version": tammy.version,
    }
    assert client.post(address, data).status_code == 302
    first = Person.objects.get(pk=tammy.pk)
    second = Person.objects.get(name="Sue Sibbald")
    assert (first.name, first.user, first.email) == ("Tammy Raines", lead, "tammy@trust.example")
    assert (second.user, second.email) == (None, "")
    assert [r.pk for r in first.roles.all()] == [small_plan.em.pk]
    assert {r.pk for r in second.roles.all()} == {small_plan.em.pk, small_plan.head.pk}
    reason = '"Tammy Raines Sue Sibbald" split into "Tammy Raines" and "Sue Sibbald"'
    for person in (first, second):
        latest = person.history.latest()
        assert (latest.history_user, latest.history_change_reason) == (governor, reason)


def test_a_person_is_linked_to_an_account_with_their_roles(client_for, governor, cast, small_plan):
    client = client_for(governor)
    address = url("edit_person", small_plan, small_plan.laura)
    page = client.get(address).text
    assert "Bob Tester (bob)" in page
    data = {
        "name": "Laura Di Bona",
        "account": cast.bob.pk,
        "email": "laura@trust.example",
        "roles": [small_plan.head.pk],
        "version": 1,
    }
    assert client.post(address, data).status_code == 302
    laura = Person.objects.get(pk=small_plan.laura.pk)
    assert (laura.user, laura.email) == (cast.bob, "laura@trust.example")
    assert [r.pk for r in laura.roles.all()] == [small_plan.head.pk]
    latest = laura.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (governor, "Person changed")
    assert [link.role_id for link in latest.roles.all()] == [small_plan.head.pk]


def test_a_switched_off_account_cannot_be_linked(client_for, governor, cast, small_plan):
    cast.bob.is_active = False
    cast.bob.save()
    address = url("edit_person", small_plan, small_plan.laura)
    client = client_for(governor)
    assert "Bob Tester" not in client.get(address).text
    before = database_fingerprint()
    response = client.post(address, {"name": "Laura Di Bona", "account": cast.bob.pk, "version": 1})
    assert response.status_code == 400
    assert "Choose an account from the list" in response.text
    assert database_fingerprint() == before


def test_the_people_page_links_to_the_edits_for_governance_only(
    client_for, governor, board_member, small_plan, django_assert_max_num_queries
):
    page = reverse("people", kwargs={"slug": small_plan.strategy.slug})
    gov = client_for(governor)
    with django_assert_max_num_queries(12):
        text = gov.get(page).text
    for name, obj in [("edit_role", small_plan.em), ("edit_person", small_plan.mia)]:
        assert f'href="{url(name, small_plan, obj)}"' in text
    assert url("rag_scale", small_plan) in text and url("add_role", small_plan) in text
    other = client_for(board_member).get(page).text
    assert url("edit_role", small_plan, small_plan.em) not in other
    assert url("rag_scale", small_plan) not in other


def leads_url(action):
    return reverse("action_leads", kwargs={"slug": "demo", "ref": action.ref})


def test_an_actions_leads_are_set_from_the_key(client_for, governor, small_plan):
    client = client_for(governor)
    action = small_plan.materials  # led by Finance, which the key does not name
    page = client.get(reverse("action", kwargs={"slug": "demo", "ref": action.ref})).text
    assert f'href="{leads_url(action)}"' in page
    data = {"leads": [small_plan.em.pk, small_plan.head.pk], "version": action.version}
    assert client.post(leads_url(action), data).status_code == 302
    saved = Action.objects.get(pk=action.pk)
    assert {r.pk for r in saved.leads.all()} == {small_plan.em.pk, small_plan.head.pk}
    assert (saved.version, saved.lead_text) == (action.version + 1, action.lead_text)
    latest = saved.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (governor, "Leads changed")
    assert {link.role_id for link in latest.leads.all()} == {small_plan.em.pk, small_plan.head.pk}


def test_leads_saved_by_someone_else_first_are_not_overwritten(client_for, governor, small_plan):
    mine, theirs = client_for(governor), client_for(governor)
    action = small_plan.review
    opened = {"leads": [small_plan.head.pk], "version": action.version}
    assert (
        theirs.post(leads_url(action), {**opened, "leads": [small_plan.em.pk]}).status_code == 302
    )
    before = database_fingerprint()
    response = mine.post(leads_url(action), opened)
    assert response.status_code == 409 and "What is saved now" in response.text
    assert database_fingerprint() == before


def test_only_governance_sets_leads_and_only_from_the_key(
    client_for, governor, lead, small_plan, other_lead
):
    action = small_plan.review
    data = {"leads": [small_plan.head.pk], "version": action.version}
    client, gov = client_for(lead), client_for(governor)
    page = client.get(reverse("action", kwargs={"slug": "demo", "ref": action.ref})).text
    assert leads_url(action) not in page
    before = database_fingerprint()
    assert client.get(leads_url(action)).status_code == 403
    assert client.post(leads_url(action), data).status_code == 403
    response = gov.post(leads_url(action), {**data, "leads": ["99999"]})
    assert response.status_code == 400
    assert ("#leads", "Choose the leads from the list.") in errors(response.text)[0]
    assert database_fingerprint() == before
