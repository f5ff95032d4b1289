"""A walk through every page that changes something, every command and every admin of
plan data, watching each write statement: plan data changes only inside a service that
asked a permission rule first (``planboard.lib.services``, ``tests.writes``).

Each step must write something (so the watch is not looking at nothing) and nothing
outside a service. The meta tests keep the walk complete: a URL, a command or an admin
added without a step here (or a stated reason to leave it out) fails them.
"""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command, get_commands
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_tasks_db.management.commands import db_worker

from planboard import papers
from planboard.api.models import ApiToken
from planboard.engagement.models import Activity
from planboard.engagement.services import save_activity
from planboard.imports.models import ConfirmedImport, PendingImport
from planboard.notifications.models import Notification
from planboard.papers.models import CoverSheet, GeneratedPaper, PaperTemplate
from planboard.people.models import Person, Role
from planboard.plans.models import Action, Area, Commitment, Strategy
from planboard.progress.models import ReminderRun, ReportingPeriod, Update, UpdateStatus
from planboard.progress.services import create_period
from planboard.public.models import CommitmentPublication, InformationRequest, ThemePublication
from planboard.web.management.commands import scheduler
from tests.feedback.care_opinion_server import CareOpinionServer, opinion
from tests.oidc.server import oidc_provider, single_sign_on, through_the_provider  # noqa: F401
from tests.ops.served import free_port
from tests.web.pages import form_data
from tests.writes import GUARDED_APPS, describe, watching_writes

pytestmark = pytest.mark.django_db

BOARD_PAPER_TEMPLATE = Path(papers.__file__).parent / "docx" / "board-paper.docx"
CARE_OPINION_RESPONSE = {"id": 9, "dateOfPublication": "2026-01-12", "body": "Thank you."}
CSV = (
    b"Area,Action,Lead,Due,RAG\n"
    b"Training,Run a listening event in each directorate.,EM,Mar 2017,Green\n"
)

# Every URL name and what the walk does there. A page that only reads is also sent a
# POST, which it must refuse (405) without writing.
POSTED = {
    "login",
    "logout",
    "sign_in_callback",
    "update_action",
    "review",
    "open_period",
    "close_period",
    "paper_cover",
    "paper_generate",
    "paper_generate_all",
    "import",
    "import_preview",
    "import_confirm",
    "import_discard",
    "import_destination",
    "import_undo",
    "publish_strategy",
    "publish_theme",
    "publish_action",
    "publish_theme_wording",
    "publish_commitment",
    "publish_engagement_introduction",
    "publish_engagement_outcome",
    "withdraw_engagement_outcome",
    "public_other_formats",
    "answer_request",
    "reminder_schedule",
    "send_reminders",
    "my_emails",
    "send_email_again",
    "my_api_tokens",
    "revoke_api_token",
    "add_theme",
    "edit_theme",
    "add_commitment",
    "edit_commitment",
    "add_area",
    "edit_area",
    "add_action",
    "edit_action",
    "retire_action",
    "restore_action",
    "add_role",
    "edit_role",
    "merge_role",
    "add_person",
    "edit_person",
    "split_person",
    "add_rag_level",
    "edit_rag_level",
    "delete_rag_level",
    "action_leads",
    "api:action_update",
    "api:accept_update",
    "api:return_update",
    "record_feedback",
    "feedback_respond",
    "feedback_link",
    "feedback_unlink",
    "feedback_propose",
    "feedback_publish",
    "feedback_withdraw",
    "action_feedback_link",
    "action_feedback_unlink",
    "feedback_import",
    "engagement_participant_add",
    "engagement_participant",
    "engagement_participant_erase",
    "engagement_involvement",
    "engagement_rates",
    "engagement_finance",
    "engagement_import",
    "engagement_activity_add",
    "engagement_activity_edit",
    "engagement_participation",
    "engagement_outcome",
}
READ_ONLY = {
    "healthz",
    "api:openapi",
    "api:docs",
    "api:strategies",
    "api:strategy",
    "api:themes",
    "api:commitments",
    "api:actions",
    "api:action",
    "api:periods",
    "api:period",
    "api:findings",
    "api:papers",
    "api:paper_file",
    "sign_in_provider",
    "sign_in_refused",
    "api:period_updates",
    "home",
    "plan",
    "plan_csv",
    "plan_xlsx",
    "action",
    "commitments",
    "people",
    "rag_scale",
    "findings",
    "feedback",
    "feedback_item",
    "action_feedback",
    "feedback_moderation",
    "engagement_map",
    "my_actions",
    "failed_emails",
    "api_token_made",
    "periods",
    "period",
    "papers",
    "paper",
    "paper_files_status",
    "paper_chart",
    "paper_feedback_chart",
    "paper_download",
    "import_job",
    "imports",
    "publishing",
    "public_requests",
    "public_index",
    "public_accessibility",
    "public_strategy",
    "public_json",
    "public_csv",
    "public_you_said_we_did",
    "public_you_said_we_did_json",
    "public_you_said_we_did_csv",
    "public_other_formats_sent",
    "publish_engagement",
    "public_engagement",
    "public_engagement_json",
    "public_engagement_csv",
    "engagement_register",
    "engagement_finance_export",
    "engagement_export",
    "engagement_activities",
    "engagement_activity",
    "engagement_not_fed_back",
}
# Commands that change plan data, that only read it, and that are left out, with why.
WRITING_COMMANDS = {
    "api_token",
    "demo",
    "import_fft",
    "import_feedback",
    "import_paper",
    "import_table",
    "import_json",
    "import_engagement",
    "period",
    "remind",
    "scheduler",
    "sync_care_opinion",
    "synthetic_plan",
    "worker",
}
READING_COMMANDS = {"check", "export", "report", "ensure_groups"}
LEFT_OUT_COMMANDS = {
    "serve": "starts gunicorn, which serves the pages walked here",
    "backup": "copies the database as a whole and writes no records (tests/ops/test_backup.py)",
    "restore": "replaces the whole database from a backup file, below the level of records",
}


