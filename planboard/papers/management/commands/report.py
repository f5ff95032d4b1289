"""``planboard report --strategy SLUG [--period LABEL] --format html -o PATH``.

Writes the board paper for a period (or, without ``--period``, for the plan as it
stands now) as one standalone HTML file: the same content and template as the paper
page, with its stylesheets inlined so the file reads anywhere. Word, PDF and Excel are
not built yet.
"""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string

from planboard.papers.content import build_paper
from planboard.plans.models import Strategy
from planboard.progress.periods import canonical_label, period_slug

FORMATS = ("html", "pdf", "docx", "xlsx")
STYLESHEETS = ("nhsuk/nhsuk-frontend.min.css", "planboard/planboard.css", "planboard/paper.css")


class Command(BaseCommand):
    help = "Writes a strategy's board paper for a reporting period to a file (HTML for now)."

    def add_arguments(self, parser):
        parser.add_argument("--strategy", metavar="SLUG", required=True)
        parser.add_argument(
            "--period",
            metavar="LABEL",
            help='The period, like "2016/17 Q3" or "2016-17-q3" (default: the plan as it stands).',
        )
        parser.add_argument("--format", default="html", help="html (pdf, docx, xlsx to come).")
        parser.add_argument("-o", "--output", metavar="PATH", required=True)

    def handle(self, *args, **options):
        if options["format"] != "html":
            raise CommandError("not yet supported: html only for now")
        strategy = Strategy.objects.filter(slug=options["strategy"]).first()
        if strategy is None:
            raise CommandError(f'There is no strategy with the slug "{options["strategy"]}".')
        period = None
        if options["period"]:
            period = _find_period(strategy, options["period"])
        paper = build_paper(strategy, period)
        html = render_to_string(
            "papers/standalone.html", {"paper": paper, "standalone": True, "css": _css()}
        )
        path = Path(options["output"])
        try:
            path.write_text(html, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
        self.stdout.write(f"Wrote {path} ({len(paper.rows)} actions).")


def _find_period(strategy, wanted):
    label = canonical_label(wanted)
    for period in strategy.periods.all():
        if period.label == label or period_slug(period.label) == wanted.strip().lower():
            return period
    raise CommandError(f'{strategy.slug} has no reporting period "{wanted}".')


def _css() -> str:
    parts = []
    for name in STYLESHEETS:
        found = finders.find(name)
        if found:
            parts.append(Path(found).read_text(encoding="utf-8").replace("</", "<\\/"))
    return "\n".join(parts)
