import re

from django.urls import reverse


def rows(text, kind):
    return re.findall(rf'<tr class="nhsuk-table__row pb-{kind}-row">(.*?)</tr>', text, re.S)


def cells(row):
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
        for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    ]


def test_it_shows_the_key_of_roles_with_holders_and_actions_led(signed_in, small_plan):
    text = signed_in.get(reverse("people", kwargs={"slug": "demo"})).text
    key = text[: text.index("Leads not in the key")]
    assert [cells(row) for row in rows(key, "role")] == [
        ["Engagement Manager", "EM", "Laura Di Bona, Mia Bajin", "2"],
        ["Head of SUEMU", "", "Nobody named", "2"],
    ]


def test_it_marks_the_leads_not_in_the_key(signed_in, small_plan):
    text = signed_in.get(reverse("people", kwargs={"slug": "demo"})).text
    others = text[text.index("Leads not in the key") :]
    assert [cells(row) for row in rows(others, "role")] == [
        ["Finance Not in key", "", "Nobody named", "1"]
    ]


def test_it_lists_people_with_roles_and_ebe_leads(signed_in, small_plan):
    small_plan.laura.is_ebe_lead = True
    small_plan.laura.note = "co-chair SUSEG"
    small_plan.laura.save()
    text = signed_in.get(reverse("people", kwargs={"slug": "demo"})).text
    assert [cells(row) for row in rows(text, "person")] == [
        ["Laura Di Bona", "Engagement Manager (EM)", "Yes", "co-chair SUSEG"],
        ["Mia Bajin", "Engagement Manager (EM)", "No", ""],
    ]
