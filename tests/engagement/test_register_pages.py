"""The register's pages: who may open them, their forms' refusals, the conflict between
two edits, the finance team's export (totals worked by hand, a block rate among them),
and query counts that do not grow with the register."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from planboard.engagement.models import Involvement, Participant, RateUnit, Reward, RewardRate
from planboard.engagement.register import save_involvement, save_participant, save_rate
from tests.bounds import database_fingerprint
from tests.cast import board_member, governance, lead
from tests.engagement.helpers import add_activity, make_engagement_plan
from tests.shared import shared

D = datetime.date
FORMULA_NAME = "=HYPERLINK(1)"


def _involve(person, activity, day, hours, reward, rate="", expenses=0, paid_on=None):
    involvement = Involvement(
        participant=person,
        activity=activity,
        took_part_on=day,
        hours=Decimal(hours),
        reward=reward,
        expenses=Decimal(expenses),
        paid_on=paid_on,
    )
    return save_involvement(involvement, user=None, rate_name=rate)


@shared
def register(db):
    """Two quarters of involvement. In 2016/17 Q4, by hand:
    Morag: 4 hours of Working group (blocks of 3 hours at £20: 2 blocks, £40.00) with
    £6.40 expenses, outstanding; 2.5 hours of Workshop at £13.85 an hour (£34.625, so
    £34.63), paid 1 March 2017. The "=HYPERLINK(1)" person: expenses only, £12.00.
    Totals: 7.50 hours, due £74.63, expenses £18.40, paid £34.63, outstanding £58.40."""
    strategy, places, commitments, actions = make_engagement_plan()
    governance(), board_member()
    lena = lead(strategy, [], "lena")
    own = add_activity(strategy, "Interview panel", lead=lena.people.get())
    other = add_activity(strategy, "Open day")
    for name, unit, block, amount in (
        ("Working group", RateUnit.BLOCK, "3", "20.00"),
        ("Workshop", RateUnit.HOUR, None, "13.85"),
    ):
        line = RewardRate(
            strategy=strategy,
            name=name,
            unit=unit,
            block_hours=block,
            amount=amount,
            valid_from=D(2016, 4, 1),
        )
        save_rate(line, user=None)
    morag = save_participant(
        Participant(strategy=strategy, name="Morag Pettigrew", consent_given_on=D(2016, 5, 1)),
        user=None,
    )
    formula = save_participant(Participant(strategy=strategy, name=FORMULA_NAME), user=None)
    _involve(morag, own, D(2017, 1, 10), "4", Reward.PAYMENT, "Working group", "6.40")
    _involve(morag, other, D(2017, 2, 1), "2.5", Reward.PAYMENT, "Workshop", 0, D(2017, 3, 1))
    _involve(formula, other, D(2017, 3, 5), "1", Reward.EXPENSES, "", "12.00")
    _involve(morag, other, D(2017, 4, 3), "2", Reward.VOUCHER, "Working group")
    return strategy, own, other, morag, formula


def at(name, **kwargs):
    return reverse(name, kwargs={"slug": "eng", **kwargs})


def as_user(username):
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_the_register_pages_are_the_governance_teams(register):
    strategy, own, other, morag, formula = register
    pages = [
        at("engagement_register"),
        at("engagement_participant_add"),
        at("engagement_participant", pk=morag.pk),
        at("engagement_participant_erase", pk=morag.pk),
        at("engagement_rates"),
        at("engagement_finance"),
        at("engagement_finance_export", format="csv"),
    ]
    for username in ("bob", "lena"):
        client = as_user(username)
        for page in pages:
            response = client.get(page)
            assert response.status_code == 403, (username, page)
            assert b"Morag" not in response.content
    gail = as_user("gail")
    for page in pages:
        assert gail.get(page).status_code == 200, page
    anonymous = Client().get(pages[0])
    assert anonymous.status_code == 302 and "sign-in" in anonymous.url


def test_the_register_lists_people_with_consent_and_their_involvement(register):
    strategy = register[0]
    withdrawn = Participant(
        strategy=strategy,
        name="Ian Withdrew",
        consent_given_on=D(2016, 5, 1),
        consent_withdrawn_on=D(2017, 2, 1),
    )
    save_participant(withdrawn, user=None)
    page = as_user("gail").get(at("engagement_register")).text
    assert "Morag Pettigrew" in page and "Given</strong> 1 May 2016" in page
    assert "Withdrawn</strong> 1 February 2017" in page
    assert "Warning: no consent recorded" in page  # the formula person gave none
    # Morag: 3 activity rows in 2 activities, 8.50 hours, due £40 + £6.40 + £34.63 + £20.
    assert "8.50" in page and "£101.03" in page and "£34.63" in page
    searched = as_user("gail").get(at("engagement_register") + "?q=pettig").text
    assert "Morag Pettigrew" in searched and "HYPERLINK" not in searched


def test_a_person_is_added_and_a_refusal_names_the_field(register):
    gail = as_user("gail")
    before = database_fingerprint()
    refused = gail.post(at("engagement_participant_add"), {"name": " ", "perspective": "carer"})
    assert refused.status_code == 400
    assert "Error: " in refused.text and 'href="#name"' in refused.text
    assert database_fingerprint() == before
    added = gail.post(
        at("engagement_participant_add"),
        {"name": "Ann Oduya", "perspective": "carer", "contact": "ann@example.org"},
    )
    person = Participant.objects.get(name="Ann Oduya")
    assert added.url == at("engagement_participant", pk=person.pk)
    assert person.contact == "ann@example.org" and person.perspective == "carer"


def _details(person, **changes):
    data = {
        "name": person.name,
        "perspective": person.perspective,
        "contact": person.contact,
        "access_needs": person.access_needs,
        "version": str(person.version),
    }
    return {**data, **changes}


def test_two_edits_of_a_person_cannot_overwrite_each_other(register):
    strategy, own, other, morag, formula = register
    gail = as_user("gail")
    url = at("engagement_participant", pk=morag.pk)
    first = gail.post(url, _details(morag, access_needs="Large print"))
    assert first.status_code == 302
    before = database_fingerprint()
    second = gail.post(url, _details(morag, access_needs="Hearing loop"))
    assert second.status_code == 409
    assert "Your changes were not saved" in second.text and "Large print" in second.text
    assert database_fingerprint() == before
    assert Participant.objects.get(pk=morag.pk).access_needs == "Large print"


def test_erasing_a_person_keeps_their_pay_after_a_confirmation(register):
    strategy, own, other, morag, formula = register
    gail = as_user("gail")
    url = at("engagement_participant_erase", pk=morag.pk)
    assert "It cannot be undone" in gail.get(url).text
    assert Participant.objects.get(pk=morag.pk).name == "Morag Pettigrew"
    gail.post(url)
    erased = Participant.objects.get(pk=morag.pk)
    assert erased.name == f"Erased person {morag.pk}" and erased.involvements.count() == 3


def test_the_involvement_page_prices_a_reward_and_refuses_on_the_field(register):
    strategy, own, other, morag, formula = register
    gail = as_user("gail")
    url = at("engagement_involvement", pk=own.pk)
    form = {
        "participant": str(formula.pk),
        "took_part_on-day": "20",
        "took_part_on-month": "1",
        "took_part_on-year": "2017",
        "role": "Panel member",
        "hours": "7",
        "reward": "payment",
        "rate": "Working group",
        "expenses": "",
    }
    before = database_fingerprint()
    refused = gail.post(url, {**form, "hours": "lots"})
    assert refused.status_code == 400 and 'href="#hours"' in refused.text
    assert "The hours is not a number." in refused.text
    refused = gail.post(url, {**form, "took_part_on-year": "2015"})
    assert "The rate card has no Working group rate on 20 January 2015." in refused.text
    assert 'href="#rate"' in refused.text and database_fingerprint() == before
    assert gail.post(url, form).status_code == 302
    saved = Involvement.objects.get(participant=formula, activity=own)
    assert saved.amount_due == Decimal("60.00")  # 7 hours: three blocks of 3 or part
    page = gail.get(url).text
    assert "Panel member" in page and "£60.00" in page


def test_a_lead_sees_their_activity_and_only_its_people(register):
    strategy, own, other, morag, formula = register
    lena = as_user("lena")
    page = lena.get(at("engagement_involvement", pk=own.pk))
    assert page.status_code == 200 and "Morag Pettigrew" in page.text
    assert "HYPERLINK" not in page.text  # in the register, not in this activity
    assert lena.get(at("engagement_involvement", pk=other.pk)).status_code == 403
    assert as_user("bob").get(at("engagement_involvement", pk=own.pk)).status_code == 403
    form = {
        "participant": str(formula.pk),
        "took_part_on-day": "20",
        "took_part_on-month": "1",
        "took_part_on-year": "2017",
        "hours": "1",
        "reward": "none",
    }
    refused = lena.post(at("engagement_involvement", pk=own.pk), form)
    assert refused.status_code == 400 and "Choose one of the choices given." in refused.text


def test_the_rate_card_adds_a_line_and_says_a_used_line_cannot_change(register):
    gail = as_user("gail")
    url = at("engagement_rates")
    page = gail.get(url).text
    assert "Used for 2 rewards: cannot be changed" in page
    line = {
        "name": "Working group",
        "unit": "block",
        "block_hours": "3",
        "amount": "25",
        "valid_from-day": "1",
        "valid_from-month": "4",
        "valid_from-year": "2017",
    }
    before = database_fingerprint()
    refused = gail.post(url, {**line, "block_hours": ""})
    assert refused.status_code == 400 and "Give the hours a block is." in refused.text
    assert database_fingerprint() == before
    assert gail.post(url, line).status_code == 302
    page = gail.get(url).text
    assert "The day before 1 April 2017" in page and "£25.00" in page


def _finance(client, format="", quarter="2016/17 Q4"):
    name = "engagement_finance_export" if format else "engagement_finance"
    return client.get(at(name, **({"format": format} if format else {})), {"quarter": quarter})


EXPECTED = [  # by name: "=" comes before "M"
    [FORMULA_NAME, "1.00", "0.00", "12.00", "0.00", "12.00"],
    ["Morag Pettigrew", "6.50", "74.63", "6.40", "34.63", "46.40"],
    ["Total", "7.50", "74.63", "18.40", "34.63", "58.40"],
]


def test_the_finance_export_totals_what_is_due_and_paid(register):
    gail = as_user("gail")
    page = _finance(gail).text
    assert "2017/18 Q1" in page and "£58.40" in page and "£46.40" in page
    text = _finance(gail, "csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Name", "Total hours", "Due", "Expenses", "Paid", "Outstanding"]
    expected = [row[:] for row in EXPECTED]
    expected[0][0] = "'" + FORMULA_NAME  # never a formula in a spreadsheet
    assert rows[1:] == expected
    sheet = load_workbook(io.BytesIO(_finance(gail, "xlsx").content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [[row[0], *[f"{Decimal(str(v)):.2f}" for v in row[1:]]] for row in values] == EXPECTED
    assert sheet["A2"].value == FORMULA_NAME and sheet["A2"].data_type == "s"
    april = list(csv.reader(io.StringIO(_finance(gail, "csv", "2017/18 Q1").text)))
    assert april[-1][1:] == ["2.00", "20.00", "0.00", "0.00", "20.00"]
    assert _finance(gail, quarter="1999/00 Q1").status_code == 404
    assert _finance(gail, "json").status_code == 404


def test_marking_the_quarter_paid_pays_what_is_outstanding(register):
    gail = as_user("gail")
    url = at("engagement_finance")
    before = database_fingerprint()
    refused = gail.post(url, {"quarter": "2016/17 Q4", "paid_on-day": "31"})
    assert refused.status_code == 400 and 'href="#paid-on' in refused.text
    assert database_fingerprint() == before
    when = {"paid_on-day": "2", "paid_on-month": "4", "paid_on-year": "2017"}
    response = gail.post(url, {"quarter": "2016/17 Q4", **when})
    assert response.status_code == 302
    rows = list(csv.reader(io.StringIO(_finance(gail, "csv").text)))
    assert rows[-1] == ["Total", "7.50", "74.63", "18.40", "93.03", "0.00"]
    assert Involvement.objects.filter(took_part_on=D(2017, 4, 3), paid_on=None).exists()


def _grow(strategy, activity, people):
    for number in range(people):
        person = save_participant(
            Participant(strategy=strategy, name=f"Person {number}"), user=None
        )
        _involve(person, activity, D(2017, 1, 11), "3", Reward.PAYMENT, "Working group")


@pytest.mark.parametrize("name", ["register", "involvement", "finance"])
def test_the_lists_read_a_fixed_number_of_queries(register, name, django_assert_max_num_queries):
    strategy, own, other, morag, formula = register
    kwargs = {"pk": own.pk} if name == "involvement" else {}
    url = at(f"engagement_{name}", **kwargs)
    gail = as_user("gail")
    counts = []
    for added in (0, 30):
        _grow(strategy, own, added)
        with CaptureQueriesContext(connection) as queries:
            response = gail.get(url, {"quarter": "2016/17 Q4"} if name == "finance" else {})
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(12):
        gail.get(url)
