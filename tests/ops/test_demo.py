"""``planboard demo`` loads the seed plan, three accounts and a quarterly cycle, and can be
run again safely."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from planboard.api import tokens
from planboard.api.models import ApiToken
from planboard.feedback.fft_models import FriendsAndFamilyCount
from planboard.feedback.metrics import loop_figures
from planboard.feedback.models import (
    FeedbackItem,
    FeedbackPublication,
    FeedbackResponse,
    Source,
)
from planboard.feedback.publishing import known_names, personal_data_in
from planboard.imports.services import import_paper
from planboard.people.access import BOARD_MEMBER
from planboard.people.models import Person, Role
from planboard.people.permissions import in_group, is_governance, is_lead
from planboard.plans.models import Action, Strategy
from planboard.progress.models import (
    ActionSnapshot,
    PeriodStatus,
    ReportingPeriod,
    TargetChange,
    Update,
    UpdateStatus,
)
from tests.conftest import SEED_PAPER

pytestmark = pytest.mark.django_db

ACCOUNT_LINE = re.compile(r"^\s+(governance|lead|board)\s+(\S+)\s+\(", re.MULTILINE)


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Strategy,
            Action,
            Person,
            Role,
            User,
            Group,
            ReportingPeriod,
            Update,
            ActionSnapshot,
            TargetChange,
            ApiToken,
            FeedbackItem,
            FeedbackResponse,
            FeedbackPublication,
            FriendsAndFamilyCount,
        )
    } | {
        "group permissions": Group.permissions.through.objects.count(),
        "user groups": User.groups.through.objects.count(),
        "person history": Person.history.count(),
        "action history": Action.history.count(),
        "update history": Update.history.count(),
        "period history": ReportingPeriod.history.count(),
    }


def test_it_imports_the_seed_and_prints_each_password_once():
    output = run_demo()

    passwords = dict(ACCOUNT_LINE.findall(output))
    assert set(passwords) == {"governance", "lead", "board"}
    for username, password in passwords.items():
        assert User.objects.get(username=username).check_password(password)
    assert Strategy.objects.filter(slug="sue").exists()
    assert "http://127.0.0.1:" in output


def test_a_second_run_creates_nothing(monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    run_demo()
    before = counts()

    output = run_demo()

    assert counts() == before
    assert not ACCOUNT_LINE.findall(output)
    assert "already exist" in output
    assert "planboard changepassword" in output
    assert "http://127.0.0.1:8123/" in output


def test_the_demo_has_made_up_feedback_and_publishes_one_on_the_public_page(client):
    output = run_demo()
    assert "Added 5 made-up feedback items" in output
    assert "Added 7 made-up months of Friends and Family Test answers." in output
    [whole] = [
        f
        for f in loop_figures(Strategy.objects.get(slug="sue"))
        if f.quarter == "2016/17 Q4" and f.service is None
    ]
    # January and February 2017, with the suppressed counts left out of both sides:
    # 23 of 25, 26 of 29, 16 of 19 and 17 of 17.
    assert (whole.fft_positive, whole.fft_answers) == (82, 90)
    items = FeedbackItem.objects.filter(strategy__slug="sue")
    assert len({item.source for item in items}) == 5
    assert Source.CARE_OPINION in {item.source for item in items}
    assert items.filter(actions__isnull=False).distinct().count() >= 2
    assert items.filter(commitments__isnull=False).distinct().count() >= 2
    assert FeedbackResponse.objects.filter(change__in=["planned", "made"]).count() >= 2
    names = known_names(Strategy.objects.get(slug="sue"))
    for item in items:
        assert not personal_data_in(item.text, names), item.text
    [published] = [p for p in FeedbackPublication.objects.all() if p.is_published]
    page = client.get("/public/sue/you-said-we-did/").content.decode()
    assert "1 thing we changed" in page
    assert published.we_did in page and "Care Opinion" in page
    assert "/public/sue/#commitment-" in page
    assert 'href="/public/sue/you-said-we-did/"' in client.get("/public/sue/").content.decode()


def test_the_demo_maps_a_dozen_made_up_activities_with_a_gap_and_a_small_register(client):
    from planboard.engagement import mapping
    from planboard.engagement.models import Activity, Involvement, Level
    from planboard.feedback.publishing import known_names

    output = run_demo()
    assert "Added 12 made-up engagement activities" in output
    seed = Strategy.objects.get(slug="sue")
    activities = Activity.objects.filter(strategy=seed)
    assert {a.level for a in activities} == set(Level.values)
    # Every activity meant to serve the seed's commitments and actions found them.
    assert activities.filter(commitments__isnull=False).distinct().count() == 4
    assert activities.filter(actions__isnull=False).distinct().count() == 2
    grid = mapping.by_commitment(seed)
    rows = {line.label: line.key for line in grid.rows}
    assert grid.row_totals.get(rows["Learning disabilities directorate"]) is None
    assert grid.row_totals[rows["Community directorate"]].activities == 5
    assert grid.gaps
    [published] = activities.filter(outcome_published_at__isnull=False)
    names = known_names(seed) + ["Alex Example", "Sam Sample"]
    assert not personal_data_in(published.public_outcome, names)
    page = client.get("/public/sue/engagement/").content.decode()
    assert published.public_outcome in page and "Community directorate" in page
    assert "Alex Example" not in page and "Sam Sample" not in page
    due = {(i.amount_due, i.paid_on) for i in Involvement.objects.all()}
    assert due == {(40, None), (40, datetime.date(2017, 3, 1))}
    run_demo()
    assert Activity.objects.filter(strategy=seed).count() == 12


TOKEN_LINE = re.compile(r"^  (pb_\S+)$", re.MULTILINE)
COMMAND = "planboard api-token create --user board --scope read"


def test_it_prints_a_read_token_for_board_once_and_how_to_make_one():
    first = run_demo()
    second = run_demo()

    (secret,) = TOKEN_LINE.findall(first)
    token = tokens.find(secret)
    assert token.user.username == "board" and not token.writes
    assert f'curl -H "Authorization: Bearer {secret}" http://127.0.0.1:' in first
    assert "/api/v1/strategies/sue/actions/" in first
    assert COMMAND in first and COMMAND in second
    assert not TOKEN_LINE.findall(second) and ApiToken.objects.count() == 1


def test_a_second_run_keeps_the_passwords():
    passwords = dict(ACCOUNT_LINE.findall(run_demo()))

    run_demo()

    for username, password in passwords.items():
        assert User.objects.get(username=username).check_password(password)


def test_the_lead_account_holds_the_engagement_manager_role():
    run_demo()
    lead = User.objects.get(username="lead")

    person = Person.objects.get(strategy__slug="sue", user=lead)

    assert "EM" in {role.abbreviation for role in Role.objects.filter(people__user=lead)}
    assert person.name == "Mia Bajin"
    assert Action.objects.filter(leads__people=person).exists()


def test_each_account_has_its_access():
    run_demo()
    governance, lead, board = (
        User.objects.get(username=name) for name in ("governance", "lead", "board")
    )

    assert governance.is_staff and not governance.is_superuser
    assert is_governance(governance) and governance.has_perm("plans.change_action")
    assert is_lead(lead) and not lead.is_staff
    assert lead.has_perm("plans.view_action") and not lead.has_perm("plans.change_action")
    assert in_group(board, BOARD_MEMBER) and not board.is_staff
    assert board.has_perm("plans.view_action") and not board.has_perm("plans.change_action")


def test_it_relinks_the_lead_after_the_strategy_is_replaced():
    run_demo()
    import_paper(SEED_PAPER, slug="sue", replace=True)

    run_demo()

    lead = User.objects.get(username="lead")
    assert Person.objects.filter(strategy__slug="sue", user=lead).exists()
    assert User.objects.filter(username="lead").count() == 1


def test_the_governance_account_is_the_papers_author():
    run_demo()
    governance = User.objects.get(username="governance")

    person = Person.objects.get(strategy__slug="sue", user=governance)

    assert person.name == "Tania Baxter"
    assert "Head of CG" in {r.abbreviation for r in Role.objects.filter(people__user=governance)}
    assert governance.get_full_name() == "Tania Baxter"


def test_the_board_account_is_the_medical_director_and_may_update_only_what_he_leads():
    from planboard.people.permissions import may_update

    run_demo()

    board = User.objects.get(username="board")
    person = Person.objects.get(user=board)
    assert person.name == "Mike Hunter"
    assert in_group(board, BOARD_MEMBER) and not is_lead(board)
    led = Action.objects.filter(leads__people=person).distinct()
    assert led.exists()
    assert all(may_update(board, action) for action in led)
    others = Action.objects.exclude(pk__in=led.values("pk"))
    assert others.exists()
    assert not any(may_update(board, action) for action in others)


def test_each_account_has_a_demo_email_address_in_a_reserved_domain():
    run_demo()

    addresses = set(User.objects.values_list("email", flat=True))

    assert addresses == {
        "governance@planboard.example",
        "lead@planboard.example",
        "board@planboard.example",
    }


def test_it_closes_2016_17_q3_as_the_paper_stood():
    output = run_demo()

    q3 = ReportingPeriod.objects.get(strategy__slug="sue", label="2016/17 Q3")
    assert q3.status == PeriodStatus.CLOSED
    assert (q3.starts_on, q3.ends_on) == (datetime.date(2016, 10, 1), datetime.date(2016, 12, 31))
    assert q3.closed_by.username == "governance"
    assert q3.snapshots.count() == Action.objects.filter(theme__strategy__slug="sue").count()
    mapping = q3.snapshots.get(ref="1.2")
    assert (mapping.target_display, mapping.rag_text, mapping.update) == (
        "Apr 2017",
        "Yellow",
        None,
    )
    assert "2016/17 Q3 (closed" in output


def test_it_leaves_2016_17_q4_open_with_an_update_in_each_review_state():
    output = run_demo()

    q4 = ReportingPeriod.objects.get(strategy__slug="sue", label="2016/17 Q4")
    assert q4.status == PeriodStatus.OPEN
    assert q4.updates_due == datetime.date(2017, 3, 31)
    updates = {
        update.action.ref: update
        for update in Update.objects.filter(period=q4).select_related("action__theme")
    }
    assert {ref: update.status for ref, update in updates.items()} == {
        "1.2": UpdateStatus.ACCEPTED,
        "2.4": UpdateStatus.SUBMITTED,
        "1.9": UpdateStatus.RETURNED,
    }
    assert {update.submitted_by.username for update in updates.values()} == {"lead"}
    assert not any(update.on_behalf for update in updates.values())
    assert updates["1.9"].review_comment.startswith("Please say which directorates")
    assert "2016/17 Q4 (open, updates due 31 March 2017)" in output


def test_the_demo_keeps_the_separation_of_duties():
    """The lead gives the updates and the governance account reviews them: none is its
    own, not even 2.4, which Tania Baxter (Head of CG) co-leads with Mia Bajin, who gave
    it. So the governance account can still accept or return the waiting update."""
    from planboard.people.permissions import own_update_refusal

    run_demo()

    governance = User.objects.get(username="governance")
    updates = Update.objects.filter(period__strategy__slug="sue").select_related(
        "action__theme__strategy", "submitted_by", "reviewed_by"
    )
    assert not Strategy.objects.get(slug="sue").allow_own_review
    assert not any(update.own_review for update in updates)
    for update in updates.exclude(status=UpdateStatus.SUBMITTED):
        assert update.reviewed_by != update.submitted_by, update.action.ref
    waiting = updates.get(status=UpdateStatus.SUBMITTED)
    assert waiting.action.ref == "2.4"
    assert waiting.action.leads.filter(people__user=governance).exists()
    assert own_update_refusal(governance, waiting) == ""


def test_the_accepted_update_moved_its_target_with_a_reason():
    run_demo()

    mapping = Action.objects.get(theme__strategy__slug="sue", theme__number=1, number=2)
    (change,) = TargetChange.objects.filter(action=mapping)
    assert (change.from_display, change.to_display) == ("Apr 2017", "Jun 2017")
    assert change.reason.startswith("Two directorates were restructured")
    assert change.changed_by.username == "governance"
    assert mapping.target_display == "Jun 2017" and mapping.rag_level.label == "Amber"
    assert mapping.original_target_display == "Apr 2017"


def test_a_second_run_leaves_the_periods_alone():
    run_demo()

    output = run_demo()

    assert "already has reporting periods; none added" in output
    assert ReportingPeriod.objects.count() == 2


def test_the_demo_lead_can_be_reminded():
    run_demo()
    out = io.StringIO()

    call_command("remind", strategy="sue", dry_run=True, stdout=out)

    assert "would send: lead reminder to Mia Bajin <lead@planboard.example>" in out.getvalue()
    assert "would send: governance digest to Tania Baxter" in out.getvalue()


def test_replacing_the_strategy_brings_the_periods_back_on_the_next_run():
    run_demo()
    import_paper(SEED_PAPER, slug="sue", replace=True)
    assert ReportingPeriod.objects.count() == 0

    run_demo()

    assert set(ReportingPeriod.objects.values_list("label", "status")) == {
        ("2016/17 Q3", PeriodStatus.CLOSED),
        ("2016/17 Q4", PeriodStatus.OPEN),
    }
