"""What a board paper says: built once from the data, then rendered in any format.

``build_paper`` gathers everything a paper prints into the frozen dataclasses of
``paper``, so every format (HTML now; Word, PDF and Excel later) prints the same content.

For a closed period everything comes from what was frozen when it closed: the action
rows from its snapshots; the themes, commitments, coverage, RAG key and findings from
its record; the cover sheet from its own, kept at the close (and edited since only on
purpose). So building the paper again later gives the same paper. For an open period
the rows are snapshots built live and never saved, and the rest is read as it stands;
with no period, the live plan. (A period closed before records were kept has no
record; its paper reads those parts live.)
"""

import datetime
from dataclasses import dataclass

from planboard.lib import clock
from planboard.lib.letters import long_date
from planboard.papers.covers import cover_for
from planboard.papers.engagement_section import engagement_section
from planboard.papers.feedback_section import feedback_section
from planboard.papers.models import CoverSheet
from planboard.papers.paper import (
    COVER_FIELDS,
    NOT_IN_KEY,
    NOT_RATED,
    SUMMARY_FIELDS,
    AreaGroup,
    Coverage,
    Exception_,
    Exceptions,
    Field,
    FindingLine,
    FrontMatter,
    Glance,
    KeyLevel,
    LeadCount,
    Paper,
    PeopleKey,
    RagCount,
    Row,
    ThemeCounts,
    ThemeSection,
    Tick,
)
from planboard.papers.people_key import people_key
from planboard.plans.models import ActionStatus, format_target
from planboard.progress.changes import what_changed
from planboard.progress.completion import completion_rate
from planboard.progress.models import PeriodRecord, UpdateStatus
from planboard.progress.records import people_record, plan_record
from planboard.progress.snapshots import live_rows, snapshot_rows


@dataclass(frozen=True)
class _Level:
    """A RAG level as the record keeps it."""

    label: str
    definition: str
    colour: str
    means_complete: bool


def build_paper(strategy, period=None) -> Paper:
    """The paper for ``strategy`` and ``period`` (the live plan when ``period`` is None)."""
    if period is None:
        snapshots = live_rows(strategy)
        as_of = clock.today()
    elif period.is_closed:
        snapshots = list(period.snapshots.all())
        as_of = period.ends_on
    else:
        snapshots = snapshot_rows(period)
        as_of = period.ends_on
    record = _record(strategy, period, as_of)
    levels = [_Level(**level) for level in record["key"]]
    themes = record["themes"]
    key = people_key(record if "roles" in record else people_record(strategy))
    rows = [_row(snapshot) for snapshot in snapshots]
    completion = completion_rate(period) if period is not None else None
    overdue = [s for s in snapshots if s.is_overdue(as_of)]
    slipped = [s for s in snapshots if s.has_slipped]
    sheet = cover_for(strategy, period)
    cover, framework_ticks, summary, purpose_ticks = _cover(sheet)
    return Paper(
        strategy=strategy.title,
        slug=strategy.slug,
        organisation=strategy.organisation,
        plan_version=strategy.plan_version,
        period=period.label if period is not None else "",
        closed=bool(period is not None and period.is_closed),
        as_of=as_of,
        cover=cover,
        framework_ticks=framework_ticks,
        summary=summary,
        purpose_ticks=purpose_ticks,
        glance=Glance(
            counts=_counts(rows, levels),
            by_theme=tuple(
                ThemeCounts(
                    theme["number"],
                    theme["title"],
                    _counts([r for r in rows if r.theme_number == theme["number"]], levels),
                )
                for theme in themes
            ),
            updated=completion.updated if completion else None,
            open=completion.open if completion else None,
            completion=completion.rate if completion else None,
            overdue=len(overdue),
            slipped=len(slipped),
        ),
        exceptions=_exceptions(period, snapshots, levels, overdue, slipped, key),
        themes=_sections(themes, rows, key),
        key=tuple(KeyLevel(lv.label, lv.definition, lv.colour) for lv in levels),
        coverage=tuple(
            Coverage(c["ref"], c["text"], tuple(c["served_by"]))
            for theme in themes
            for c in theme["commitments"]
        ),
        findings=tuple(
            FindingLine(f["code"], f["kind"], f["ref"], f["message"]) for f in record["findings"]
        ),
        own_reviews=tuple(s.ref for s in snapshots if _own_review(s.update)),
        front=_front(strategy, period, sheet),
        people_key=key,
        show_findings=sheet.findings_appendix,
        feedback=feedback_section(strategy, as_of),
        engagement=engagement_section(strategy, as_of),
    )


