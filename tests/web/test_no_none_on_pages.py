"""No signed-in page shows a missing value as Python's "None".

The seed plan in the quarterly cycle (a closed quarter with an accepted update that
rated an unrated action and moved its target, an open quarter with an update waiting),
walked by following every link from the home page and My actions: one page of each URL
name, as the governance team and as a lead, so a page added later is walked too.
"""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve

from planboard.people.models import Person
from planboard.plans.models import Action, RagLevel
from planboard.progress.services import accept_update, close_period, open_period, submit_update

# Files, JSON, images and POST-only addresses: not pages a person reads.
NOT_READ = {
    "logout",
    "healthz",
    "plan_csv",
    "plan_xlsx",
    "paper_chart",
    "paper_feedback_chart",
    "paper_download",
    "paper_files_status",
}
LINK = re.compile(r'href="(/[^"#?]*)(?:\?[^"#]*)?(?:#[^"]*)?"')
NONE = re.compile(r">\s*None\s*<| None ")


@pytest.fixture
def seed_cycle(seed_strategy, cast):
    """The seed plan's cycle: Jane Lyon's first unrated action rated Green and its target
    moved in 2016/17 Q3, which is closed; her next action's update, with no rating
    proposed, waits in Q4. Returns the two actions."""
    Person.objects.filter(strategy=seed_strategy, name="Jane Lyon").update(user=cast.jane)
    mine = (
        Action.objects.for_strategy(seed_strategy)
        .filter(leads__people__user=cast.jane, rag_level__isnull=True)
        .exclude(status="complete")
        .in_plan_order()
    )
    first, second = list(mine[:2])
    q3 = open_period(seed_strategy, "2016/17 Q3", user=cast.gail)
    update = submit_update(
        first,
        user=cast.jane,
        narrative="Reported to SUSEG in December.",
        proposed_rag=RagLevel.objects.get(strategy=seed_strategy, label="Green"),
        new_target_date=datetime.date(2017, 9, 30),
        reason="The directorates meet in September.",
    )
    accept_update(update, user=cast.gail, expected_version=update.version)
    close_period(q3, user=cast.gail)
    open_period(seed_strategy, "2016/17 Q4", user=cast.gail)
    submit_update(second, user=cast.jane, narrative="Progress this quarter.")
    return first, second


def walk(client, start):
    """Every page reachable from ``start``, one of each URL name: {name: (path, html)}."""
    seen, queue = {}, list(start)
    while queue:
        path = queue.pop(0)
        try:
            name = resolve(path).url_name
        except Resolver404:
            continue
        if name in seen or name in NOT_READ or path.startswith("/admin/"):
            continue
        response = client.get(path)
        seen[name] = (path, response.content.decode() if response.status_code == 200 else "")
        queue += [urlsplit(link).path for link in LINK.findall(seen[name][1])]
    return seen


@pytest.mark.django_db
def test_no_page_shows_none_for_a_missing_value(client_for, cast, seed_cycle):
    rated, waiting = (f"/strategies/sue/actions/{action.ref}/" for action in seed_cycle)
    pages = walk(client_for(cast.gail), ["/", rated, "/strategies/sue/periods/2016-17-q3/"])
    pages |= {
        f"{name} (as a lead)": page
        for name, page in walk(client_for(cast.jane), ["/my-actions/", rated]).items()
    }

    pages["action (an update waiting)"] = (waiting, client_for(cast.jane).get(waiting).text)

    # The walk reaches the pages where a value is most often missing.
    assert {
        "plan",
        "action",
        "period",
        "review",
        "findings",
        "people",
        "my_actions (as a lead)",
    } <= set(pages)
    # The rated action's history says what it had before: no rating.
    assert pages["action"][0] == rated
    assert '<span class="pb-before">no rating</span>' in pages["action"][1]
    assert '<span class="pb-note">No rating</span>' in pages["action (an update waiting)"][1]
    found = {
        f"{name} {path}": NONE.findall(html)
        for name, (path, html) in pages.items()
        if NONE.search(html)
    }
    assert found == {}
