"""Every page of the web app, in Chromium, in each state a user meets it.

``PAGES`` holds each HTML page of ``planboard/web/urls.py`` by its URL name, with the
states real users see it in: the seed plan "sue", the quarterly cycle with updates in
every state (``full_cycle``), papers, an import, form errors and edit conflicts. Each
state is opened on a screen 320 CSS pixels wide, under the Content-Security-Policy:

- with scripts: no axe-core violation of WCAG 2.2 AA, on a phone 390 pixels wide and
  again on a desktop screen (the engagement pages at 320 pixels too);
- without scripts: the page still shows its heading and its main content;

and either way the page does not scroll sideways (at 320 and 390 pixels, one page load
resized), breaks no rule of the policy, and shows errors the NHS.UK way: "Error: " in the
title, the error summary with each link leading to something on the page, the message
beside each field. A page that lists actions in rows (``State.row``) shows the first
row's RAG, its tags and its links ("Give update") inside the 390-pixel viewport.

``NOT_PAGES`` lists every other URL name with the reason it is left out; a plain test
fails when a URL name is in neither, so a new page cannot go unchecked.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    GOVERNANCE_USERNAME,
    USERNAME,
    axe_violations,
    in_a_thread,
    open_page,
)

PHONE = 390  # the width axe and the action rows are checked at
NARROW = (320, PHONE)  # sideways scrolling is checked at each, ending at PHONE
DESKTOP = 1280
PROBLEM = "There is a problem"
LEAD = USERNAME
GOVERNANCE = GOVERNANCE_USERNAME
PLAN = "/strategies/sue/"
ACTION = "/strategies/sue/actions/{}/"
UPDATE = "/strategies/sue/actions/{}/update/"
PERIODS = "/strategies/sue/periods/"
Q3 = "/strategies/sue/periods/2016-17-q3/"
Q4 = "/strategies/sue/periods/2016-17-q4/"
SCHEDULE = "/strategies/sue/reminders/"
PAPER = "/strategies/sue/papers/2016-17-q3/"
IMPORT = "/strategies/sue/import/"
IMPORTS = "/strategies/sue/imports/"
PEOPLE = "/strategies/sue/people/"
SCALE = "/strategies/sue/scale/"
FEEDBACK = "/strategies/sue/feedback/"
ENGAGEMENT = "/strategies/sue/engagement/"

# A tracker as a trust keeps it, under the kind of long file name people give them.
TRACKER = "Service_User_Engagement_Action_Plan_2017-18_FINAL_v3_with_comments.csv"
CSV = (
    b"Workstream,Description,Owner,Due,Status,Notes\n"
    b"Patient voice,Run a listening event in each directorate.,EM,31/03/2017,In progress,Booked\n"
    b",Write a leaflet on giving feedback.,Head of SUEMU,June 2017,Not started,\n"
)
BAD_DATE = CSV + b"Training,Train two more facilitators.,EM,sometime soon,Not started,\n"


@dataclass(frozen=True)
class State:
    """One state of a page: who is signed in, where they go, what they do there.

    ``path``, ``heading`` and ``shows`` may name the refs ``full_cycle`` returns:
    {unrated}, {waiting}, {returned} or {accepted}. ``heading`` is (part of) the h1,
    ``shows`` text of the main content the page must show, scripts or not,
    ``error`` the title of the error summary it shows, if any, and ``row`` the CSS
    selector of the page's action rows, whose first row must show its RAG and its
    links on a phone.
    """

    name: str
    path: str
    heading: str
    shows: str
    user: str | None = LEAD
    act: Callable[[Page], None] | None = None
    error: str | None = None
    status: int = 200
    row: str | None = None


def submit(page, button):
    """Press a form's button and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=button).first.click()


def as_governance(*args, **kwargs) -> State:
    return State(*args, user=GOVERNANCE, **kwargs)


# What users do on a page to bring it to the state checked.


def sign_in_with_nothing(page):
    submit(page, "Sign in")


def sign_in_wrongly(page):
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password").fill("not the password")
    submit(page, "Sign in")


def sign_in_wrongly_until_locked_out(page):
    for _ in range(10):
        page.get_by_label("Username").fill("mbajin")
        page.get_by_label("Password").fill("a guess")
        submit(page, "Sign in")
        if page.get_by_role("heading", name="Too many attempts").count():
            return


def refused_by_single_sign_on(reason, *, not_recognised=False):
    """Come back from the provider refused: a session holding the refusal, as the
    provider's callback leaves it, and its page."""

    def act(page):
        from django.conf import settings

        def start():
            from importlib import import_module

            store = import_module(settings.SESSION_ENGINE).SessionStore()
            store["sign_in_refusal"] = {
                "reason": reason,
                "not_recognised": not_recognised,
                "email": "someone.else@nhs.net" if not_recognised else "",
            }
            store.create()
            return store.session_key

        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": in_a_thread(start)}
        page.context.add_cookies([{**cookie, "url": page.url}])
        page.goto("/sign-in/not-signed-in/")

    return act


def send_an_empty_update(page):
    page.get_by_label("Yes, the target date changes").check()
    submit(page, "Send for review")


def send_an_update_with_bad_values(page):
    page.get_by_label("What progress has been made?").fill("Met the directorate leads.")
    page.get_by_label("Green", exact=True).check()
    page.get_by_label("Yes, the target date changes").check()
    page.get_by_label("Month").fill("13")
    page.get_by_label("Year").fill("17")
    submit(page, "Send for review")


def send_an_update_someone_else_sent_first(page):
    """Another tab sends an update on the action while this one is open."""
    other = page.context.new_page()
    other.goto(page.url)
    other.get_by_label("What progress has been made?").fill("Entered from the minutes.")
    other.get_by_label("Amber", exact=True).check()
    submit(other, "Send for review")
    other.close()
    page.get_by_label("What progress has been made?").fill("Jane's own words.")
    page.get_by_label("Green", exact=True).check()
    submit(page, "Send for review")
    expect(page.get_by_label("What progress has been made?")).to_have_value("Jane's own words.")


def follow(page, selector):
    with page.expect_navigation():
        page.locator(selector).first.click()


def open_a_role(page):
    follow(page, "tr.pb-role-row a")


def open_a_person(page):
    follow(page, "tr.pb-person-row a")


def open_a_level(page):
    follow(page, "tr.pb-level-row a")


def open_a_roles_merge(page):
    open_a_role(page)
    follow(page, "a[href$='/merge/']")


def open_a_persons_split(page):
    open_a_person(page)
    follow(page, "a[href$='/split/']")


def saved_by_someone_else_first(opening, button):
    """Open a form, let another tab save it as it is, then save it here."""

    def act(page):
        opening(page)
        other = page.context.new_page()
        other.goto(page.url)
        submit(other, button)
        other.close()
        submit(page, button)

    return act


def merge_into_nothing(page):
    open_a_roles_merge(page)
    submit(page, "Merge the roles")


def split_into_one_name(page):
    open_a_persons_split(page)
    page.get_by_label("Second person's name").fill("")
    submit(page, "Split")


