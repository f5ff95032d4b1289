"""What the finance team is sent: per financial-year quarter, what is due and what is
paid to each person in the private register, with totals.

A quarter holds the involvement that took place in it (``took_part_on``). What is due
is the reward priced from the rate card plus the expenses claimed; it is paid when the
involvement has a ``paid_on`` day, and outstanding until then. Each row is one person,
read in one query whatever the number of people or involvements.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from planboard.engagement.models import Involvement
from planboard.progress.periods import parse_quarter_label, quarter_containing

ZERO = Decimal("0.00")
PENNY = Decimal("0.01")
HEADINGS = ["Name", "Total hours", "Due", "Expenses", "Paid", "Outstanding"]


@dataclass
class FinanceRow:
    name: str
    hours: Decimal
    due: Decimal
    expenses: Decimal
    paid: Decimal

    @property
    def outstanding(self) -> Decimal:
        return self.due + self.expenses - self.paid

    def cells(self) -> list:
        return [self.name, self.hours, self.due, self.expenses, self.paid, self.outstanding]


def quarters_with_involvement(strategy) -> list[str]:
    """The quarters there is involvement in, newest first (one query)."""
    months = Involvement.objects.filter(activity__strategy=strategy).dates("took_part_on", "month")
    labels = []
    for month in months:
        label = quarter_containing(month)[0]
        if label not in labels:
            labels.append(label)
    return labels[::-1]


def in_quarter(strategy, label: str):
    """The involvement of ``strategy``'s activities that took place in quarter ``label``."""
    starts, ends = parse_quarter_label(label)
    return Involvement.objects.filter(
        activity__strategy=strategy, took_part_on__gte=starts, took_part_on__lte=ends
    )


def _sum(expression, condition=None):
    money = DecimalField(max_digits=12, decimal_places=2)
    return Coalesce(
        Sum(expression, filter=condition, output_field=money), Value(ZERO), output_field=money
    )


def finance_rows(strategy, label: str) -> list[FinanceRow]:
    """One row per person involved in quarter ``label``, by name."""
    paid = Q(paid_on__isnull=False)
    people = (
        in_quarter(strategy, label)
        .values("participant_id", "participant__name")
        .annotate(
            total_hours=_sum("hours"),
            total_due=_sum("amount_due"),
            total_expenses=_sum("expenses"),
            total_paid=_sum(F("amount_due") + F("expenses"), paid),
        )
        .order_by("participant__name", "participant_id")
    )
    return [
        FinanceRow(
            name=person["participant__name"],
            hours=_pennies(person["total_hours"]),
            due=_pennies(person["total_due"]),
            expenses=_pennies(person["total_expenses"]),
            paid=_pennies(person["total_paid"]),
        )
        for person in people
    ]


def _pennies(value) -> Decimal:
    """A sum as the database gives it (SQLite may give a float) to the penny."""
    return Decimal(str(value or 0)).quantize(PENNY)


def totals(rows: list[FinanceRow]) -> FinanceRow:
    return FinanceRow(
        name="Total",
        hours=sum((row.hours for row in rows), ZERO),
        due=sum((row.due for row in rows), ZERO),
        expenses=sum((row.expenses for row in rows), ZERO),
        paid=sum((row.paid for row in rows), ZERO),
    )