def _url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def _planboard_commands() -> set[str]:
    return {name for name, app in get_commands().items() if app.startswith("planboard.")}


def test_every_url_is_walked_or_refuses_a_post():
    assert _url_names() == POSTED | READ_ONLY
    assert not POSTED & READ_ONLY


def test_every_command_is_walked_or_left_out_for_a_reason():
    assert _planboard_commands() == WRITING_COMMANDS | READING_COMMANDS | set(LEFT_OUT_COMMANDS)


class Walk:
    """Steps that must each write plan data, all of it through services."""

    def __init__(self, watch):
        self.watch = watch
        self.walked = []

    def step(self, name, do, *, writes=True):
        before = len(self.watch.writes)
        result = do()
        seen = self.watch.writes[before:]
        broken = [write for write in seen if not write.allowed]
        assert not broken, f"{name}: {describe(broken)}"
        if writes:
            assert seen, f"{name} wrote no plan data, so the walk did not test it"
        else:
            assert not seen, f"{name} should only read, but wrote {seen[0].table}"
        self.walked.append(name)
        return result


def command(*args, **options) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def signed_in(username) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def post_form(client, url, **changes):
    """Post the form of ``url`` as a browser would, with ``changes``."""
    data = form_data(client.get(url).text)
    data.update(changes)
    return client.post(url, data)


@pytest.fixture
def walk():
    with watching_writes() as watch:
        walk = Walk(watch)
        walk.step("command demo", lambda: command("demo"))
        yield walk


def test_the_quarterly_cycle_and_papers_write_through_services(walk, settings, monkeypatch):
    gov, lead = signed_in("governance"), signed_in("lead")
    mia = Person.objects.get(user__username="lead")
    updated = set(Update.objects.values_list("action_id", flat=True))
    mine = Action.objects.filter(leads__people=mia).exclude(pk__in=updated).first()
    update_url = reverse("update_action", kwargs={"slug": "sue", "ref": mine.ref})
    amber = str(mine.theme.strategy.rag_levels.get(label="Amber").pk)
    response = walk.step(
        "update_action",
        lambda: post_form(lead, update_url, narrative="The events are booked.", rag=amber),
    )
    assert response.status_code == 302, response.status_code

    waiting = Update.objects.get(status=UpdateStatus.SUBMITTED, action__theme__number=2)
    review = reverse("review", kwargs={"slug": "sue", "period": "2016-17-q4"})
    decision = {"update": waiting.pk, "version": waiting.version, "decision": "accept"}
    assert walk.step("review", lambda: gov.post(review, decision)).status_code == 302
    _give_and_review_through_the_api(walk, mine)

    schedule = reverse("reminder_schedule", kwargs={"slug": "sue"})
    response = walk.step(
        "reminder_schedule", lambda: post_form(gov, schedule, days_before="14, 7, 1")
    )
    assert response.status_code == 302, response.status_code
    send = reverse("send_reminders", kwargs={"slug": "sue", "period": "2016-17-q4"})
    assert walk.step("send_reminders", lambda: gov.post(send)).status_code == 302
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    walk.step(
        "command worker (reminders)",
        lambda: command("worker", batch=True, startup_delay=False, verbosity=0),
    )
    assert ReminderRun.objects.get().status == "done"

    close = reverse("close_period", kwargs={"slug": "sue", "period": "2016-17-q4"})
    left = Update.objects.filter(period__strategy__slug="sue", period__label="2016/17 Q4")
    confirmed = {"confirm_not_accepted": left.exclude(status=UpdateStatus.ACCEPTED).count()}
    assert walk.step("close_period", lambda: gov.post(close, confirmed)).status_code == 302
    opening = reverse("open_period", kwargs={"slug": "sue"})
    data = {
        "label": "2017/18 Q1",
        "updates_due-day": "30",
        "updates_due-month": "6",
        "updates_due-year": "2017",
    }
    assert walk.step("open_period", lambda: gov.post(opening, data)).status_code == 302

    cover = reverse("paper_cover", kwargs={"slug": "sue", "period": "2016-17-q4"})
    response = walk.step("paper_cover", lambda: post_form(gov, cover, outcome="Noted."))
    assert response.status_code == 302
    generate = reverse("paper_generate", kwargs={"slug": "sue", "period": "2016-17-q4"})
    response = walk.step("paper_generate", lambda: gov.post(generate, {"format": "html"}))
    assert response.status_code == 302 and GeneratedPaper.objects.exists()

    # A file asked for on the queue, made by the worker (in this process, on this test's
    # connection, which the worker would otherwise close between tasks).
    settings.PAPERS_IN_BACKGROUND = True
    walk.step("paper_generate queued", lambda: gov.post(generate, {"format": "xlsx"}))
    every = reverse("paper_generate_all", kwargs={"slug": "sue", "period": "2016-17-q4"})
    assert walk.step("paper_generate_all", lambda: gov.post(every)).status_code == 302
    # The e-mails the steps above queued find no mail server, and fail at once.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.NOTIFICATION_ATTEMPTS = 1
    walk.step(
        "command worker",
        lambda: command("worker", batch=True, startup_delay=False, verbosity=0),
    )
    assert GeneratedPaper.objects.get(format="xlsx").status == "done"
    assert {p.status for p in GeneratedPaper.objects.all()} == {"done"}
    assert sorted(GeneratedPaper.objects.values_list("format", flat=True)) == sorted(
        ["html", "html", "xlsx", "pdf", "docx"]
    )
    failed = Notification.objects.filter(status="failed").first()
    again = reverse("send_email_again", kwargs={"pk": failed.pk})
    assert walk.step("send_email_again", lambda: gov.post(again)).status_code == 302
    response = walk.step(
        "my_emails", lambda: post_form(lead, reverse("my_emails"), receive="paper_ready")
    )
    assert response.status_code == 302, response.status_code
    tokens_page = reverse("my_api_tokens")
    response = walk.step(
        "my_api_tokens",
        lambda: post_form(lead, tokens_page, name="Intranet", scope="read", expires="90"),
    )
    assert response.status_code == 302, response.status_code
    walk.step("api_token_made", lambda: lead.get(response.url), writes=False)
    made = ApiToken.objects.get(user__username="lead", name="Intranet")
    revoke = reverse("revoke_api_token", kwargs={"pk": made.pk})
    assert walk.step("revoke_api_token", lambda: lead.post(revoke)).status_code == 302


