"""Synthetic plans: large, realistic, reproducible strategies for tests and benchmarks.

A real plan has about fifty actions; a large trust's may have thousands. Pages, papers and
the checker must cost the same number of queries either way, and the only way to show
that is to build a plan ten or a hundred times the seed's size. The plan imitates the
seed paper's faults in proportion (ratings the key does not define, rows without a rating
or a lead, leads the key does not name, areas citing commitments the theme lacks) so the
checker has something to find.

Rows are written with ``bulk_create`` so 5,000 actions take seconds. Each row still gets
its "created" history record (``bulk_create_with_history``); links between rows (leads,
commitments, people's roles) are written without m2m history, as nobody changed them.
"""

import datetime
import itertools
import random

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from planboard.lib.services import service
from planboard.people.models import Person, Role
from planboard.people.permissions import require_governance
from planboard.plans.models import (
    Action,
    ActionStatus,
    Area,
    Commitment,
    DatePrecision,
    Strategy,
    Theme,
)
from planboard.plans.rag import create_scale, match_level
from planboard.plans.targets import end_of_month

CHANGE_REASON = "Synthetic plan"

THEME_TITLES = [
    "Focussed Culture Change",
    "SUEMU: an agent for continuous improvement and change",
    "Experts by experience: Participation, work, and leadership",
    "Communication and Reach",
    "Partnership Working & Innovation",
    "Business Planning, Commissioning, and Corporate Areas",
    "Accessible Information",
    "Digital First",
    "Carers and Families",
]
AREA_NAMES = [
    "SUSEG",
    "SUEMU",
    "SHSC Events",
    "Quality Improvement Team",
    "Service User Engagement Groups (SUNRISE +)",
    "Wider Service User Groups / Social Enterprises",
    "ETD / Corporate",
    "Communications",
    "Digital",
    "Business Planning Group",
    "Directorates",
    "Patient Experience",
]
ROLES_IN_KEY = [
    ("Medical Director", "MD"),
    ("Head of Clinical Governance", "Head of CG"),
    ("Deputy Medical Director", "DMD"),
    ("Head of SUEMU", "Head of SUEMU"),
    ("Continuous Improvement Manager", "CI Manager"),
    ("Associate Medical Director Quality", "AMD"),
    ("Executive Director of Operations", "EDO"),
    ("Clinical Risk Lead", "CRL"),
    ("Engagement Manager", "EM"),
    ("Organisational Development Programme Manager", "OD Manager"),
    ("Quality Improvement Manager", "QIM"),
    ("Head of Education, Training and Development", "ETD"),
    ("Communications Manager", "Comms"),
    ("IT Department", "IT"),
]
ROLES_OUT_OF_KEY = [
    "Finance",
    "Supervising Managers",
    "Board Secretary",
    "Care Planning Group",
    "Contract Management Board",
]
FIRST_NAMES = ["Alex", "Sam", "Priya", "Tom", "Aisha", "Jo", "Ravi", "Kate", "Owen", "Mei"]
LAST_NAMES = ["Ahmed", "Brown", "Clarke", "Davies", "Evans", "Khan", "Lewis", "Patel", "Shaw"]
VERBS = [
    "Review",
    "Map",
    "Develop",
    "Pilot",
    "Report to SUSEG on",
    "Recruit to",
    "Train staff in",
    "Publish",
    "Audit",
    "Co-produce",
]
SUBJECTS = [
    "service user engagement across the directorates",
    "the Volunteer Policy and the Appreciation Scheme",
    "feedback received through Care Opinion",
    "accessible service user information materials",
    "the SUSEG meeting structure",
    "Expert by Experience roles and career pathways",
    "quality improvement events with service user leadership",
    "digital access for service users across the Trust",
    "partnerships with grass roots organisations",
    "carer involvement in care planning",
]
PROGRESS = [
    "Work is underway and will report back to SUSEG.",
    "A scoping exercise has been completed; next steps agreed.",
    "Recruitment is to be undertaken.",
    "Delayed by staff vacancies; a revised plan is being drafted.",
    "",
]
# Ratings as leads write them: some the default key lacks, many missing, as in the seed.
RATINGS = ["Green", "Amber", "Red", "Yellow", "TBC", ""]
RATING_WEIGHTS = [40, 16, 6, 3, 1, 34]
FIRST_TARGET = datetime.date(2017, 1, 1)
TARGET_MONTHS = 36  # 2017 to 2019


