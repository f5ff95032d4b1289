"""The e-mail a paper file sends when it is ready, to whoever asked for it
(``planboard.notifications``)."""

from planboard.lib.site import site_link
from planboard.notifications.models import Kind
from planboard.notifications.services import notify, to_users
from planboard.papers import formats
from planboard.people.recipients import addresses
from planboard.progress.periods import period_slug


def paper_ready(job) -> list:
    """Tell the person who asked for ``job`` that its file is ready."""
    if job.requested_by is None or not job.requested_by.is_active:
        return []
    strategy, period = job.strategy, job.period
    if period is None:
        link = site_link("papers", slug=strategy.slug)
    else:
        link = site_link("paper", slug=strategy.slug, period=period_slug(period.label)) + "#files"
    return notify(
        Kind.PAPER_READY,
        f"paper-ready:{job.pk}",
        to_users([job.requested_by], addresses(strategy)),
        subject=f"{job.filename} is ready",
        link=link,
        context={
            "format": formats.FORMATS[job.format].label,
            "filename": job.filename,
            "strategy": strategy.title,
            "period": period.label if period is not None else "the live plan",
        },
    )