def _give_and_review_through_the_api(walk, updated):
    """A lead gives an update with a token, the governance team returns it, the lead
    gives it again and the governance team accepts it."""
    from planboard.api.tokens import create_token
    from planboard.people.permissions import COMMAND_LINE

    def bearer(username):
        owner = get_user_model().objects.get(username=username)
        _, secret = create_token(COMMAND_LINE, owner=owner, name="Walk", scope="write")
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    lead, gov = bearer("lead"), bearer("governance")
    mia = Person.objects.get(user__username="lead")
    action = Action.objects.filter(leads__people=mia, updates__isnull=True).exclude(pk=updated.pk)
    ref = action.first().ref
    url = reverse("api:action_update", kwargs={"slug": "sue", "ref": ref})
    kwargs = {"slug": "sue", "period": "2016-17-q4", "ref": ref}
    body = {"narrative": "The events are booked.", "proposed_rating": "Amber"}

    def send(client, url, data, method="post"):
        response = getattr(client, method)(url, data, content_type="application/json")
        assert response.status_code == 200, (url, response.json())
        return response.json()["version"]

    version = walk.step("api:action_update", lambda: send(lead, url, body, "put"))
    back = {"version": version, "comment": "Say which events."}
    version = walk.step(
        "api:return_update", lambda: send(gov, reverse("api:return_update", kwargs=kwargs), back)
    )
    again = body | {"version": version, "narrative": "Three events are booked."}
    version = walk.step("api:action_update again", lambda: send(lead, url, again, "put"))
    accepting = reverse("api:accept_update", kwargs=kwargs)
    walk.step("api:accept_update", lambda: send(gov, accepting, {"version": version}))