@service
def build_synthetic_plan(slug, actions=490, themes=6, seed=0, *, user=None) -> Strategy:
    """Build a strategy of ``actions`` actions over ``themes`` themes; same seed, same plan.

    ``user`` None is the command line (``planboard synthetic-plan``) or a benchmark.
    """
    require_governance(user, "build synthetic plans", command_line_ok=True)
    try:
        validate_slug(slug)
    except ValidationError:
        raise ValueError(f'"{slug}" is not a valid slug: use letters, digits, - and _.') from None
    if actions < 1 or themes < 1:
        raise ValueError("A synthetic plan needs at least one action and one theme.")
    if Strategy.objects.filter(slug=slug).exists():
        raise ValueError(f'A strategy with the slug "{slug}" already exists.')
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    with transaction.atomic():
        strategy = Strategy.objects.create(
            slug=slug,
            title=f"Synthetic strategy {slug}",
            organisation="Synthetic NHS Foundation Trust",
            period="2017-2019",
            plan_title="Implementation plan",
            plan_version=f"synthetic, seed {seed}",
        )
        levels = create_scale(strategy)
        roles = _roles(strategy)
        _people(strategy, roles, rng)
        areas = _create(Area, [Area(strategy=strategy, name=name) for name in AREA_NAMES])
        theme_rows = _create(
            Theme,
            [
                Theme(strategy=strategy, number=n, title=_theme_title(n))
                for n in range(1, themes + 1)
            ],
        )
        commitments = _commitments(theme_rows, rng)
        _actions(theme_rows, commitments, areas, roles, levels, actions, rng)
    return strategy


def _create(model, rows):
    return bulk_create_with_history(
        rows, model, batch_size=500, default_change_reason=CHANGE_REASON
    )


def _theme_title(number):
    title = THEME_TITLES[(number - 1) % len(THEME_TITLES)]
    cycle = (number - 1) // len(THEME_TITLES)
    return f"{title} ({cycle + 1})" if cycle else title


def _roles(strategy):
    rows = [Role(strategy=strategy, title=t, abbreviation=a) for t, a in ROLES_IN_KEY]
    rows += [Role(strategy=strategy, title=t, in_key=False) for t in ROLES_OUT_OF_KEY]
    return _create(Role, rows)


def _people(strategy, roles, rng):
    """Two people for some roles, one for others, and a few EbE leads who hold none."""
    names = [f"{first} {last}" for first, last in itertools.product(FIRST_NAMES, LAST_NAMES)]
    names = rng.sample(names, len(ROLES_IN_KEY) + 6)
    in_key = [role for role in roles if role.in_key]
    holders = in_key + rng.sample(in_key, 2)
    people = [Person(strategy=strategy, name=name) for name in names[: len(holders)]]
    people += [
        Person(strategy=strategy, name=name, is_ebe_lead=True) for name in names[len(holders) :]
    ]
    people = _create(Person, people)
    Person.roles.through.objects.bulk_create(
        Person.roles.through(person_id=person.pk, role_id=role.pk)
        for person, role in zip(people, holders, strict=False)
    )


def _commitments(theme_rows, rng):
    rows = [
        Commitment(
            theme=theme,
            number=n,
            text=f"We will {rng.choice(VERBS).lower()} {rng.choice(SUBJECTS)}.",
        )
        for theme in theme_rows
        for n in range(1, rng.randint(6, 10) + 1)
    ]
    by_theme = {}
    for commitment in _create(Commitment, rows):
        by_theme.setdefault(commitment.theme_id, {})[commitment.number] = commitment
    return by_theme