def record_an_item(page):
    page.get_by_label("Where it came from").select_option("survey")
    page.get_by_label("Title (optional)").fill("The letters came late")
    page.get_by_label("What was said").fill("The letters came late, twice.")
    submit(page, "Record the feedback")


def map_some_engagement(page):
    """Record directorates, services and activities on the seed plan, then reload."""

    def record():
        import datetime

        from planboard.feedback.models import Service, ServiceKind
        from planboard.feedback.services import save_feedback_service
        from planboard.plans.models import Action, Commitment, Strategy
        from tests.engagement.helpers import add_activity

        strategy = Strategy.objects.get(slug="sue")
        if strategy.engagement_activities.exists():
            return

        def service(name, kind=ServiceKind.SERVICE, parent=None):
            record = Service(strategy=strategy, name=name, kind=kind, parent=parent)
            return save_feedback_service(record, user=None)

        acute = service("Acute and inpatient services", ServiceKind.DIRECTORATE)
        service("Community services", ServiceKind.DIRECTORATE)
        ward = service("Maple ward", parent=acute)
        commitments = list(Commitment.objects.filter(theme__strategy=strategy)[:3])
        action = Action.objects.for_strategy(strategy).filter(commitments__isnull=False).first()
        add_activity(
            strategy,
            "SUNRISE group",
            kind="standing_group",
            level="involve",
            starts_on=datetime.date(2016, 4, 5),
            ongoing=True,
            services=[ward],
            commitments=commitments[:1],
        )
        add_activity(
            strategy, "Co-design day", level="coproduce", services=[acute], actions=[action]
        )
        add_activity(strategy, "Annual meeting", level="inform", commitments=commitments[2:])

    in_a_thread(record)
    page.reload()


def publish_a_phone_number(page):
    record_an_item(page)
    page.get_by_label("You said").fill("Ring me on 07700 900123.")
    page.get_by_label("We did").fill("We rang.")
    submit(page, "Publish")


def add_an_activity(page):
    """Add an activity through its form, which leads to its page."""
    page.locator("#title").fill("Carers' workshop")
    page.locator("#level").select_option("coproduce")
    page.locator("#starts-on-day").fill("1")
    page.locator("#starts-on-month").fill("3")
    page.locator("#starts-on-year").fill("2017")
    submit(page, "Add the activity")


def add_an_activity_then(link):
    def act(page):
        add_an_activity(page)
        follow(page, f"a:has-text('{link}')")

    return act


def add_a_level_with_a_taken_alias(page):
    page.get_by_label("Label", exact=True).fill("Blue")
    page.get_by_label("Aliases").fill("Green")
    submit(page, "Add the level")


def give_an_update_then_open_the_queue(page):
    """Governance gives an update on the lead's behalf: it waits for a second reviewer."""
    page.get_by_label("What progress has been made?").fill("Reported by phone.")
    page.get_by_label("Green", exact=True).check()
    submit(page, "Send for review")
    page.goto(Q4 + "review/")


def change_a_rating_without_a_reason(page):
    """The reviewer opens "Change the rating ...", picks Red and accepts, with no reason."""
    section = page.locator("section.pb-review").filter(has=page.locator("button[value=adjust]"))
    section.first.get_by_text("Change the rating or target date, then accept").click()
    section.first.locator("select[name=rag]").select_option("Red")
    with page.expect_navigation():
        section.first.locator("button[value=adjust]").click()


def someone_else_closes_the_open_period():
    def close():
        from django.contrib.auth import get_user_model

        from planboard.progress.models import ReportingPeriod
        from planboard.progress.services import close_period

        governor = get_user_model().objects.get(username=GOVERNANCE_USERNAME)
        for period in ReportingPeriod.objects.filter(status="open"):
            close_period(period, user=governor, confirm_not_accepted=True)

    in_a_thread(close)


def add_a_person_to_the_register(page):
    page.get_by_label("Name").fill("Morag Pettigrew")
    page.get_by_label("Access needs (optional)").fill("Large print")
    submit(page, "Add the person")


def open_erase_for_a_person(page):
    add_a_person_to_the_register(page)
    follow(page, "text=Erase this person's details")


def open_an_activitys_involvement(page):
    def add():
        import datetime

        from planboard.engagement.models import Activity
        from planboard.engagement.services import save_activity
        from planboard.plans.models import Strategy

        strategy = Strategy.objects.get(slug="sue")
        activity = Activity(strategy=strategy, title="Panel", starts_on=datetime.date(2017, 1, 10))
        return save_activity(activity, user=None).pk

    pk = in_a_thread(add)
    page.goto(page.url.split(ENGAGEMENT)[0] + f"{ENGAGEMENT}activities/{pk}/involvement/")


def open_a_period_with_no_name(page):
    someone_else_closes_the_open_period()
    page.reload()
    page.get_by_label("Period to open").fill("")
    submit(page, "Open the period")


def open_a_period_someone_else_opened_first(page):
    someone_else_closes_the_open_period()
    page.reload()

    def open_next():
        from django.contrib.auth import get_user_model

        from planboard.plans.models import Strategy
        from planboard.progress.services import open_period

        governor = get_user_model().objects.get(username=GOVERNANCE_USERNAME)
        open_period(Strategy.objects.get(slug="sue"), "2017/18 Q1", user=governor)

    in_a_thread(open_next)
    page.get_by_label("Period to open").fill("2017/18 Q2")
    submit(page, "Open the period")


def close_without_confirming(page):
    submit(page, "Close 2016/17 Q4")


def close_a_period_someone_else_closed(page):
    someone_else_closes_the_open_period()
    submit(page, "Close 2016/17 Q4")


def make_a_file_with_no_format(page):
    """Send the form without a format, as a browser would with no radio chosen."""

    def drop_the_format(route):
        fields = parse_qsl(route.request.post_data or "", keep_blank_values=True)
        route.continue_(post_data=urlencode([(k, v) for k, v in fields if k != "format"]))

    page.route("**/generate/", drop_the_format)
    submit(page, "Make the file")
    page.unroute("**/generate/")


def make_a_web_page_file(page):
    page.get_by_label("Web page (HTML)").check()
    submit(page, "Make the file")


def make_a_file_then_change_the_cover(page):
    """A file made, then the cover sheet it printed changed: the file is out of date."""
    make_a_web_page_file(page)
    page.goto(PAPER + "cover/")
    page.get_by_label("Title", exact=True).fill("A title changed after the file was made")
    submit(page, "Save the cover sheet")


def save_an_action_with_a_target_that_is_not_a_date(page):
    target = page.get_by_role("group", name="Target date")
    target.get_by_label("Day").fill("31")
    target.get_by_label("Month").fill("June")
    submit(page, "Save the action")


def save_a_cover_with_a_bad_date(page):
    page.get_by_label("Meeting", exact=True).fill("Quality Assurance Committee")
    meeting_date = page.get_by_role("group", name="Meeting date")
    meeting_date.get_by_label("Day").fill("31")
    meeting_date.get_by_label("Month").fill("2")
    meeting_date.get_by_label("Year").fill("2017")
    submit(page, "Save the cover sheet")


