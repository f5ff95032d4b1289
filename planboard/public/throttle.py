"""How often one address may ask for another format: a public form must not let a script
fill the governance team's queue.

Requests are counted per client address (the address the trusted proxies forward, as
for sign-in) in the current clock hour, in the database (``RequestCount``), so the
limit holds across every worker and server that answers the form; a count kept in each
worker's memory let each of them allow the limit on its own. Only requests that are
recorded count: the count is taken inside the service that records the request, so a
form sent back with a mistake does not count, and a request refused at the limit is
not recorded.

Taking a place is one conditional UPDATE (``requests < limit``), which the database
runs atomically, so two workers can never both take the last place. Addresses are kept
only as a keyed hash, and the counts of past hours are deleted as new ones are made.
"""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from planboard.public.models import RequestCount

TOO_MANY_REQUESTS = (
    "Too many requests have been sent from your connection in the last hour. "
    "Your request has not been sent: please try again later."
)


def client_address(request) -> str:
    """The address a request comes from, as sign-in counts it."""
    return str(get_client_ip_address(request) or "")


def _hashed(address: str) -> str:
    return salted_hmac("planboard.public.throttle", address, algorithm="sha256").hexdigest()


def current_hour():
    return timezone.now().replace(minute=0, second=0, microsecond=0)


def take_place(address: str) -> bool:
    """Count one more request from ``address`` this hour, unless it has already sent as
    many as the limit; whether it was counted.

    Called by the service that records the request, within its transaction, so a
    request that is not recorded gives its place back.
    """
    hour = current_hour()
    key = _hashed(address)
    RequestCount.objects.filter(hour__lt=hour).delete()
    RequestCount.objects.bulk_create([RequestCount(address=key, hour=hour)], ignore_conflicts=True)
    taken = RequestCount.objects.filter(
        address=key, hour=hour, requests__lt=settings.PUBLIC_REQUESTS_PER_HOUR
    ).update(requests=F("requests") + 1)
    return taken == 1
