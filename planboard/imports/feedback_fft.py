"""Importing the Friends and Family Test's monthly counts from NHS England's files or a
trust's own export (CSV, .xlsx or .xlsm; see ``table_import`` for the reading).

Each row is an organisation, site or ward (its code, its name, or both) in a month: the
month from a month column ("Aug-25", "August 2025", "2025-08", a date), from NHS
England's ``Yearnumber`` "2025_26" and ``Periodname`` "AUGUST", or from a title above
the header naming one month ("Inpatient FFT, August 2025"); the setting or collection if
a column gives it; the six answers' counts ("Very Good" or "1 Very Good" ... "Dont
Know"), each ``*`` (NHS England's suppression of counts under 5) or blank kept as None,
never 0; and the total responses (the sum of the six when no column gives it and none
is suppressed). Percentages, eligible counts and response rates are not read.

The service the row is about comes from its code (``services_for_codes``: our own codes
and those mapped to our services), else from its name; a row about none of our services
(another trust's, in a national file) is still kept, and counts in no figure. A second
import of the same code (or, without a code, name), month and setting updates the row:
it never adds another.
"""

from django.db import transaction

from planboard.feedback.fft_models import ANSWERS, FriendsAndFamilyCount
from planboard.feedback.models import Service
from planboard.feedback.services import services_for_codes
from planboard.imports.feedback_tables import (
    Cells,
    ImportSummary,
    TableRefused,
    financial_month,
    find_feedback_header,
    month_in_titles,
    read_count,
    read_feedback_table,
    read_month_of,
)
from planboard.imports.table_header import table_name
from planboard.lib.history import attribute
from planboard.lib.services import service
from planboard.people.permissions import require_feedback_rights

ANSWER_HEADERS = {
    "very good": "very_good",
    "extremely likely": "very_good",
    "good": "good",
    "likely": "good",
    "neither good nor poor": "neither",
    "neither good or poor": "neither",
    "neither": "neither",
    "neither likely nor unlikely": "neither",
    "poor": "poor",
    "unlikely": "poor",
    "very poor": "very_poor",
    "extremely unlikely": "very_poor",
    "dont know": "dont_know",
    "do not know": "dont_know",
}
TOTAL_HEADERS = {"total responses", "total response", "responses", "total", "number of responses"}
PLACES = ("org", "organisation", "organization", "trust", "provider", "site", "ward", "team")
# A more specific place wins: a ward's code over its site's, a site's over its trust's.
RANK = {"ward": 3, "team": 3, "site": 2, "service": 2, "location": 2}
MONTH_HEADERS = {
    "month",
    "period",
    "date",
    "month year",
    "reporting month",
    "reporting period",
    "month of response",
    "response month",
}
SETTING_HEADERS = {"setting", "collection", "care setting", "service type", "collection type"}
CODE_WORDS = ("code", "ods code", "nacs code", "ods", "nacs")


def recognise(words: str):
    """The field a header's words name, with its rank, or None."""
    if words in ANSWER_HEADERS:
        return ANSWER_HEADERS[words], 0
    if words in TOTAL_HEADERS:
        return "total", 0
    if words in MONTH_HEADERS:
        return "month", 0
    if words in ("yearnumber", "year number", "financial year"):
        return "year", 0
    if words in ("periodname", "period name", "month name"):
        return "period", 0
    if words in SETTING_HEADERS:
        return "setting", 0
    first, _, rest = words.partition(" ")
    if words.startswith("parent"):
        return None
    if words in CODE_WORDS or (first in PLACES + ("service", "location") and rest in CODE_WORDS):
        return "code", RANK.get(first, 1)
    if words in ("name", "service", "location", "ward", "site", "team", "organisation"):
        return "name", RANK.get(words, 1)
    if first in PLACES + ("service", "location") and rest == "name":
        return "name", RANK.get(first, 1)
    return None


def _enough(fields) -> str | None:
    if not any(name in fields for name in ANSWERS):
        return 'no column of answers (headers such as "Very Good", "Good" ... "Dont Know")'
    if "code" not in fields and "name" not in fields:
        return "no column naming the organisation, site or ward (a code or a name)"
    return None