def save_a_cover_someone_else_saved_first(page):
    other = page.context.new_page()
    other.goto(page.url)
    other.get_by_label("Meeting", exact=True).fill("Board of Directors")
    submit(other, "Save the cover sheet")
    other.close()
    page.get_by_label("Meeting", exact=True).fill("Quality Assurance Committee")
    submit(page, "Save the cover sheet")


def save_a_schedule_with_bad_days(page):
    page.get_by_label("Days before updates are due").fill("7, next week")
    submit(page, "Save the schedule")


def save_a_schedule_someone_else_saved_first(page):
    other = page.context.new_page()
    other.goto(page.url)
    other.get_by_label("Days before updates are due").fill("10")
    submit(other, "Save the schedule")
    other.close()
    page.get_by_label("Days before updates are due").fill("14, 7")
    submit(page, "Save the schedule")


def save_what_someone_else_saved_first(button):
    """Another tab saves the same form unchanged first, so this one's save is refused."""

    def act(page):
        other = page.context.new_page()
        other.goto(page.url)
        submit(other, button)
        other.close()
        submit(page, button)

    return act


def change_the_first_area(page):
    with page.expect_navigation():
        page.locator("#areas a").first.click()


def send_reminders_now(page):
    submit(page, "Send reminders now")


def make_an_api_token(page):
    page.get_by_label("What is it for?").fill("The intranet's action list")
    page.get_by_label("Read only").check()
    submit(page, "Make the token")


