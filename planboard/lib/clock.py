"""The plan's "today": the date that decides what is late, overdue or due, what the
RAG rules suggest and which period is open, and the time stamped on what people see.

It is the real date and time where the trust is (``TIME_ZONE``) unless ``DEMO_TODAY``
is set, which only the demo does (``make demo``): then today is that day, and the time
of day is the real one, so a demo of a plan from another year tells a coherent story on
any day it is run. Every page then says so in a banner (``demo_notice``), and
``planboard check --deploy`` warns that it is set (``check_demo_today``).

What is truly about real time (heartbeats, the task queue, throttles, the sign-in
lock-out, sessions, e-mail retries) keeps Django's own clock; docs/architecture.md lists
which is which.
"""

import datetime

from django.conf import settings
from django.core import checks
from django.utils import timezone

from planboard.lib.letters import long_date


def demo_today() -> datetime.date | None:
    """The day the demo takes to be today, or None on a real instance."""
    return getattr(settings, "DEMO_TODAY", None)


def today() -> datetime.date:
    """Today's date where the trust is, or the demo's day."""
    return demo_today() or timezone.localdate()


def now() -> datetime.datetime:
    """The time now (aware), on the demo's day if one is set."""
    real = timezone.localtime()
    day = demo_today()
    if day is None:
        return real
    return timezone.make_aware(datetime.datetime.combine(day, real.time().replace(fold=0)))


def demo_notice() -> str:
    """The words of the banner every page shows while the demo's day is set, or ""."""
    day = demo_today()
    if day is None:
        return ""
    return f"This is a demo. planboard takes today to be {long_date(day)}."


def admin_context(request) -> dict:
    """The banner's words for the admin's pages (a context processor of its templates)."""
    return {"demo_notice": demo_notice()}


@checks.register("demo", deploy=True)
def check_demo_today(app_configs=None, **kwargs):
    """``check --deploy`` warns when the demo's day is set on what may be a real instance."""
    day = demo_today()
    if day is None:
        return []
    return [
        checks.Warning(
            f"DEMO_TODAY is set ({day.isoformat()}): planboard takes today to be that day, "
            "so what is late, overdue or due is judged as of then.",
            hint="DEMO_TODAY is for the demo only; unset it on a real instance.",
            id="planboard.W001",
        )
    ]
