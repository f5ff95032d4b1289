"""A read-only client of Care Opinion's API v2: the stories of a subscription, each with
its responses, tags and health services, as the dataclasses of ``care_opinion_shapes``.

It writes nothing: the sync that keeps planboard's feedback items calls
``read_stories`` and writes what it returns. See docs/feedback.md ("Care Opinion") for
what is read, the settings, and what was assumed where Care Opinion's documentation is
silent.
"""

import datetime
import time
from collections import deque
from collections.abc import Callable, Iterator
from typing import NoReturn
from urllib.parse import quote, urlencode, urljoin, urlsplit

import requests

from planboard.feedback.care_opinion_shapes import (
    ChangeClaim,
    HealthService,
    Link,
    Polarity,
    Response,
    Story,
    Tag,
    read_story,
)

__all__ = [
    "CareOpinionClient",
    "CareOpinionError",
    "ChangeClaim",
    "HealthService",
    "Link",
    "Polarity",
    "RateLimiter",
    "Response",
    "Story",
    "Tag",
    "read_stories",
]

DEFAULT_URL = "https://www.careopinion.org.uk/api/v2/"
# The opinions filter for "since": the web site's search term for the date a story was
# submitted on or after (Care Opinion's API takes every search term of its web site).
SINCE_PARAMETER = "submittedonafter"
REQUESTS_PER_SECOND = 5


class CareOpinionError(Exception):
    """Reading Care Opinion failed; the message is one line naming what failed."""