def make_an_api_token_and_revoke_it(page):
    make_an_api_token(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Back to your API tokens").click()
    submit(page, "Revoke")


def make_an_api_token_for_nothing(page):
    submit(page, "Make the token")


def choose_an_email_that_cannot_be_turned_off(page):
    """Send a kind of e-mail that is not on the form, as a changed form would."""

    def change_the_choice(route):
        fields = parse_qsl(route.request.post_data or "", keep_blank_values=True)
        fields.append(("receive", "update_returned"))
        route.continue_(post_data=urlencode(fields))

    page.route("**/my-emails/", change_the_choice)
    submit(page, "Save your choices")
    page.unroute("**/my-emails/")


def some_emails_fail(page):
    def fail():
        from planboard.notifications.models import Notification
        from planboard.notifications.services import Recipient, notify

        notify(
            "paper_ready",
            "paper-ready:0",
            [Recipient("someone.with.a.long.address@trust.example.nhs.uk", None, "Sam")],
            subject="sue-2016-17-q3-paper.pdf is ready",
            link="http://127.0.0.1:8000/",
            context={},
        )
        Notification.objects.update(status="failed", last_error="[Errno 111] Connection refused")

    in_a_thread(fail)
    page.reload()


def upload(data, name=TRACKER):
    def act(page):
        page.get_by_label("Table of actions").set_input_files(
            {"name": name, "mimeType": "text/csv", "buffer": data}
        )
        submit(page, "Upload and preview")

    return act


def import_an_activity_register_with_a_bad_row(page):
    page.get_by_label("The file", exact=True).set_input_files(
        {"name": "register.csv", "mimeType": "text/csv", "buffer": b"Activity,Date\nWalk,someday\n"}
    )
    submit(page, "Import the file")


def upload_then_read_two_columns_as_the_lead(page):
    upload(CSV)(page)
    page.get_by_label("Field for the column Notes").select_option("lead")
    submit(page, "Update the preview")


def upload_into_a_new_theme_without_a_name(page):
    page.get_by_label("Table of actions").set_input_files(
        {"name": TRACKER, "mimeType": "text/csv", "buffer": CSV}
    )
    page.get_by_role("radio", name="A new theme of").check()
    page.get_by_label("Name of the new theme (for a new theme)").fill("")
    submit(page, "Upload and preview")


def upload_then_choose_a_new_strategy_without_a_name(page):
    upload(CSV)(page)
    page.get_by_role("radio", name="A new strategy").check()
    submit(page, "Change where the actions go")


def import_then_open_the_imports(page):
    page.goto(IMPORT)
    upload(CSV)(page)
    submit(page, "Import 2 actions")
    page.goto(IMPORTS)


def import_then_undo_after_the_period_closed(page):
    import_then_open_the_imports(page)
    someone_else_closes_the_open_period()
    submit(page, "Undo this import")


def upload_a_large_file(data):
    """Upload ``data`` as a file large enough to be read by the worker, which is not
    running: the page shows the job waiting, or, once it has run here, failed."""

    def act(page):
        from django.test import override_settings

        with override_settings(IMPORTS_IN_BACKGROUND=True, IMPORT_IN_BACKGROUND_OVER_KB=0):
            upload(data)(page)

    return act


def upload_a_large_file_the_worker_refuses(page):
    upload_a_large_file(b"Minutes of the SUSEG meeting\n")(page)

    def run():
        from planboard.imports.jobs import run_job
        from planboard.imports.models import ImportJob

        run_job(ImportJob.objects.latest("pk").pk)

    in_a_thread(run)
    page.reload()


def import_a_large_file_whose_worker_stops(page):
    """Upload a large file, have it read, confirm it, then lose the worker writing it."""
    import datetime

    from django.test import override_settings

    from planboard.imports.jobs import run_job
    from planboard.imports.models import ImportJob

    def read():
        run_job(ImportJob.objects.latest("pk").pk)

    def lose_the_worker():
        long_ago = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
        ImportJob.objects.filter(pk=ImportJob.objects.latest("pk").pk).update(
            status="running", started_at=long_ago, heartbeat_at=long_ago
        )

    with override_settings(IMPORTS_IN_BACKGROUND=True, IMPORT_IN_BACKGROUND_OVER_KB=0):
        upload(CSV)(page)
        in_a_thread(read)
        page.reload()
        submit(page, "Import 2 actions")
        in_a_thread(lose_the_worker)
        page.reload()


PAGES: dict[str, list[State]] = {
    "login": [
        State("the form", "/sign-in/", "Sign in to planboard", "Username", user=None),
        State(
            "nothing entered",
            "/sign-in/",
            "Sign in to planboard",
            "Enter your username",
            user=None,
            act=sign_in_with_nothing,
            error=PROBLEM,
        ),
        State(
            "a wrong password",
            "/sign-in/",
            "Sign in to planboard",
            "Enter a correct username and password",
            user=None,
            act=sign_in_wrongly,
            error=PROBLEM,
        ),
        State(
            "locked out",
            "/sign-in/",
            "Too many attempts to sign in",
            "signing in is paused",
            user=None,
            act=sign_in_wrongly_until_locked_out,
        ),
    ],
    "sign_in_refused": [
        State(
            "someone planboard does not know",
            "/sign-in/",
            "Ask your governance team",
            "someone.else@nhs.net",
            user=None,
            act=refused_by_single_sign_on(
                "Nobody in a plan's key has the e-mail address someone.else@nhs.net.",
                not_recognised=True,
            ),
        ),
        State(
            "a token that does not check out",
            "/sign-in/",
            "You are not signed in",
            "has expired",
            user=None,
            act=refused_by_single_sign_on(
                "The sign-in provider's token has expired; sign in again."
            ),
        ),
    ],
    "home": [
        State("a lead's", "/", "Home", "Your actions"),
        as_governance("the governance team's", "/", "Home", "For the governance team"),
    ],
    "plan": [
        State(
            "the whole plan",
            PLAN,
            "Implementation Plan",
            "Actions of theme 1, by area",
            row="tr.pb-action-row",
        ),
        State("filtered", PLAN + "?rag=not-in-key&theme=1&overdue=on", "Plan", "Showing"),
        State(
            "nothing matching",
            PLAN + "?theme=6&status=complete",
            "Implementation Plan",
            "No actions match these filters",
        ),
        State(
            "filters from an old link",
            PLAN + "?theme=99&rag=purple&lead=nobody&status=lost",
            "Implementation Plan",
            "Actions of theme 1, by area",
        ),
        as_governance("for governance", PLAN, "Implementation Plan", "Import a table of actions"),
        State("searched", PLAN + "?search=service+user&overdue=on", "Implementation Plan", "of 49"),
        State(
            "a search too long",
            PLAN + "?search=" + "directorate " * 10,
            "Implementation Plan",
            "Search must be 100 characters or fewer",
            error=PROBLEM,
        ),
        State(
            "a strategy that is not there",
            "/strategies/no-such-strategy/",
            "Page not found",
            "check it is correct",
            status=404,
        ),
    ],
    "action": [
        State("rated outside the key", ACTION.format("1.2"), "Action 1.2", "As written"),
        as_governance("for governance", ACTION.format("1.2"), "Action 1.2", "Change the leads"),
        State("no update yet", ACTION.format("{unrated}"), "Action {unrated}", "Updates by period"),
        State(
            "an update waiting",
            ACTION.format("{waiting}"),
            "Action {waiting}",
            "Progress on {waiting} this quarter.",
        ),
        State(
            "its target moved",
            ACTION.format("{accepted}"),
            "Action {accepted}",
            "Every move of the target date, with its reason",
        ),
    ],
    "commitments": [
        State("commitments", "/strategies/sue/commitments/", "Commitments", "Commitment 1.1"),
    ],
    "people": [
        State("people", "/strategies/sue/people/", "People and roles", "Key of roles"),
    ],
    "add_role": [
        as_governance("the form", PEOPLE + "roles/new/", "Add a role", "Short name"),
        as_governance(
            "no name",
            PEOPLE + "roles/new/",
            "Add a role",
            "Enter the role's name.",
            act=lambda page: submit(page, "Add the role"),
            error=PROBLEM,
        ),
    ],
    "edit_role": [
        as_governance("the form", PEOPLE, "Change the role", "Short name", act=open_a_role),
        as_governance(
            "someone else saved it first",
            PEOPLE,
            "Change the role",
            "What is saved now",
            act=saved_by_someone_else_first(open_a_role, "Save the role"),
            error="Your changes were not saved",
        ),
    ],
    "merge_role": [
        as_governance(
            "the form", PEOPLE, "Merge the role", "Merge it into", act=open_a_roles_merge
        ),
        as_governance(
            "no role chosen",
            PEOPLE,
            "Merge the role",
            "Choose the role to keep.",
            act=merge_into_nothing,
            error=PROBLEM,
        ),
    ],
    "add_person": [
        as_governance("the form", PEOPLE + "new/", "Add a person", "Roles held"),
    ],
    "edit_person": [
        as_governance("the form", PEOPLE, "Change", "Roles held", act=open_a_person),
        as_governance(
            "someone else saved it first",
            PEOPLE,
            "Change",
            "What is saved now",
            act=saved_by_someone_else_first(open_a_person, "Save"),
            error="Your changes were not saved",
        ),
    ],
    "split_person": [
        as_governance(
            "the form", PEOPLE, "into two people", "Second person's name", act=open_a_persons_split
        ),
        as_governance(
            "one name",
            PEOPLE,
            "into two people",
            "Enter the person's name.",
            act=split_into_one_name,
            error=PROBLEM,
        ),
    ],
    "action_leads": [
        as_governance(
            "the form", ACTION.format("1.1") + "leads/", "Leads of action 1.1", "Roles that lead"
        ),
    ],
    "rag_scale": [
        as_governance("the scale", SCALE, "RAG scale", "Levels"),
    ],
    "add_rag_level": [
        as_governance("the form", SCALE + "new/", "Add a RAG level", "Aliases"),
        as_governance(
            "an alias another level has",
            SCALE + "new/",
            "Add a RAG level",
            'The alias "Green" already means the level Green.',
            act=add_a_level_with_a_taken_alias,
            error=PROBLEM,
        ),
    ],
    "edit_rag_level": [
        as_governance("the form", SCALE, "Change the RAG level", "Aliases", act=open_a_level),
        as_governance(
            "someone else saved it first",
            SCALE,
            "Change the RAG level",
            "What is saved now",
            act=saved_by_someone_else_first(open_a_level, "Save the level"),
            error="Your changes were not saved",
        ),
    ],
    "findings": [
        State(
            "as of the board meeting",
            "/strategies/sue/findings/?as_of=2017-03-08",
            "Findings",
            "Summary as of 8 March 2017",
        ),
        as_governance(
            "with where each is fixed",
            "/strategies/sue/findings/?as_of=2017-03-08",
            "Findings",
            "Change the RAG scale",
        ),
        State(
            "an impossible date",
            "/strategies/sue/findings/?as_of-day=30&as_of-month=Feb&as_of-year=2017",
            "Findings",
            "Judge overdue actions as of",
            error=PROBLEM,
        ),
    ],
    "feedback": [
        as_governance("the list and its figures", FEEDBACK, "Feedback", "Closing the loop"),
        as_governance(
            "a filter that is wrong",
            FEEDBACK + "?source=letters",
            "Feedback",
            "Choose one of the choices given.",
            error=PROBLEM,
            status=400,
        ),
    ],
    "record_feedback": [
        as_governance("the form", FEEDBACK + "record/", "Record feedback", "What was said"),
        as_governance(
            "nothing said",
            FEEDBACK + "record/",
            "Record feedback",
            "Enter the feedback.",
            act=lambda page: submit(page, "Record the feedback"),
            error=PROBLEM,
        ),
    ],
    "feedback_import": [
        as_governance("the form", FEEDBACK + "import/", "Import feedback", "What the file holds"),
        as_governance(
            "nothing chosen",
            FEEDBACK + "import/",
            "Import feedback",
            "Choose what the file holds.",
            act=lambda page: submit(page, "Import the file"),
            error=PROBLEM,
        ),
    ],
    "feedback_item": [
        as_governance(
            "an item recorded",
            FEEDBACK + "record/",
            "The letters came late",
            "Record a response",
            act=record_an_item,
        ),
        as_governance(
            "personal data flagged",
            FEEDBACK + "record/",
            "The letters came late",
            "It may hold personal data",
            act=publish_a_phone_number,
            error=PROBLEM,
        ),
    ],
    "action_feedback": [
        as_governance(
            "linking feedback to an action",
            ACTION.format("1.1") + "feedback/",
            "Feedback for action 1.1",
            "Feedback to link",
        ),
    ],
    "feedback_moderation": [
        as_governance(
            "the queue", FEEDBACK + "moderation/", "Moderation queue", "Ready to write up"
        ),
    ],
    "engagement_map": [
        State(
            "by commitment",
            "/strategies/sue/engagement/",
            "Engagement map",
            "Shown by commitment",
            act=map_some_engagement,
        ),
        State(
            "by quarter, filtered",
            "/strategies/sue/engagement/?view=quarter&level=involve",
            "Engagement map",
            "Shown by quarter",
            act=map_some_engagement,
        ),
    ],
    "engagement_activities": [
        as_governance(
            "with an activity",
            ENGAGEMENT + "activities/add/",
            "Engagement activities",
            "Carers' workshop",
            act=add_an_activity_then("Engagement activities"),
        ),
    ],
    "engagement_activity": [
        as_governance(
            "an activity added",
            ENGAGEMENT + "activities/add/",
            "Carers' workshop",
            "Who took part",
            act=add_an_activity,
        ),
    ],
    "engagement_activity_add": [
        as_governance("the form", ENGAGEMENT + "activities/add/", "Add an activity", "Purpose"),
        as_governance(
            "nothing entered",
            ENGAGEMENT + "activities/add/",
            "Add an activity",
            "The start date",
            act=lambda page: submit(page, "Add the activity"),
            error=PROBLEM,
        ),
    ],
    "engagement_activity_edit": [
        as_governance(
            "the form",
            ENGAGEMENT + "activities/add/",
            "Change Carers' workshop",
            "Commitments it serves",
            act=add_an_activity_then("Change the activity"),
        ),
    ],
    "engagement_participation": [
        as_governance(
            "the form",
            ENGAGEMENT + "activities/add/",
            "Who took part",
            "counts only",
            act=add_an_activity_then("Change who took part"),
        ),
    ],
    "engagement_outcome": [
        as_governance(
            "the form",
            ENGAGEMENT + "activities/add/",
            "Outcome of Carers' workshop",
            "What changed because of it",
            act=add_an_activity_then("Change the outcome"),
        ),
    ],
    "engagement_not_fed_back": [
        as_governance(
            "the list",
            ENGAGEMENT + "not-fed-back/",
            "Outcomes not yet fed back",
            "Ended over 30 days ago",
        ),
    ],
    "my_actions": [
        State("a lead's", "/my-actions/", "My actions", "Returned to you", row="tr.pb-my-action"),
        as_governance("leading none", "/my-actions/", "My actions", "You do not lead any actions"),
    ],
    "api:docs": [
        State("a lead's", "/api/v1/docs/", "The API", "Programs read this description"),
    ],
    "my_emails": [
        State("a lead's", "/my-emails/", "Your e-mails", "Always sent"),
        State(
            "a kind that cannot be turned off",
            "/my-emails/",
            "Your e-mails",
            "Choose only from the e-mails listed",
            act=choose_an_email_that_cannot_be_turned_off,
            error=PROBLEM,
        ),
    ],
    "my_api_tokens": [
        State("none", "/my-api-tokens/", "Your API tokens", "You have no API tokens"),
        State(
            "a token revoked",
            "/my-api-tokens/",
            "Your API tokens",
            "You revoked the token",
            act=make_an_api_token_and_revoke_it,
        ),
        State(
            "nothing filled in",
            "/my-api-tokens/",
            "Your API tokens",
            "Enter what the token is for.",
            act=make_an_api_token_for_nothing,
            error=PROBLEM,
        ),
    ],
    "api_token_made": [
        State(
            "a token made",
            "/my-api-tokens/",
            "Your new API token",
            "Copy the token now",
            act=make_an_api_token,
        ),
    ],
    "failed_emails": [
        as_governance("none", "/emails/failed/", "E-mails that could not be sent", "Every e-mail"),
        as_governance(
            "some",
            "/emails/failed/",
            "E-mails that could not be sent",
            "Connection refused",
            act=some_emails_fail,
        ),
    ],
    "update_action": [
        State("a new update", UPDATE.format("{unrated}"), "Update action {unrated}", "Your update"),
        State(
            "nothing entered",
            UPDATE.format("{unrated}"),
            "Update action {unrated}",
            "Enter the progress made on this action",
            act=send_an_empty_update,
            error=PROBLEM,
        ),
        State(
            "bad values",
            UPDATE.format("{unrated}"),
            "Update action {unrated}",
            "The new target date must be a real date",
            act=send_an_update_with_bad_values,
            error=PROBLEM,
        ),
        State(
            "waiting for review",
            UPDATE.format("{waiting}"),
            "Update action {waiting}",
            "It is waiting for review",
        ),
        State(
            "returned",
            UPDATE.format("{returned}"),
            "Update action {returned}",
            "Say which two directorates",
        ),
        State(
            "accepted",
            UPDATE.format("{accepted}"),
            "Update action {accepted}",
            "ask the governance team to return it",
        ),
        as_governance(
            "on the lead's behalf",
            UPDATE.format("{unrated}"),
            "Update action {unrated}",
            "You are not a lead of this action",
        ),
        State(
            "someone else sent an update first",
            UPDATE.format("{unrated}"),
            "Someone else saved action {unrated}'s update first",
            "Entered from the minutes.",
            act=send_an_update_someone_else_sent_first,
            error="Your update was not saved",
        ),
    ],
    "periods": [
        State("for a lead", PERIODS, "Reporting periods", "2016/17 Q3"),
        as_governance("for governance", PERIODS, "Reporting periods", "Close 2016/17 Q4"),
    ],
    # POST only; the periods page shows what went wrong.
    "open_period": [
        as_governance(
            "no period named",
            PERIODS,
            "Reporting periods",
            "Enter the period to open",
            act=open_a_period_with_no_name,
            error=PROBLEM,
        ),
        as_governance(
            "someone else opened one first",
            PERIODS,
            "Reporting periods",
            "2017/18 Q1 is still open",
            act=open_a_period_someone_else_opened_first,
            error=PROBLEM,
        ),
    ],
    "period": [
        State("open", Q4, "Reporting period 2016/17 Q4", "Updates given, by lead role"),
        as_governance("open, for governance", Q4, "2016/17 Q4", "Review the updates for"),
        State(
            "closed",
            Q3,
            "Reporting period 2016/17 Q3",
            "The plan as it stood when",
            row="tr.pb-snapshot-row",
        ),
        as_governance("closed, with the next steps", Q3, "2016/17 Q3", "Next steps"),
    ],
    "reminder_schedule": [
        as_governance(
            "the form", SCHEDULE, "When reminders are sent", "Days before updates are due"
        ),
        as_governance(
            "days that are not numbers",
            SCHEDULE,
            "When reminders are sent",
            "must be whole numbers from 1 to 90",
            act=save_a_schedule_with_bad_days,
            error=PROBLEM,
        ),
        as_governance(
            "someone else saved it first",
            SCHEDULE,
            "When reminders are sent",
            "The saved schedule",
            act=save_a_schedule_someone_else_saved_first,
            error="Your changes were not saved",
        ),
    ],
    "add_theme": [
        as_governance("the form", PLAN + "themes/add/", "Add a theme", "Leave empty for the"),
        as_governance(
            "no title",
            PLAN + "themes/add/",
            "Add a theme",
            "Enter the theme's title",
            act=lambda page: submit(page, "Add the theme"),
            error=PROBLEM,
        ),
    ],
    "edit_theme": [
        as_governance("the form", PLAN + "themes/1/change/", "Change theme 1", "Title"),
        as_governance(
            "someone else saved it first",
            PLAN + "themes/1/change/",
            "Change theme 1",
            "The saved version",
            act=save_what_someone_else_saved_first("Save the theme"),
            error="Your changes were not saved",
        ),
    ],
    "add_commitment": [
        as_governance(
            "no words",
            PLAN + "themes/1/commitments/add/",
            "Add a commitment to theme",
            "Enter the commitment",
            act=lambda page: submit(page, "Add the commitment"),
            error=PROBLEM,
        ),
    ],
    "edit_commitment": [
        as_governance(
            "retired without a reason",
            PLAN + "commitments/1.1/change/",
            "Change commitment 1.1",
            "Enter the reason for retiring it",
            act=lambda page: (
                page.get_by_label("Retire this commitment").check(),
                submit(page, "Save the commitment"),
            ),
            error=PROBLEM,
        ),
    ],
    "add_area": [
        as_governance(
            "no name",
            PLAN + "areas/add/",
            "Add an area",
            "Enter the area's name",
            act=lambda page: submit(page, "Add the area"),
            error=PROBLEM,
        ),
    ],
    "edit_area": [
        as_governance("the form", PLAN, "Change area", "shared by all", act=change_the_first_area),
    ],
    "add_action": [
        as_governance("the form", PLAN + "actions/add/?theme=2", "Add an action", "Leads"),
        as_governance(
            "no words",
            PLAN + "actions/add/",
            "Add an action",
            "Enter the action",
            act=lambda page: submit(page, "Add the action"),
            error=PROBLEM,
        ),
    ],
    "edit_action": [
        as_governance(
            "a target that is not a date",
            ACTION.format("1.1") + "change/",
            "Change action 1.1",
            "The target date must be a real date",
            act=save_an_action_with_a_target_that_is_not_a_date,
            error=PROBLEM,
        ),
        as_governance(
            "someone else saved it first",
            ACTION.format("1.1") + "change/",
            "Change action 1.1",
            "The saved version",
            act=save_what_someone_else_saved_first("Save the action"),
            error="Your changes were not saved",
        ),
    ],
    "retire_action": [
        as_governance(
            "no reason",
            ACTION.format("1.1") + "retire/",
            "Retire action 1.1",
            "Enter the reason for retiring it",
            act=lambda page: submit(page, "Retire the action"),
            error=PROBLEM,
        ),
    ],
    "restore_action": [
        as_governance(
            "the form", ACTION.format("1.1") + "restore/", "Restore action 1.1", "Restore"
        ),
    ],
    # POST only; the period's page shows the run.
    "send_reminders": [
        as_governance(
            "being sent",
            Q4,
            "Reporting period 2016/17 Q4",
            "Being sent",
            act=send_reminders_now,
        ),
    ],
    "close_period": [
        as_governance("to confirm", Q4 + "close/", "Close 2016/17 Q4?", "cannot be undone"),
        as_governance(
            "not confirmed",
            Q4 + "close/",
            "Close 2016/17 Q4?",
            "not accepted; confirm that 2016/17 Q4 closes without",
            act=close_without_confirming,
            error=PROBLEM,
        ),
        as_governance(
            "someone else closed it first",
            Q4 + "close/",
            "Close 2016/17 Q4?",
            "2016/17 Q4 is not open, so it cannot be closed.",
            act=close_a_period_someone_else_closed,
            error=PROBLEM,
        ),
    ],
    "review": [
        as_governance(
            "the queue", Q4 + "review/", "Review updates", "Waiting for review", row=".pb-review"
        ),
        as_governance(
            "returned without a comment",
            Q4 + "review/",
            "Review updates for 2016/17 Q4",
            "Enter a comment saying what the lead should change",
            act=lambda page: submit(page, "Return to the lead"),
            error=PROBLEM,
        ),
        as_governance(
            "an update accepted",
            Q4 + "review/",
            "Review updates for 2016/17 Q4",
            "You accepted the update on action",
            act=lambda page: submit(page, "Accept"),
        ),
        as_governance(
            "a change of rating without its reason",
            Q4 + "review/",
            "Review updates for 2016/17 Q4",
            "give the reason you changed the lead's rating or target date",
            act=change_a_rating_without_a_reason,
            error=PROBLEM,
        ),
        as_governance(
            "one's own update",
            UPDATE.format("{unrated}"),
            "Review updates for 2016/17 Q4",
            "so another member of the governance team must accept or return it",
            act=give_an_update_then_open_the_queue,
        ),
        as_governance("a closed period", Q3 + "review/", "2016/17 Q3", "can no longer be accepted"),
        State("refused", Q4 + "review/", "You cannot do this", "your governance team", status=403),
    ],
    "papers": [State("the papers", "/strategies/sue/papers/", "Papers", "Paper for 2016/17 Q3")],
    "paper": [
        State("a closed period's", PAPER, "Paper for 2016/17 Q3", "RAG ratings by theme"),
        State("an open period's", PAPER.replace("q3", "q4"), "2016/17 Q4", "is still open"),
        as_governance("for governance", PAPER, "Paper for 2016/17 Q3", "Make a file of this"),
    ],
    # POST only; the paper's page shows the file made, or what went wrong.
    "paper_generate": [
        as_governance(
            "no format chosen",
            PAPER,
            "Paper for 2016/17 Q3",
            "Make a file of this paper",
            act=make_a_file_with_no_format,
            error=PROBLEM,
        ),
        as_governance(
            "a file made",
            PAPER,
            "Paper for 2016/17 Q3",
            "is ready to download",
            act=make_a_web_page_file,
        ),
    ],
    "paper_generate_all": [
        as_governance(
            "every format made",
            PAPER,
            "Paper for 2016/17 Q3",
            "are ready to download",
            act=lambda page: submit(page, "Make all formats"),
        ),
        as_governance(
            "a file out of date",
            PAPER,
            "Paper for 2016/17 Q3",
            "The cover sheet has changed since this file was made",
            act=make_a_file_then_change_the_cover,
        ),
    ],
    "paper_cover": [
        as_governance("the form", PAPER + "cover/", "Cover sheet", "Save the cover sheet"),
        as_governance(
            "an impossible date",
            PAPER + "cover/",
            "Cover sheet and summary report",
            "The meeting date must be a real date",
            act=save_a_cover_with_a_bad_date,
            error=PROBLEM,
        ),
        as_governance(
            "someone else saved it first",
            PAPER + "cover/",
            "Cover sheet and summary report",
            "The saved version",
            act=save_a_cover_someone_else_saved_first,
            error="Your changes were not saved",
        ),
    ],
    "import": [
        as_governance("the form", IMPORT, "Import a table of actions", "Table of actions"),
        as_governance(
            "no file chosen",
            IMPORT,
            "Import a table of actions",
            "Choose a CSV, Excel or Word file to import",
            act=lambda page: submit(page, "Upload and preview"),
            error=PROBLEM,
        ),
        as_governance(
            "not a table",
            IMPORT,
            "Import a table of actions",
            "Table of actions",
            act=upload(b"Minutes of the SUSEG meeting\n", name="minutes.csv"),
            error=PROBLEM,
        ),
        as_governance(
            "a new theme without a name",
            IMPORT,
            "Import a table of actions",
            "Enter a name for the new theme",
            act=upload_into_a_new_theme_without_a_name,
            error=PROBLEM,
        ),
    ],
    "imports": [
        as_governance("none yet", IMPORTS, "Imports", "Nothing has been imported"),
        as_governance(
            "one that can be undone",
            IMPORTS,
            "Imports",
            "Undo this import",
            act=import_then_open_the_imports,
        ),
        as_governance(
            "an undo refused",
            IMPORTS,
            "Imports",
            "can no longer be undone",
            act=import_then_undo_after_the_period_closed,
            error="The import was not undone",
            status=200,
        ),
    ],
    "import_preview": [
        as_governance("ready", IMPORT, TRACKER, "Import 2 actions", act=upload(CSV)),
        as_governance(
            "a row that cannot be read",
            IMPORT,
            TRACKER,
            "Rows that cannot be read (1)",
            act=upload(BAD_DATE),
        ),
        as_governance(
            "two columns read as the lead",
            IMPORT,
            TRACKER,
            "Field for the column Notes",
            act=upload_then_read_two_columns_as_the_lead,
            error=PROBLEM,
        ),
        as_governance(
            "a new strategy without a name",
            IMPORT,
            TRACKER,
            "Enter a name for the new strategy",
            act=upload_then_choose_a_new_strategy_without_a_name,
            error=PROBLEM,
        ),
    ],
    "import_job": [
        as_governance(
            "a large file waiting for the worker",
            IMPORT,
            "Reading " + TRACKER,
            "Waiting for a worker to start.",
            act=upload_a_large_file(CSV),
        ),
        as_governance(
            "a large file the worker refused",
            IMPORT,
            "Reading " + TRACKER,
            "Upload the file again",
            act=upload_a_large_file_the_worker_refuses,
            error="Nothing was imported",
        ),
        as_governance(
            "an import whose worker stopped",
            IMPORT,
            "Importing " + TRACKER,
            "Back to the preview of",
            act=import_a_large_file_whose_worker_stops,
            error="Nothing was imported",
        ),
    ],
    "engagement_register": [
        as_governance(
            "the register", ENGAGEMENT + "register/", "Register of involvement", "Search by name"
        ),
    ],
    "engagement_participant_add": [
        as_governance(
            "no name given",
            ENGAGEMENT + "register/add/",
            "Add a person to the register",
            "Give the name.",
            act=lambda page: submit(page, "Add the person"),
            error=PROBLEM,
        ),
    ],
    "engagement_participant": [
        as_governance(
            "a person added",
            ENGAGEMENT + "register/add/",
            "Morag Pettigrew",
            "Change their details",
            act=add_a_person_to_the_register,
        ),
    ],
    "engagement_participant_erase": [
        as_governance(
            "asked to confirm",
            ENGAGEMENT + "register/add/",
            "Erase this person's details",
            "It cannot be undone",
            act=open_erase_for_a_person,
        ),
    ],
    "engagement_involvement": [
        as_governance(
            "an activity with no involvement yet",
            ENGAGEMENT + "register/",
            "Involvement and reward",
            "No involvement is recorded for this activity yet.",
            act=open_an_activitys_involvement,
        ),
    ],
    "engagement_rates": [
        as_governance("the rate card", ENGAGEMENT + "rates/", "Rate card", "Add a line"),
    ],
    "engagement_finance": [
        as_governance(
            "nothing recorded", ENGAGEMENT + "finance/", "Due and paid", "No involvement"
        ),
    ],
    "engagement_import": [
        as_governance(
            "a register with a bad row",
            "/strategies/sue/engagement/import/",
            "Import engagement activities",
            "Correct the rows listed",
            act=import_an_activity_register_with_a_bad_row,
            error="The file was not imported",
        ),
    ],
}

# The other URL names of planboard/web/urls.py, and why no page of theirs is checked.
NOT_PAGES = {
    "engagement_finance_export": "a file download (CSV or Excel) of the finance page's table",
    "revoke_api_token": (
        "POST only: revokes and redirects to the list of tokens, checked under my_api_tokens"
    ),
    "healthz": "a plain-text status for load balancers, not a page",
    "logout": "POST only: signs out and redirects to the sign-in page",
    "sign_in_provider": (
        "sends the browser to the single sign-on provider; its button on the sign-in page "
        "is checked by tests/browser/test_sign_in_with_a_provider.py"
    ),
    "sign_in_callback": (
        "where the provider sends the browser back: signs in and redirects, or redirects "
        "to sign_in_refused, checked here"
    ),
    "plan_csv": "a file download (CSV)",
    "plan_xlsx": "a file download (Excel)",
    "engagement_export": "a file download (the activity register as CSV or Excel)",
    "paper_files_status": "JSON for the paper page's script, not a page",
    "paper_chart": "an SVG image, shown on the paper page with its alt text and table",
    "paper_feedback_chart": "an SVG image, shown on the paper page with its alt text and table",
    "paper_download": "a file download (the paper as PDF, Word, Excel or HTML)",
    "import_confirm": (
        "POST only: imports and redirects to the plan; a refused import shows the preview "
        "page, checked under import_preview"
    ),
    "import_discard": "POST only: forgets the upload and redirects to the plan",
    "import_destination": (
        "POST only: changes where the rows go and redirects to the preview; a refused "
        "change shows the preview page, checked under import_preview"
    ),
    "import_undo": (
        "POST only: undoes an import and redirects to the imports; a refused undo shows "
        "the imports page, checked under imports"
    ),
    "send_email_again": "POST only: queues a failed e-mail again and redirects to the list",
    **{
        name: (
            "POST only: changes an item of feedback and redirects to its page; a refusal "
            "shows the item's page, checked under feedback_item"
        )
        for name in (
            "feedback_respond",
            "feedback_link",
            "feedback_unlink",
            "feedback_propose",
            "feedback_publish",
            "feedback_withdraw",
        )
    },
    **{
        name: (
            "POST only: links or unlinks an item and the action and redirects to the "
            "action's feedback, checked under action_feedback"
        )
        for name in ("action_feedback_link", "action_feedback_unlink")
    },
    "delete_rag_level": (
        "POST only: deletes a level and redirects to the scale; a refusal shows on the "
        "level's page, checked under edit_rag_level"
    ),
}

MODES = {"with scripts": True, "without scripts": False}

# The NHS.UK error pattern: a page with errors says so first in its title, and shows
# the message of each field in error beside it; every link of the error summary leads
# to something on the page.
ERROR_PATTERN = """() => {
  const problems = [];
  const summary = document.querySelector(".nhsuk-error-summary");
  if (summary && !document.title.startsWith("Error: ")) {
    problems.push(`the title "${document.title}" does not start with "Error: "`);
  }
  for (const link of summary ? summary.querySelectorAll("a") : []) {
    const id = decodeURIComponent(link.hash.slice(1));
    if (!id || !document.getElementById(id)) {
      problems.push(`the error summary links to "${link.hash}", which is not on the page`);
    }
  }
  for (const field of document.querySelectorAll(".nhsuk-form-group--error")) {
    if (!field.querySelector(".nhsuk-error-message")) {
      const named = field.querySelector("input, select, textarea");
      problems.push(`a field in error shows no message: ${named ? named.id : "?"}`);
    }
  }
  return problems;
}"""


# The first action row of a page on a phone: its RAG (the cell under the table's "RAG"
# column, or the whole row when the rows are not a table's), its tags and its links, and
# the page's first "Give update" link, each inside the viewport: not cut off, and not
# out of sight in a region that scrolls sideways.
ROW_ON_SCREEN = """selector => {
  const rows = [...document.querySelectorAll(selector)];
  if (!rows.length) return [`no row ${selector} on the page`];
  const row = rows[0];
  const checked = [];
  const table = row.closest("table");
  if (table && row.cells && table.tHead) {
    const heads = [...table.tHead.rows[0].cells].map(cell => cell.textContent.trim());
    const at = heads.findIndex(text => /\\bRAG\\b/.test(text));
    if (at < 0 || !row.cells[at]) return ["the first row's table has no RAG column"];
    checked.push(["its RAG", row.cells[at]]);
  } else {
    checked.push(["the row", row]);
  }
  for (const tag of row.querySelectorAll(".nhsuk-tag")) {
    checked.push([`its tag "${tag.textContent.trim()}"`, tag]);
  }
  for (const link of row.querySelectorAll("a")) {
    checked.push([`its link "${link.textContent.trim()}"`, link]);
  }
  const give = rows.flatMap(r => [...r.querySelectorAll("a")])
    .find(link => link.textContent.trim().startsWith("Give update"));
  if (give) checked.push([`the first "${give.textContent.trim()}"`, give]);
  const width = document.documentElement.clientWidth;
  return checked.flatMap(([name, element]) => {
    const box = element.getBoundingClientRect();
    const inside = box.width > 0 && box.left >= 0 && box.right <= width + 0.5;
    return inside ? [] : [
      `${name} is not inside the viewport: ${Math.round(box.left)} to ` +
      `${Math.round(box.right)}px of ${width}px`
    ];
  });
}"""


class OffScreen(Exception):
    """The first action row's RAG or links are outside the viewport on a phone."""


def session_cookie(username, live_server) -> dict:
    """A signed-in session for ``username``, as the sign-in form would start it."""
    from django.conf import settings

    def start():
        from django.contrib.auth import get_user_model
        from django.test import Client

        client = Client()
        user = get_user_model().objects.get(username=username)
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": in_a_thread(start),
        "url": live_server.url,
    }