def _citations(theme, numbers, areas, rng):
    """The areas of one theme's table, each citing some of the theme's commitments.

    One theme in three has an area citing a commitment past its last, as the seed's
    theme 5 cites a seventh of six, so every plan of two themes or more has one.
    """
    cited = []
    for area in rng.sample(areas, rng.randint(3, 5)):
        picks = sorted(rng.sample(numbers, rng.randint(1, min(5, len(numbers)))))
        if rng.random() < 0.05:
            picks = []  # an area that names no commitment, like SUEMU in the seed's theme 6
        cited.append((area, picks))
    if theme.number % 3 == 2:
        cited[0][1].append(len(numbers) + 1)
    return cited


def _actions(theme_rows, commitments, areas, roles, levels, total, rng):
    """Spread ``total`` actions over the themes, each theme's rows grouped by area."""
    per_theme, extra = divmod(total, len(theme_rows))
    rows, leads, served = [], [], []
    for index, theme in enumerate(theme_rows):
        by_number = commitments[theme.pk]
        citations = _citations(theme, list(by_number), areas, rng)
        count = per_theme + (1 if index < extra else 0)
        for number in range(1, count + 1):
            area, cited = citations[(number - 1) * len(citations) // count]
            if rng.random() < 0.01:
                area, cited = None, []
            chosen = _leads(roles, rng)
            action = _action(theme, number, area, cited, levels, rng)
            action.lead_text = "/".join(role.short_name for role in chosen)
            rows.append(action)
            leads.append(chosen)
            served.append([by_number[n] for n in cited if n in by_number])
    rows = _create(Action, rows)
    _link(Action.leads.through, "role_id", rows, leads)
    _link(Action.commitments.through, "commitment_id", rows, served)


def _link(through, field, actions, targets):
    through.objects.bulk_create(
        [
            through(action_id=action.pk, **{field: target.pk})
            for action, chosen in zip(actions, targets, strict=True)
            for target in chosen
        ],
        batch_size=1000,
    )


def _action(theme, number, area, cited, levels, rng):
    month = rng.randrange(TARGET_MONTHS)
    target = _month_end(month)
    slip = rng.choice([0] * 8 + [1, 3])
    original = _month_end(max(month - slip, 0))
    rating = rng.choices(RATINGS, RATING_WEIGHTS)[0]
    status = rng.choices(
        [ActionStatus.COMPLETE, ActionStatus.IN_PROGRESS, ActionStatus.NOT_STARTED], [15, 65, 20]
    )[0]
    action = Action(
        theme=theme,
        number=number,
        area=area,
        cited_commitments=cited,
        text=f"{rng.choice(VERBS)} {rng.choice(SUBJECTS)}.",
        progress=rng.choice(PROGRESS),
        target_date=target,
        target_precision=DatePrecision.MONTH,
        target_text=f"{target:%b %y}",
        original_target_date=original,
        original_target_precision=DatePrecision.MONTH,
        status=status,
        rag_text=rating,
        rag_level=match_level(levels, rating),
    )
    if status == ActionStatus.COMPLETE:
        action.completed_on = target - datetime.timedelta(days=rng.randrange(60))
        if rng.random() < 0.5:  # written "Completed" in the paper, with no date
            action.target_date = None
            action.target_text = "Completed"
    return action


def _leads(roles, rng):
    """Most actions have one to three leads, a few none, some a role the key lacks."""
    if rng.random() < 0.05:
        return []
    in_key = [role for role in roles if role.in_key]
    out_of_key = [role for role in roles if not role.in_key]
    chosen = rng.sample(in_key, rng.randint(1, 3))
    if rng.random() < 0.08:
        chosen.append(rng.choice(out_of_key))
    return chosen


def _month_end(offset):
    year = FIRST_TARGET.year + (FIRST_TARGET.month - 1 + offset) // 12
    month = (FIRST_TARGET.month - 1 + offset) % 12 + 1
    return end_of_month(year, month)
