"""How often one address may ask for another format: a public form must not let a script
fill the governance team's queue.

Requests are counted per client address (the address the trusted proxies forward, as
for sign-in) in the current clock hour, in Django's cache. Only requests that were
recorded count; a form sent back with a mistake does not.
"""

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

HOUR = 60 * 60


def _key(request) -> str:
    hour = timezone.now().strftime("%Y%m%d%H")
    return f"planboard:public-requests:{get_client_ip_address(request)}:{hour}"


def may_send_request(request) -> bool:
    """Whether the client may send another request for another format this hour."""
    return cache.get(_key(request), 0) < settings.PUBLIC_REQUESTS_PER_HOUR


def count_request(request) -> None:
    """Count a recorded request against the client's address for this hour."""
    key = _key(request)
    if not cache.add(key, 1, HOUR):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, HOUR)
