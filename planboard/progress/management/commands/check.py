"""``planboard check``: Django's system checks, or with ``--strategy`` the plan checker.

It replaces Django's own ``check`` (our apps come first in INSTALLED_APPS) so that one
familiar word checks both the installation and a plan; without ``--strategy`` it is
Django's command unchanged, so ``planboard check --deploy`` keeps working.
"""

import datetime
import json
import re

from django.core.management.base import CommandError
from django.core.management.commands import check

from planboard.lib import clock
from planboard.plans.commands import strategy_named
from planboard.progress.checker import check_report, run_checks, summarise

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Command(check.Command):
    help = (
        "Checks the project for potential problems or, with --strategy, a plan for "
        "data-quality and delivery findings."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        plan = parser.add_argument_group("plan checker")
        plan.add_argument("--strategy", metavar="SLUG", help="Check this strategy's plan.")
        plan.add_argument(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="The date that decides what is overdue (default: today).",
        )
        plan.add_argument("--json", action="store_true", help="Print the findings as JSON.")

    def handle(self, *app_labels, **options):
        if not options["strategy"]:
            if options["as_of"] or options["json"]:
                raise CommandError("--as-of and --json need --strategy SLUG.")
            return super().handle(*app_labels, **options)
        if app_labels or options["deploy"] or options["tags"] or options["list_tags"]:
            raise CommandError(
                "--strategy checks a plan; it cannot be combined with app labels, "
                "--deploy, --tag or --list-tags."
            )
        strategy = strategy_named(options["strategy"])
        as_of = parse_as_of(options["as_of"])
        if options["json"]:
            self.stdout.write(json.dumps(check_report(strategy, as_of), indent=2))
        else:
            self.stdout.write(render_text(strategy, as_of, run_checks(strategy, as_of)))


def parse_as_of(value):
    """The --as-of date, or today where the trust is (settings.TIME_ZONE)."""
    if value is None:
        return clock.today()
    if ISO_DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass  # 2017-13-01: the right shape but no such day
    raise CommandError(
        f'--as-of "{value}" is not a date written as YYYY-MM-DD, for example 2017-04-01.'
    )


def render_text(strategy, as_of, findings):
    """A heading with the count of each code, then one line per finding in plan order."""
    total = len(findings)
    noun = "finding" if total == 1 else "findings"
    lines = [f"{strategy.title} ({strategy.slug}) as of {as_of.isoformat()}: {total} {noun}"]
    summary = summarise(findings)
    width = max((len(code) for code in summary), default=0)
    lines += [
        f"  {code.value:<{width}}  {count:>4}  {code.label}" for code, count in summary.items()
    ]
    if findings:
        lines.append("")
    refs = max(len(finding.ref) for finding in findings) if findings else 0
    lines += [f"{f.code.value:<{width}}  {f.ref:<{refs}}  {f.message}" for f in findings]
    return "\n".join(lines)