def test_imports_and_the_public_page_write_through_services(walk):
    gov = signed_in("governance")
    upload = reverse("import", kwargs={"slug": "sue"})

    def send_file(name):
        return gov.post(upload, {"file": io_file(name), "sheet": ""})

    response = walk.step("import", lambda: send_file("tracker.csv"))
    preview = response.url
    mapping = form_data(gov.get(preview).text)
    assert walk.step("import_preview", lambda: gov.post(preview, mapping)).status_code == 302
    assert walk.step("import_confirm", lambda: gov.post(preview + "confirm/")).status_code == 302
    second = walk.step("import (again)", lambda: send_file("other.csv")).url
    into = {"into": "new-theme", "theme_name": "Carers"}
    assert walk.step("import_destination", lambda: gov.post(second + "destination/", into))
    assert walk.step("import_discard", lambda: gov.post(second + "discard/")).status_code == 302
    assert not PendingImport.objects.exists()
    confirmed = ConfirmedImport.objects.get()
    undo = reverse("import_undo", kwargs={"slug": "sue", "pk": confirmed.pk})
    assert walk.step("import_undo", lambda: gov.post(undo)).status_code == 302
    assert ConfirmedImport.objects.get().undone_at is not None

    for name, kwargs in (
        ("publish_strategy", {}),
        ("publish_theme", {"number": 2}),
        ("publish_action", {"ref": "2.1"}),
    ):
        url = reverse(name, kwargs={"slug": "sue", **kwargs})
        response = walk.step(name, lambda url=url: post_form(gov, url, summary="In plain words."))
        assert response.status_code == 302, (name, response.status_code)

    # Words the public page keeps until governance publishes the plan's new ones.
    theme = Strategy.objects.get(slug="sue").themes.get(number=2)
    ThemePublication.objects.filter(theme=theme).update(published_title="As first published")
    commitment = Commitment.objects.create(theme=theme, number=90, text="A new commitment.")
    CommitmentPublication.objects.create(commitment=commitment, listed=False)
    for name, kwargs in (
        ("publish_theme_wording", {"number": 2}),
        ("publish_commitment", {"pk": commitment.pk}),
    ):
        url = reverse(name, kwargs={"slug": "sue", **kwargs})
        assert walk.step(name, lambda url=url: gov.post(url)).status_code == 302, name

    asked = reverse("public_other_formats", kwargs={"slug": "sue"})
    details = {"format": "large_print", "name": "Sam", "contact": "sam@example.org"}
    assert (
        walk.step("public_other_formats", lambda: Client().post(asked, details)).status_code == 302
    )
    request = InformationRequest.objects.get()
    answer = reverse("answer_request", kwargs={"slug": "sue", "pk": request.pk})
    assert walk.step("answer_request", lambda: gov.post(answer)).status_code == 302

    # The public summary of engagement: its introduction, and what an activity changed.
    intro = reverse("publish_engagement_introduction", kwargs={"slug": "sue"})
    response = walk.step(
        "publish_engagement_introduction",
        lambda: post_form(gov, intro, summary="We ask people to help us.", published="on"),
    )
    assert response.status_code == 302, response.status_code
    sue = Strategy.objects.get(slug="sue")
    forum = Activity(strategy=sue, title="A forum", starts_on=datetime.date(2017, 1, 9))
    activity = save_activity(forum, user=None)
    outcome = reverse("publish_engagement_outcome", kwargs={"slug": "sue", "pk": activity.pk})
    response = walk.step(
        "publish_engagement_outcome",
        lambda: post_form(gov, outcome, public_outcome="We changed the times.", publish="1"),
    )
    assert response.status_code == 302, response.status_code
    withdraw = reverse("withdraw_engagement_outcome", kwargs={"slug": "sue", "pk": activity.pk})
    assert walk.step("withdraw_engagement_outcome", lambda: gov.post(withdraw)).status_code == 302

    def sign_in_and_out():
        client = Client()
        client.force_login(get_user_model().objects.get(username="board"))
        client.post(reverse("logout"))
        return Client().post(reverse("login"), {"username": "board", "password": "wrong"})

    walk.step("login and logout", sign_in_and_out, writes=False)


@pytest.mark.usefixtures("single_sign_on")
def test_single_sign_on_writes_through_services(walk):
    Person.objects.filter(name="Mia Bajin").update(email="mia.bajin@nhs.net")
    client = Client()
    back = through_the_provider(client, "mia")
    answer = walk.step("sign_in_callback", lambda: client.get(back))
    assert answer.status_code == 302 and answer["Location"] == reverse("home")
    assert Person.objects.filter(name="Mia Bajin", user__sign_in_identities__isnull=False)


def test_a_large_import_on_the_queue_writes_through_services(walk, settings, monkeypatch):
    from django_tasks_db.management.commands import db_worker

    settings.IMPORTS_IN_BACKGROUND = True
    settings.IMPORT_IN_BACKGROUND_OVER_KB = 0
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    gov = signed_in("governance")
    upload = reverse("import", kwargs={"slug": "sue"})
    reading = walk.step("import (queued)", lambda: gov.post(upload, {"file": io_file("t.csv")}))
    worker = lambda: command("worker", batch=True, startup_delay=False, verbosity=0)  # noqa: E731
    walk.step("command worker (reading)", worker)
    preview = walk.step("import_job", lambda: gov.get(reading.url), writes=False).url
    writing = walk.step("import_confirm (queued)", lambda: gov.post(preview + "confirm/"))
    walk.step("command worker (writing)", worker)
    assert gov.get(writing.url).url == "/strategies/sue/"
    assert Action.objects.filter(text="Run a listening event in each directorate.").exists()


def test_changes_to_the_plan_on_its_pages_write_through_services(walk):
    gov = signed_in("governance")
    area = Area.objects.filter(strategy__slug="sue").first()
    steps = [
        ("add_theme", {}, {"title": "A new theme"}),
        ("edit_theme", {"number": 1}, {"title": "A renamed theme"}),
        ("add_commitment", {"number": 1}, {"text": "We will listen."}),
        ("edit_commitment", {"ref": "1.1"}, {"text": "We will listen well."}),
        ("add_area", {}, {"name": "A new area"}),
        ("edit_area", {"pk": area.pk}, {"name": "A renamed area"}),
        ("add_action", {}, {"text": "A new action.", "theme": "", "number": ""}),
        ("edit_action", {"ref": "1.1"}, {"text": "A reworded action."}),
        ("retire_action", {"ref": "1.2"}, {"reason": "Done elsewhere."}),
        ("restore_action", {"ref": "1.2"}, {}),
    ]
    first_theme = str(Strategy.objects.get(slug="sue").themes.get(number=1).pk)
    for name, kwargs, changes in steps:
        if "theme" in changes:
            changes["theme"] = first_theme
        url = reverse(name, kwargs={"slug": "sue", **kwargs})
        response = walk.step(name, lambda url=url, changes=changes: post_form(gov, url, **changes))
        assert response.status_code == 302, (name, response.status_code)
    assert Action.objects.get(text="A new action.").ref.startswith("1.")