def _front(strategy, period, sheet) -> FrontMatter:
    plan = strategy.plan_title or strategy.title
    title = sheet.title or (f"{plan}: progress in {period.label}" if period else plan)
    day = sheet.meeting_date
    return FrontMatter(
        organisation=strategy.organisation,
        meeting=sheet.meeting,
        meeting_date=long_date(day) if day else "",
        reference=sheet.reference,
        item=sheet.item,
        title=title,
        plan_title=strategy.plan_title,
        plan_version=strategy.plan_version,
        preface=strategy.introduction,
    )


def _own_review(update) -> bool:
    """The period's update was accepted by the person who gave it (or on whose behalf it
    was given), as the strategy allowed; the snapshot keeps that, so a closed period's
    paper says the same however the strategy's setting changes later."""
    return (
        bool(update)
        and update.get("status") == UpdateStatus.ACCEPTED
        and bool(update.get("own_review"))
    )


def _record(strategy, period, as_of) -> dict:
    """The closed period's frozen record, else the same content read from the plan now."""
    if period is not None and period.is_closed:
        frozen = PeriodRecord.objects.filter(period=period).first()
        if frozen is not None:
            return frozen.content
    return plan_record(strategy, as_of)


def _row(snapshot) -> Row:
    if snapshot.rag_label:
        rag, colour, in_key, rated = snapshot.rag_label, snapshot.rag_colour or "grey", True, True
    elif snapshot.rag_text:
        rag, colour, in_key, rated = snapshot.rag_text, "grey", False, True
    else:
        rag, colour, in_key, rated = NOT_RATED, "white", True, False
    return Row(
        ref=snapshot.ref,
        theme_number=snapshot.theme_number,
        number=snapshot.number,
        area=snapshot.area,
        cited=", ".join(str(n) for n in snapshot.cited_commitments or []),
        text=snapshot.text,
        progress=snapshot.progress,
        target=snapshot.target_display or "No target date",
        rag=rag,
        rag_colour=colour,
        in_key=in_key,
        rated=rated,
        leads=_leads(snapshot),
        lead_roles=tuple(snapshot.leads),
        status=_status(snapshot.status),
        target_date=snapshot.target_date,
        original_target=(
            format_target(snapshot.original_target_date, snapshot.original_target_precision)
            if snapshot.original_target_date
            else ""
        ),
    )


def _status(value: str) -> str:
    return ActionStatus(value).label if value in ActionStatus.values else value


def _leads(snapshot) -> str:
    return " / ".join(snapshot.leads) or snapshot.lead_text


def _counts(rows, levels) -> tuple[RagCount, ...]:
    counts = [
        RagCount(lv.label, lv.colour, sum(1 for r in rows if r.in_key and r.rag == lv.label))
        for lv in levels
    ]
    counts.append(RagCount(NOT_IN_KEY, "grey", sum(1 for r in rows if not r.in_key)))
    counts.append(RagCount(NOT_RATED, "white", sum(1 for r in rows if not r.rated)))
    return tuple(counts)


def _exceptions(period, snapshots, levels, overdue, slipped, key) -> Exceptions:
    ordinary = [lv.label for lv in levels if not lv.means_complete]
    worst = tuple(ordinary[-2:])
    not_updated = ()
    rag_up = rag_down = first_rated = ()
    baseline = ""
    by_lead = ()
    if period is not None:
        waiting = [s for s in snapshots if not s.is_complete and not s.update_received]
        not_updated = tuple(_item(s, "No update") for s in waiting)
        by_lead = _by_lead(waiting, key)
        changes = what_changed(period)
        baseline = changes.baseline.label if changes.baseline else ""
        leads = {s.ref: _leads(s) for s in snapshots}

        def changed(items):
            return tuple(
                Exception_(c.ref, c.text, f"{c.before} to {c.after}", leads.get(c.ref, ""))
                for c in items
            )

        rag_up, rag_down = changed(changes.rag_up), changed(changes.rag_down)
        first_rated = changed(changes.first_rated)
    return Exceptions(
        rated=tuple(_item(s, s.rag_label) for s in snapshots if s.rag_label in worst),
        rated_labels=worst,
        overdue=tuple(_item(s, f"Due by {s.target_display}") for s in overdue),
        slipped=tuple(_slip(s) for s in slipped),
        not_updated=not_updated,
        rag_up=rag_up,
        rag_down=rag_down,
        baseline=baseline,
        for_period=period is not None,
        not_updated_by_lead=by_lead,
        first_rated=first_rated,
        not_accepted=tuple(
            _item(s, NOT_ACCEPTED.get(s.update.get("status"), "Not accepted"))
            for s in snapshots
            if s.update and s.update.get("not_accepted_at_close")
        ),
    )