def read_fft_rows(strategy, table) -> list[dict]:
    """The counts of ``table``'s rows, or a ``TableRefused`` listing every bad row."""
    header = find_feedback_header(table, recognise, _enough)
    title_month = month_in_titles(table, header)
    fields = header.fields
    if "month" not in fields and not {"year", "period"} <= fields.keys() and not title_month:
        raise TableRefused(
            [
                f"{table.source}: no column giving the month (a header such as Month or "
                "Period, or Yearnumber and Periodname) and no month in the title"
            ]
        )
    errors, rows = [], []
    for index in range(header.index + 1, len(table.rows)):
        cells = Cells(table, header, index, errors)
        code, name = cells.text("code").upper()[:20], cells.text("name")[:300]
        if not code and not name:
            if any(one for one in cells.raw.cells if one not in ("", None)):
                cells.row_bad("no code or name of the organisation, site or ward")
            continue
        values = {
            "row": cells.raw.number,
            "code": code,
            "name": name,
            "setting": cells.text("setting")[:100],
        }
        try:
            if "month" in fields:
                values["month"] = read_month_of(cells.cell("month"))
            elif {"year", "period"} <= fields.keys():
                values["month"] = financial_month(cells.cell("year"), cells.cell("period"))
            else:
                values["month"] = title_month
        except ValueError as error:
            cells.bad("month" if "month" in fields else "period", str(error))
        for answer in (*ANSWERS, "total"):
            ok, count = read_count(cells.cell(answer))
            if not ok:
                cells.bad(answer, f'"{cells.text(answer)}" is not a count (a whole number or *)')
            values[answer] = count
        known = [values[answer] for answer in ANSWERS]
        if values["total"] is None and "total" not in fields and None not in known:
            values["total"] = sum(known)
        rows.append(values)
    seen = {}
    for row in rows:
        key = (row["code"], "" if row["code"] else row["name"], row.get("month"), row["setting"])
        if key in seen:
            errors.append(
                f"{table_name(table)}, row {row['row']}: the same place, month and setting "
                f"as row {seen[key]}"
            )
        seen.setdefault(key, row["row"])
    if errors:
        raise TableRefused(errors)
    return rows


def _services(strategy, rows) -> dict[tuple[str, str], Service | None]:
    by_code = services_for_codes(strategy, {row["code"] for row in rows if row["code"]})
    by_name = {s.name.casefold(): s for s in Service.objects.filter(strategy=strategy)}
    return {
        (row["code"], row["name"]): by_code.get(row["code"]) or by_name.get(row["name"].casefold())
        for row in rows
    }


@service
@transaction.atomic
def import_fft(strategy, data: bytes, filename: str, *, user, dry_run=False) -> ImportSummary:
    """Record the Friends and Family Test counts of the file: all its rows or, when any
    row is bad, none (a ``TableRefused`` listing every bad row). ``dry_run`` says what
    would be created, updated or left unchanged, and writes nothing."""
    require_feedback_rights(user, "import Friends and Family Test counts")
    rows = read_fft_rows(strategy, read_feedback_table(data, filename))
    services = _services(strategy, rows)
    summary = ImportSummary("Friends and Family Test counts", dry_run=dry_run)
    existing = {
        (r.code, r.name if not r.code else "", r.month, r.setting): r
        for r in FriendsAndFamilyCount.objects.filter(
            strategy=strategy, month__in={row["month"] for row in rows}
        )
    }
    for row in rows:
        place = services[(row["code"], row["name"])]
        if place is None:
            label = row["code"] or row["name"]
            if label not in summary.unmatched:
                summary.unmatched.append(label)
        values = {
            "service_id": place.pk if place else None,
            "name": row["name"],
            "total_responses": row["total"],
            **{answer: row[answer] for answer in ANSWERS},
        }
        key = (row["code"], row["name"] if not row["code"] else "", row["month"], row["setting"])
        record = existing.get(key)
        if record is None:
            summary.created += 1
            record = FriendsAndFamilyCount(
                strategy=strategy,
                code=row["code"],
                month=row["month"],
                setting=row["setting"],
                **values,
            )
        elif all(getattr(record, name) == value for name, value in values.items()):
            summary.unchanged += 1
            continue
        else:
            summary.updated += 1
            for name, value in values.items():
                setattr(record, name, value)
        if not dry_run:
            attribute(record, user, f"Friends and Family Test counts imported from {filename}")
            record.save()
    return summary