def test_the_key_and_the_rag_scale_write_through_services(walk):
    gov = signed_in("governance")
    sue = Strategy.objects.get(slug="sue")

    def at(name, **kwargs):
        return reverse(name, kwargs={"slug": "sue", **kwargs})

    for name, url, changes in [
        ("add_role", at("add_role"), {"title": "Finance Director", "abbreviation": "FD"}),
        ("add_person", at("add_person"), {"name": "Sam Smith"}),
    ]:
        response = walk.step(name, lambda url=url, c=changes: post_form(gov, url, **c))
        assert response.status_code == 302, (name, response.status_code)
    finance = Role.objects.get(strategy=sue, title="Finance Director")
    sam = Person.objects.get(strategy=sue, name="Sam Smith")
    kept = Role.objects.filter(strategy=sue, in_key=True).exclude(pk=finance.pk).first()
    for name, url, changes in [
        ("edit_role", at("edit_role", pk=finance.pk), {"abbreviation": "FinD"}),
        ("edit_person", at("edit_person", pk=sam.pk), {"email": "sam@trust.example"}),
        ("split_person", at("split_person", pk=sam.pk), {"first_name": "Sam", "second_name": "Al"}),
        ("merge_role", at("merge_role", pk=finance.pk), {"kept": str(kept.pk)}),
        ("add_rag_level", at("add_rag_level"), {"label": "Blue", "colour": "blue"}),
        ("action_leads", at("action_leads", ref="1.1"), {"leads": str(kept.pk)}),
    ]:
        response = walk.step(name, lambda url=url, c=changes: post_form(gov, url, **c))
        assert response.status_code == 302, (name, response.status_code)
    blue = sue.rag_levels.get(label="Blue")
    edit = at("edit_rag_level", pk=blue.pk)
    response = walk.step("edit_rag_level", lambda: post_form(gov, edit, aliases="Done"))
    assert response.status_code == 302, response.status_code
    delete = at("delete_rag_level", pk=blue.pk)
    response = walk.step("delete_rag_level", lambda: gov.post(delete, {"version": "2"}))
    assert response.url == at("rag_scale") and not sue.rag_levels.filter(label="Blue").exists()


def io_file(name):
    return SimpleUploadedFile(name, CSV, content_type="text/csv")


def test_a_read_only_page_refuses_a_post_and_writes_nothing(walk):
    gov = signed_in("governance")
    job_period = ReportingPeriod.objects.get(label="2016/17 Q3")
    kwargs = {
        "slug": "sue",
        "ref": "1.1",
        "period": "2016-17-q3",
        "pk": 1,
        "format": "csv",
    }
    for name in sorted(READ_ONLY):
        namespace, _, short = name.rpartition(":")
        resolver = get_resolver().namespace_dict[namespace][1] if namespace else get_resolver()
        pattern = resolver.reverse_dict.getlist(short)[0][0][0][1]
        url = reverse(name, kwargs={key: kwargs[key] for key in pattern})
        response = walk.step(f"POST {name}", lambda url=url: gov.post(url), writes=False)
        refused = (405, 403, 401) if namespace == "api" else (405, 403)
        assert response.status_code in refused, (name, response.status_code)
    assert job_period.is_closed


