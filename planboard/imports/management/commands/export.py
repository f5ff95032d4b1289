"""``planboard export --strategy SLUG -o PATH|-``: a strategy as versioned JSON."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from planboard.imports.exchange import dumps
from planboard.imports.exchange_export import export_strategy
from planboard.plans.commands import strategy_named


class Command(BaseCommand):
    help = (
        "Write everything a strategy holds (plan, RAG scale, roles and people, periods, "
        "updates, snapshots, papers' records) as JSON in the format docs/json-format.md "
        "describes; `planboard import-json` reads it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--strategy", required=True, help="The strategy's slug.")
        parser.add_argument(
            "-o", "--output", required=True, help="The file to write, or - for standard output."
        )
        parser.add_argument(
            "--with-register",
            action="store_true",
            help="Also write the private register of engagement: the people in it, their "
            "involvement and reward, and the rate card.",
        )

    def handle(self, *args, **options):
        slug = options["strategy"]
        strategy = strategy_named(slug)
        text = dumps(export_strategy(strategy, with_register=options["with_register"]))
        if options["output"] == "-":
            self.stdout.write(text, ending="")
            return
        path = Path(options["output"])
        # Written beside the target and moved over it, so a failure leaves no half file.
        partial = path.with_name(f".{path.name}.partial")
        try:
            partial.write_text(text, encoding="utf-8")
            partial.replace(path)
        except OSError as err:
            partial.unlink(missing_ok=True)
            raise CommandError(f"{path} cannot be written ({err.strerror}).") from None
