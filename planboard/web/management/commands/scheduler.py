"""``planboard scheduler``: queue the background work that is due, every SCHEDULER_SECONDS.

Each turn is ``planboard.progress.reminder_runs.tick``: the reminders due today on each
strategy's schedule, and once a day the pruning of old task results; then
``planboard.feedback.sync.queue_care_opinion_syncs``: every CARE_OPINION_SYNC_HOURS, the
Care Opinion sync of each strategy that has it set up. It only queues;
``planboard worker`` does the work. Every run it queues is recorded in the database,
once a day, in the same transaction as its task, so schedulers on several servers at
once queue each run once between them. SIGINT or SIGTERM stops it between turns.
"""

import logging
import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from planboard.feedback.sync import queue_care_opinion_syncs
from planboard.progress.reminder_runs import tick

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Queues the reminders due on each strategy's schedule, and the day's housekeeping, "
        "every SCHEDULER_SECONDS; `planboard worker` runs them. Safe on several servers at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Queue what is due now, then stop.")

    def handle(self, *args, **options):
        stop = threading.Event()
        handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}

        def stop_soon(number, frame):
            logger.info("Received %s; stopping.", signal.strsignal(number))
            stop.set()

        for number in handlers:
            signal.signal(number, stop_soon)
        every = settings.SCHEDULER_SECONDS
        if options["verbosity"] > 0:
            self.stdout.write(f"The scheduler looks for work due every {every} seconds.")
            self.stdout.flush()
        try:
            while not stop.is_set():
                self.turn(options["verbosity"])
                if options["once"]:
                    break
                stop.wait(every)
        finally:
            for number, handler in handlers.items():
                signal.signal(number, handler)

    def turn(self, verbosity: int) -> None:
        try:
            queued = tick()
            syncs = queue_care_opinion_syncs()
        except DatabaseError:
            logger.warning(
                "The scheduler could not reach the database; it tries again soon", exc_info=True
            )
            return
        finally:
            close_old_connections()
        for run in queued:
            if verbosity > 0:
                self.stdout.write(
                    f"Queued the reminders for {run.strategy.slug} {run.period.label}."
                )
                self.stdout.flush()
        for strategy in syncs:
            if verbosity > 0:
                self.stdout.write(f"Queued the Care Opinion sync for {strategy.slug}.")
                self.stdout.flush()