def test_the_commands_write_through_services(walk, tmp_path, settings, monkeypatch):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    tracker = tmp_path / "tracker.csv"
    tracker.write_bytes(CSV)
    walk.step("command import_table", lambda: command("import_table", tracker, strategy="new"))
    paper = tmp_path / "paper.txt"
    paper.write_text(_seed_text(), encoding="utf-8")
    walk.step("command import_paper", lambda: command("import_paper", paper, slug="copy"))
    exported = tmp_path / "new.json"
    walk.step(
        "command export",
        lambda: command("export", strategy="new", output=str(exported)),
        writes=False,
    )
    data = json.loads(exported.read_text())
    data["strategy"]["slug"] = "moved"
    exported.write_text(json.dumps(data))
    walk.step("command import_json", lambda: command("import_json", str(exported)))
    walk.step(
        "command period close",
        lambda: command(
            "period", "close", strategy="sue", label="2016/17 Q4", confirm_not_accepted=True
        ),
    )
    walk.step(
        "command period open", lambda: command("period", "open", strategy="sue", label="2017/18 Q1")
    )
    walk.step("command remind", lambda: command("remind", strategy="sue"))
    # The scheduler closes its connection after each turn; here it is the test's.
    monkeypatch.setattr(scheduler, "close_old_connections", lambda: None)
    walk.step("command scheduler", lambda: command("scheduler", once=True))
    care_opinion = CareOpinionServer(
        [opinion(4001, submitted="2026-01-10T10:00:00Z", responses=[CARE_OPINION_RESPONSE])]
    ).start()
    try:
        settings.CARE_OPINION_API_URL = care_opinion.url
        settings.CARE_OPINION_API_KEY = care_opinion.key
        walk.step(
            "command sync_care_opinion",
            lambda: command("sync_care_opinion", strategy="sue", since="2026-01-01"),
        )
    finally:
        care_opinion.stop()
    fft = tmp_path / "fft.csv"
    fft.write_text("Org code,Month,Very Good,Good,Poor\nRXA01,Aug-25,5,6,*\n")
    walk.step("command import_fft", lambda: command("import_fft", str(fft), strategy="sue"))
    comments = tmp_path / "comments.csv"
    comments.write_text("Comment ID,Date,Comment\nC1,01/08/2025,The staff were kind.\n")
    walk.step(
        "command import_feedback",
        lambda: command("import_feedback", str(comments), strategy="sue"),
    )
    register = tmp_path / "register.csv"
    register.write_text("Activity,Date,Level\nOpen day,01/02/2017,Consultation\n")
    walk.step(
        "command import_engagement",
        lambda: command("import_engagement", str(register), strategy="sue"),
    )
    walk.step(
        "command synthetic_plan",
        lambda: command("synthetic_plan", slug="large", actions=12, themes=2),
    )
    walk.step("command check", lambda: command("check", strategy="sue"), writes=False)
    walk.step(
        "command report",
        lambda: command("report", strategy="sue", format="html", output=str(tmp_path / "p.html")),
        writes=False,
    )
    walk.step("command ensure_groups", lambda: command("ensure_groups"), writes=False)
    walk.step("command demo (again)", lambda: command("demo"), writes=False)
    secret = walk.step(
        "command api_token create",
        lambda: command("api_token", "create", user="lead", scope="read").splitlines()[-1],
    )
    walk.step(
        "command api_token list", lambda: command("api_token", "list", user="lead"), writes=False
    )
    walk.step(
        "command api_token revoke",
        lambda: command("api_token", "revoke", secret[:11], user="lead"),
    )


def _seed_text():
    from tests.conftest import SEED_PAPER

    return SEED_PAPER.read_text(encoding="utf-8")


def test_the_watch_fails_a_view_that_writes_a_model_itself(
    walk, monkeypatch, writes_go_through_services
):
    """The rule can fail: the request-answering view, given a stand-in that writes the
    request itself as the view once did, is caught."""
    from django.utils import timezone

    from planboard.public import requests

    def answer_in_the_view(request, *, user):
        InformationRequest.objects.filter(pk=request.pk).update(answered_at=timezone.now())
        return True

    monkeypatch.setattr(requests, "answer_request", answer_in_the_view)
    found = requests.send_request(
        Strategy.objects.get(slug="sue"), format="braille", name="Sam", contact="sam@example.org"
    )
    url = reverse("answer_request", kwargs={"slug": "sue", "pk": found.pk})
    before = len(walk.watch.writes)

    signed_in("governance").post(url)

    (write,) = walk.watch.writes[before:]
    assert write.table == "public_informationrequest" and write.service is None
    assert writes_go_through_services.broken == [write]
    # Caught: neither watch need fail the test now.
    walk.watch.writes[before:] = []
    writes_go_through_services.writes.remove(write)


def _admins():
    """Every admin of a model of the apps that hold plan data."""
    return sorted(
        (
            (model, model_admin)
            for model, model_admin in admin.site._registry.items()
            if model._meta.app_label in GUARDED_APPS
        ),
        key=lambda pair: pair[0]._meta.label,
    )


def _admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _record_feedback(watch):
    """A service, a source code, a feedback item with a response and its "you said, we
    did", recorded through the feedback services and watched as a command's writes are."""
    from planboard.feedback import loop, publishing, services
    from planboard.feedback.models import Service, ServiceCode

    strategy = Strategy.objects.get(slug="sue")
    watch.entered()
    ward = services.save_feedback_service(Service(strategy=strategy, name="Ward"), user=None)
    services.save_source_code(ServiceCode(strategy=strategy, code="W1", service=ward), user=None)
    item = services.record_item(
        strategy, user=None, source="survey", source_id="1", text="Said.", services=[ward]
    ).item
    loop.record_response(item, user=None, responded_at=item.received_at, text="Answered.")
    publishing.publish(item, user=None, you_said="Said, briefly.", we_did="Did.")
    watch.left()