def at_width(page, width, scripts):
    """Resize the page; with scripts, let resize observers (the scroll regions') run."""
    page.set_viewport_size({"width": width, "height": 800})
    if scripts:
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )


def scrolls_sideways(page, width, scripts) -> str | None:
    at_width(page, width, scripts)
    wide = page.evaluate("document.documentElement.scrollWidth")
    return f"scrolls sideways at {width}px: the page is {wide}px wide" if wide > width else None


def problems_of(page, state, refs, scripts, axe_narrowest=False) -> tuple[list[str], list[str]]:
    """What is wrong with the page, and what of its first action row is off screen;
    ``axe_narrowest`` runs axe at the narrowest width too."""
    problems, off_screen = [], []
    heading = state.heading.format(**refs)
    if not page.get_by_role("heading", level=1, name=heading).is_visible():
        problems.append(f"no h1 {heading!r}; its h1: {page.locator('h1').all_inner_texts()}")
    shows = state.shows.format(**refs)
    if not page.locator("main").get_by_text(shows).first.is_visible():
        problems.append(f"the page does not show {shows!r}")
    titles = page.locator(".nhsuk-error-summary__heading").all_inner_texts()
    if titles != ([state.error] if state.error else []):
        problems.append(f"error summary {titles}, not {state.error!r}")
    problems += page.evaluate(ERROR_PATTERN)
    if not scripts and "js-enabled" in (page.locator("body").get_attribute("class") or ""):
        problems.append("scripts ran")
    for width in NARROW:  # the same page, resized, ending at PHONE
        problems.append(scrolls_sideways(page, width, scripts))
        if scripts and axe_narrowest and width == NARROW[0]:
            problems += [f"at {width}px: {v}" for v in axe_violations(page)]
    if state.row:
        off_screen += [f"at {PHONE}px: {p}" for p in page.evaluate(ROW_ON_SCREEN, state.row)]
    if scripts:
        problems += [f"at {PHONE}px: {v}" for v in axe_violations(page)]
        at_width(page, DESKTOP, scripts)
        problems += [f"at {DESKTOP}px: {v}" for v in axe_violations(page)]
    return [problem for problem in problems if problem], off_screen


