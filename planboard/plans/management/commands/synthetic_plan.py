"""``planboard synthetic-plan``: build a large, reproducible plan for benchmarks and demos."""

import json

from django.core.management.base import BaseCommand, CommandError

from planboard.people.models import Person, Role
from planboard.plans.models import Action, Area, Commitment, Theme
from planboard.plans.synthetic import build_synthetic_plan


class Command(BaseCommand):
    help = "Builds a synthetic strategy of N actions and prints a JSON summary."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True, help="The new strategy's slug.")
        parser.add_argument("--actions", type=int, default=490, help="How many actions.")
        parser.add_argument("--themes", type=int, default=6, help="How many themes.")
        parser.add_argument("--seed", type=int, default=0, help="Same seed, same plan.")

    def handle(self, *args, **options):
        try:
            strategy = build_synthetic_plan(
                options["slug"],
                actions=options["actions"],
                themes=options["themes"],
                seed=options["seed"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        summary = {
            "strategy": strategy.slug,
            "themes": Theme.objects.filter(strategy=strategy).count(),
            "commitments": Commitment.objects.filter(theme__strategy=strategy).count(),
            "areas": Area.objects.filter(strategy=strategy).count(),
            "actions": Action.objects.for_strategy(strategy).count(),
            "roles": Role.objects.filter(strategy=strategy).count(),
            "people": Person.objects.filter(strategy=strategy).count(),
        }
        self.stdout.write(json.dumps(summary, indent=2))