def test_the_feedback_pages_write_through_services(walk):
    gov = signed_in("governance")
    record = reverse("record_feedback", kwargs={"slug": "sue"})
    said = {"source": "survey", "text": "The letters came late.", "tags": "-letters"}
    response = walk.step("record_feedback", lambda: gov.post(record, said))
    assert response.status_code == 302, response.status_code
    item = Strategy.objects.get(slug="sue").feedback_items.get(text="The letters came late.")
    action = Action.objects.filter(theme__strategy__slug="sue").first()

    def at(name):
        return reverse(name, kwargs={"slug": "sue", "pk": item.pk})

    when = {"responded_on-day": "4", "responded_on-month": "1", "responded_on-year": "2017"}
    for name, data in [
        ("feedback_respond", {**when, "text": "Sorry.", "change": "planned"}),
        ("feedback_link", {"actions": str(action.pk)}),
        ("feedback_unlink", {"actions": str(action.pk)}),
        ("feedback_propose", {"you_said": "Letters came late.", "we_did": "Sent sooner."}),
        ("feedback_publish", {"you_said": "Letters were late.", "we_did": "Sent sooner."}),
        ("feedback_withdraw", {}),
    ]:
        response = walk.step(name, lambda name=name, data=data: gov.post(at(name), data))
        assert response.status_code == 302, (name, response.status_code)
    for name in ("action_feedback_link", "action_feedback_unlink"):
        address = reverse(name, kwargs={"slug": "sue", "ref": action.ref, "pk": item.pk})
        response = walk.step(name, lambda address=address: gov.post(address))
        assert response.status_code == 302, (name, response.status_code)
    upload = SimpleUploadedFile("fft.csv", b"Org code,Month,Very Good,Good\nRXA01,Aug-25,5,6\n")
    response = walk.step(
        "feedback_import",
        lambda: gov.post(
            reverse("feedback_import", kwargs={"slug": "sue"}), {"kind": "fft", "file": upload}
        ),
    )
    assert response.status_code == 302, response.status_code
    upload = SimpleUploadedFile("register.csv", b"Activity,Date\nWalk,01/02/2017\n")
    response = walk.step(
        "engagement_import",
        lambda: gov.post(reverse("engagement_import", kwargs={"slug": "sue"}), {"file": upload}),
    )
    assert response.status_code == 302, response.status_code


def test_the_engagement_activity_pages_write_through_services(walk):
    gov = signed_in("governance")
    add = reverse("engagement_activity_add", kwargs={"slug": "sue"})
    typed = {
        "title": "Listening event",
        "kind": "event",
        "level": "consult",
        "recurrence": "once",
        "starts_on-day": "4",
        "starts_on-month": "1",
        "starts_on-year": "2017",
    }
    response = walk.step("engagement_activity_add", lambda: gov.post(add, typed))
    assert response.status_code == 302, response.status_code
    activity = Strategy.objects.get(slug="sue").engagement_activities.get(title="Listening event")

    def at(name):
        return reverse(name, kwargs={"slug": "sue", "pk": activity.pk})

    fed_back = {"fed_back_on-day": "9", "fed_back_on-month": "2", "fed_back_on-year": "2017"}
    for name, data in [
        ("engagement_activity_edit", {**typed, "title": "Listening events", "version": "1"}),
        ("engagement_participation", {"carer": "3", "rows": "1"}),
        ("engagement_outcome", {**fed_back, "outcome": "Letters changed.", "version": "2"}),
    ]:
        response = walk.step(name, lambda name=name, data=data: gov.post(at(name), data))
        assert response.status_code == 302, (name, response.status_code)