class RateLimiter:
    """At most ``per_second`` requests in any second: before each request, wait until
    the request ``per_second`` requests back is a second old. The clock and the sleep
    are given, so tests can run it on a clock of their own."""

    def __init__(
        self,
        per_second: int = REQUESTS_PER_SECOND,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.per_second = per_second
        self.clock, self.sleep = clock, sleep
        self._sent: deque[float] = deque(maxlen=per_second)

    def wait(self) -> None:
        if len(self._sent) == self.per_second:
            delay = self._sent[0] + 1.0 - self.clock()
            if delay > 0:
                self.sleep(delay)
        self._sent.append(self.clock())


class CareOpinionClient:
    """Reads the API at ``base_url`` with the subscription's HTTP header key.

    A 429 is waited out until its ``X-RateLimit-Reset`` (at most ``max_wait`` seconds,
    ``max_retries`` times for one address); any other failure raises CareOpinionError.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 30,
        take: int = 100,
        max_retries: int = 3,
        max_wait: float = 60,
        session: requests.Session | None = None,
        limiter: RateLimiter | None = None,
        wall_clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if not api_key:
            raise CareOpinionError("Care Opinion cannot be read: CARE_OPINION_API_KEY is not set.")
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.api_key = api_key
        self.timeout, self.take = timeout, take
        self.max_retries, self.max_wait = max_retries, max_wait
        self.session = session or requests.Session()
        self.limiter = limiter or RateLimiter(sleep=sleep)
        self.wall_clock, self.sleep = wall_clock, sleep
        self.requests_sent = 0

    @classmethod
    def from_settings(cls) -> "CareOpinionClient":
        from django.conf import settings

        return cls(
            settings.CARE_OPINION_API_URL or DEFAULT_URL,
            settings.CARE_OPINION_API_KEY,
            timeout=settings.CARE_OPINION_TIMEOUT_SECONDS,
            take=settings.CARE_OPINION_PAGE_SIZE,
        )

    # --- reading -----------------------------------------------------------------

    def opinions(self, since: datetime.date | None = None) -> Iterator[dict]:
        """Every opinion, page by page (``skip``/``take``) until an empty page; an
        opinion seen on an earlier page (the pages moved under us) is given once."""
        seen: set[str] = set()
        skip = 0
        while True:
            params: dict[str, object] = {"take": self.take, "skip": skip}
            if since is not None:
                params[SINCE_PARAMETER] = since.isoformat()
            page = self.get_list("opinions", params)
            if not page:
                return
            skip += len(page)
            for raw in page:
                if not isinstance(raw, dict) or raw.get("id") in (None, ""):
                    continue
                key = str(raw["id"]).strip()
                if key not in seen:
                    seen.add(key)
                    yield raw

    def story(self, raw: dict) -> Story:
        """The story of an opinion, with its responses, tags and health services read
        from the opinion's documented subcollections."""
        base = f"opinions/{quote(str(raw['id']).strip(), safe='')}/"
        return read_story(
            raw,
            responses=self.get_list(base + "responses"),
            tags=self.get_list(base + "tags"),
            health_services=self.get_list(base + "healthservices"),
        )

    def stories(self, since: datetime.date | None = None) -> Iterator[Story]:
        for raw in self.opinions(since):
            yield self.story(raw)

    # --- one request -------------------------------------------------------------

    def get_list(self, path: str, params: dict | None = None) -> list:
        address = urljoin(self.base_url, path)
        if params:
            address += "?" + urlencode(params)
        data = self.get_json(address)
        if not isinstance(data, list):
            raise CareOpinionError(
                f"Care Opinion answered {address} with a JSON {type(data).__name__}, "
                "not the list of entities expected."
            )
        return data

    def get_json(self, address: str) -> object:
        for attempt in range(self.max_retries + 1):
            response = self._send(address)
            if response.status_code != 429:
                return self._json(address, response)
            if attempt == self.max_retries:
                break
            self.sleep(self._reset_wait(response))
        raise CareOpinionError(
            f"Care Opinion kept answering 429 Too Many Requests for {address} "
            f"after {self.max_retries + 1} tries."
        )

    def _send(self, address: str) -> requests.Response:
        self.limiter.wait()
        self.requests_sent += 1
        try:
            return self.session.get(
                address,
                headers={
                    "Authorization": f"SUBSCRIPTION_KEY {self.api_key}",
                    "Accept": "application/json",
                },
                timeout=self.timeout,
            )
        except requests.Timeout:
            raise CareOpinionError(
                f"Care Opinion did not answer {address} within {self.timeout:g} seconds."
            ) from None
        except requests.RequestException as error:
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise CareOpinionError(
                f"Care Opinion could not be reached at {address}: {reason}"
            ) from None

    def _reset_wait(self, response: requests.Response) -> float:
        """Seconds until ``X-RateLimit-Reset`` (epoch seconds), at least a fraction of
        a second and at most ``max_wait``; one second where the header is missing."""
        try:
            reset = float(response.headers["X-RateLimit-Reset"])
        except (KeyError, ValueError):
            return 1.0
        return min(max(reset - self.wall_clock(), 0.2), self.max_wait)

    @staticmethod
    def _refused(address: str, how: str) -> NoReturn:
        raise CareOpinionError(
            f"Care Opinion refused the API key ({how}, for {address}): "
            "check CARE_OPINION_API_KEY is the subscription's HTTP header key."
        )

    def _json(self, address: str, response: requests.Response) -> object:
        status = response.status_code
        kind = response.headers.get("Content-Type", "").lower()
        html = "html" in kind or response.content.lstrip()[:1] == b"<"
        if response.history and (status >= 300 or html):
            # An invalid key is redirected to the sign-in page; a redirect that ends at
            # JSON (say, to the www. address) is followed like any other.
            where = urlsplit(response.url)
            self._refused(address, f"redirected to {where.scheme}://{where.netloc}{where.path}")
        if status in (401, 403) or 300 <= status < 400:
            self._refused(address, f"HTTP {status}")
        if status >= 400:
            raise CareOpinionError(f"Care Opinion answered HTTP {status} for {address}.")
        if html:
            self._refused(address, "an HTML page, not JSON")
        try:
            return response.json()
        except ValueError:
            raise CareOpinionError(f"Care Opinion sent malformed JSON from {address}.") from None


def read_stories(
    since: datetime.date | None = None, *, client: CareOpinionClient | None = None
) -> Iterator[Story]:
    """Every story of the subscription (submitted on or after ``since`` when given),
    oldest published first, with its responses, tags and health services.

    Reads only; raises CareOpinionError, before or part-way through, when Care Opinion
    cannot be read, so a caller that writes should gather what it needs first or write
    in one transaction.
    """
    return (client or CareOpinionClient.from_settings()).stories(since)