# Pages axe checks at 320 pixels as well as at PHONE and DESKTOP: the engagement pages,
# whose wide grids and tables are the likeliest to fail on the narrowest screen.
AXE_AT_THE_NARROWEST = {name for name in PAGES if name.startswith("engagement_")}


def page_names() -> list:
    return sorted(PAGES)


@pytest.mark.browser
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", page_names())
def test_the_page_is_accessible_narrow_and_without_scripts(
    name, mode, full_cycle, browser, live_server
):
    scripts = MODES[mode]
    pages = {}
    found, off_screen = [], []

    def against_the_policy(message):
        if "Content Security Policy" in message.text:
            found.append(message.text)

    for state in PAGES[name]:
        if state.user not in pages:
            pages[state.user] = open_page(browser, live_server, java_script_enabled=scripts)
            if state.user:
                pages[state.user].context.add_cookies([session_cookie(state.user, live_server)])
            pages[state.user].on("console", against_the_policy)
        page = pages[state.user]
        at_width(page, NARROW[0], scripts)
        path = state.path.format(**full_cycle)
        status = page.goto(path).status
        if status != state.status:
            found.append(f"{state.name}: {path} answered {status}")
            continue
        if state.act:
            state.act(page)
        problems, off = problems_of(
            page, state, full_cycle, scripts, axe_narrowest=name in AXE_AT_THE_NARROWEST
        )
        found.extend(f"{state.name}: {problem}" for problem in problems)
        off_screen.extend(f"{state.name}: {problem}" for problem in off)
    assert not found, "\n".join(found)
    if off_screen:
        raise OffScreen("\n".join(off_screen))


def test_every_named_page_is_checked_or_left_out_for_a_reason():
    from django.urls import URLResolver, get_resolver

    def names(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from names(pattern.url_patterns, inner)
            elif pattern.name:
                yield namespace + pattern.name

    named = set(names(get_resolver("planboard.web.urls").url_patterns))
    named.add("api:docs")  # the API's one page, a description of it for people
    assert named - PAGES.keys() - NOT_PAGES.keys() == set(), "neither checked nor left out"
    assert (PAGES.keys() | NOT_PAGES.keys()) - named == set(), "no URL has these names"
    assert PAGES.keys() & NOT_PAGES.keys() == set(), "both checked and left out"