def test_every_admin_saves_through_services_or_refuses(walk, settings):
    """As the governance team: each admin's change form sent back as it is either saves
    through a service or is refused, the admin being read-only."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    walk.step("record feedback", lambda: _record_feedback(walk.watch))
    walk.step("command remind", lambda: command("remind", strategy="sue"))
    gov = signed_in("governance")
    template = BOARD_PAPER_TEMPLATE.read_bytes()
    added = walk.step(
        "admin add PaperTemplate",
        lambda: post_form(
            gov,
            _admin_url(PaperTemplate, "add"),
            name="Our board paper",
            upload=SimpleUploadedFile("ours.docx", template),
        ),
    )
    assert added.status_code == 302, added.status_code
    walk.step(
        "send a request",
        lambda: Client().post(
            reverse("public_other_formats", kwargs={"slug": "sue"}),
            {"format": "audio", "name": "Sam", "contact": "sam@example.org"},
        ),
    )
    walk.step(
        "make a paper file",
        lambda: gov.post(
            reverse("paper_generate", kwargs={"slug": "sue", "period": "2016-17-q3"}),
            {"format": "html"},
        ),
    )
    for model, model_admin in _admins():
        name = model._meta.label
        assert gov.get(_admin_url(model, "changelist")).status_code == 200, name
        found = model._default_manager.order_by("pk").first()
        assert found is not None, f"the demo has no {name} to open in the admin"
        url = _admin_url(model, "change", found.pk)
        data = form_data(gov.get(url).text)
        data.pop("_saveasnew", None)
        if model_admin.has_change_permission(_request_of(gov), found):
            response = walk.step(
                f"admin save {name}", lambda url=url, data=data: gov.post(url, data)
            )
            assert response.status_code == 302, (name, response.status_code)
        else:
            response = walk.step(
                f"admin save {name}", lambda url=url, data=data: gov.post(url, data), writes=False
            )
            assert response.status_code == 403, (name, response.status_code)


def _request_of(client):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = get_user_model().objects.get(pk=client.session["_auth_user_id"])
    return request


DELETED = {
    "papers.CoverSheet": lambda: CoverSheet.objects.order_by("pk").first(),
    "papers.GeneratedPaper": lambda: GeneratedPaper.objects.order_by("pk").first(),
    "public.InformationRequest": lambda: InformationRequest.objects.order_by("pk").first(),
    "progress.ReportingPeriod": lambda: create_period(
        Strategy.objects.get(slug="sue"), "2018/19 Q1", user=None
    ),
    "plans.Commitment": lambda: Commitment.objects.order_by("-pk").first(),
    "people.Person": lambda: Person.objects.exclude(user__isnull=False).order_by("pk").first(),
    "plans.Area": lambda: (
        Area.objects.filter(actions__isnull=True).first()
        or Area.objects.create(strategy=Strategy.objects.get(slug="sue"), name="Unused")
    ),
}


def test_the_admins_delete_through_services(walk):
    gov = signed_in("governance")
    walk.step(
        "make a paper file",
        lambda: gov.post(
            reverse("paper_generate", kwargs={"slug": "sue", "period": "2016-17-q3"}),
            {"format": "html"},
        ),
    )
    walk.step(
        "send a request",
        lambda: Client().post(
            reverse("public_other_formats", kwargs={"slug": "sue"}),
            {"format": "audio", "name": "Sam", "contact": "sam@example.org"},
        ),
    )
    for label, find in DELETED.items():
        found = find()
        url = _admin_url(type(found), "delete", found.pk)
        response = walk.step(
            f"admin delete {label}", lambda url=url: gov.post(url, {"post": "yes"})
        )
        assert response.status_code == 302, (label, response.status_code)
        assert not type(found)._default_manager.filter(pk=found.pk).exists(), label

    chosen = list(Role.objects.filter(actions__isnull=True).values_list("pk", flat=True)[:2])
    bulk = {"action": "delete_selected", "_selected_action": chosen, "post": "yes"}
    response = walk.step(
        "admin delete selected", lambda: gov.post(_admin_url(Role, "changelist"), bulk)
    )
    assert response.status_code == 302 and not Role.objects.filter(pk__in=chosen).exists()


def test_reverting_a_theme_in_its_history_goes_through_a_service(walk):
    gov = signed_in("governance")
    theme = Strategy.objects.get(slug="sue").themes.get(number=2)
    url = _admin_url(type(theme), "change", theme.pk)
    renamed = walk.step("admin rename Theme", lambda: post_form(gov, url, title="Renamed"))
    assert renamed.status_code == 302
    first = theme.history.order_by("history_date").first()
    revert = _admin_url(type(theme), "simple_history", theme.pk, first.history_id)
    data = form_data(gov.get(revert).text)
    response = walk.step("admin revert Theme", lambda: gov.post(revert, data))
    assert response.status_code == 302, response.status_code
    theme.refresh_from_db()
    assert theme.title == first.title != "Renamed"


def test_the_register_of_involvement_writes_through_services(walk):
    import datetime

    from planboard.engagement.models import Activity, Participant
    from planboard.engagement.services import save_activity

    gov = signed_in("governance")
    strategy = Strategy.objects.get(slug="sue")
    panel = Activity(strategy=strategy, title="Panel", starts_on=datetime.date(2017, 1, 10))

    def add_activity():  # watched as a command's writes are
        walk.watch.entered()
        try:
            return save_activity(panel, user=None)
        finally:
            walk.watch.left()

    activity = walk.step("save an activity", add_activity)

    def at(name, **kwargs):
        return reverse(name, kwargs={"slug": "sue", **kwargs})

    day = {"-day": "10", "-month": "1", "-year": "2017"}

    def dated(field):
        return {f"{field}{part}": value for part, value in day.items()}

    line = {"name": "Panel", "unit": "hour", "amount": "15", **dated("valid_from")}
    response = walk.step("engagement_rates", lambda: gov.post(at("engagement_rates"), line))
    assert response.status_code == 302, response.status_code
    person = {"name": "Ann", "perspective": "carer"}
    add = at("engagement_participant_add")
    response = walk.step("engagement_participant_add", lambda: gov.post(add, person))
    assert response.status_code == 302, response.status_code
    ann = Participant.objects.get(strategy=strategy, name="Ann")
    edit = at("engagement_participant", pk=ann.pk)
    changed = {**person, "contact": "By post", "version": str(ann.version)}
    response = walk.step("engagement_participant", lambda: gov.post(edit, changed))
    assert response.status_code == 302, response.status_code
    involved = {"participant": str(ann.pk), "hours": "2", "reward": "payment", "rate": "Panel"}
    involvement = at("engagement_involvement", pk=activity.pk)
    response = walk.step(
        "engagement_involvement",
        lambda: gov.post(involvement, {**involved, **dated("took_part_on")}),
    )
    assert response.status_code == 302, response.status_code
    paid = {"quarter": "2016/17 Q4", **dated("paid_on")}
    response = walk.step("engagement_finance", lambda: gov.post(at("engagement_finance"), paid))
    assert response.status_code == 302, response.status_code
    erase = at("engagement_participant_erase", pk=ann.pk)
    response = walk.step("engagement_participant_erase", lambda: gov.post(erase))
    assert response.status_code == 302, response.status_code