NOT_ACCEPTED = {
    UpdateStatus.SUBMITTED: "Waiting for review when the period closed",
    UpdateStatus.RETURNED: "Returned to its lead when the period closed",
}
NO_LEAD = "No lead named"


def _by_lead(snapshots, key) -> tuple[LeadCount, ...]:
    """Not-updated actions counted per lead role, most first, then in the order the plan
    first names them."""
    counts: dict[str, int] = {}
    for snapshot in snapshots:
        for lead in snapshot.leads or [snapshot.lead_text or NO_LEAD]:
            counts[lead] = counts.get(lead, 0) + 1
    found = []
    for lead, count in counts.items():
        role = key.decode(lead)
        found.append(LeadCount(lead, role.decoded if role and role.says_more else "", count))
    return tuple(sorted(found, key=lambda c: -c.count))


def _item(snapshot, note="") -> Exception_:
    return Exception_(snapshot.ref, snapshot.text, note, _leads(snapshot))


def _slip(snapshot) -> Exception_:
    was = snapshot.original_target_date
    note = f"Now due by {snapshot.target_display}"
    if was is not None:
        note = (
            f"Moved from {format_target(was, snapshot.original_target_precision)} "
            f"to {snapshot.target_display}"
        )
    reason = (snapshot.update or {}).get("target_change_reason", "")
    if reason:
        note = f"{note}. Reason: {reason}"
    return Exception_(snapshot.ref, snapshot.text, note, _leads(snapshot))


def _lead_key(rows, key: PeopleKey):
    """The roles a theme's rows name, once each in order, that the key has more to say
    of than the short name: the footnote key under the theme's table."""
    shorts = dict.fromkeys(short for row in rows for short in row.lead_roles)
    roles = (key.decode(short) for short in shorts)
    return tuple(role for role in roles if role and role.says_more)


def _sections(themes, rows, key) -> tuple[ThemeSection, ...]:
    sections = []
    for theme in themes:
        groups = []
        for row in (r for r in rows if r.theme_number == theme["number"]):
            if groups and groups[-1][0] == (row.area, row.cited):
                groups[-1][1].append(row)
            else:
                groups.append(((row.area, row.cited), [row]))
        sections.append(
            ThemeSection(
                number=theme["number"],
                title=theme["title"],
                commitments=tuple(
                    Field(c["ref"], f"Commitment {c['ref']}", c["text"])
                    for c in theme["commitments"]
                ),
                areas=tuple(AreaGroup(area, cited, tuple(rs)) for (area, cited), rs in groups),
                lead_key=_lead_key([row for _, rs in groups for row in rs], key),
            )
        )
    return tuple(sections)


def _cover(sheet):
    if not any(getattr(sheet, name) for name in COVER_FIELDS + SUMMARY_FIELDS):
        return (), (), (), ()

    def fields(names):
        result = []
        for name in names:
            value = getattr(sheet, name)
            if isinstance(value, datetime.date):
                value = long_date(value)
            label = str(CoverSheet._meta.get_field(name).verbose_name)
            result.append(Field(name, label[:1].upper() + label[1:], value or ""))
        return tuple(result)

    def ticks(items):
        return tuple(
            Tick(str(item.get("label", "")), bool(item.get("ticked"))) for item in items or []
        )

    return (
        fields(COVER_FIELDS),
        ticks(sheet.framework_ticks),
        fields(SUMMARY_FIELDS),
        ticks(sheet.purpose_ticks),
    )
