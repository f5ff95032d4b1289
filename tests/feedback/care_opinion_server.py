"""A small, real HTTP server that answers as Care Opinion's API v2 is documented to.

Written from Care Opinion's public documentation and public client code, not from
planboard's reader: the field names are those the documentation and working clients
use (``dateOfSubmission``, ``dateOfPublication``, ``authorRole``, ``criticality``,
``links``; tags' ``name``/``group``/``polarity``; health services' ``nacs``/``name``/
``type``/``organisation``/``siteNacs``; responses' ``changeScore`` (text) and
``changeInt`` (a number)). It checks ``Authorization: SUBSCRIPTION_KEY <key>`` and, for
a wrong key, redirects to an HTML sign-in page as the real service does.

Switches, set on the server between requests: ``rate_limit_on`` (request numbers, from
1, answered 429 with ``X-RateLimit-Reset``), ``malformed_on`` (request numbers answered
with broken JSON), ``status_on`` (request number -> an HTTP status to answer with),
``hang_seconds`` (every answer waits that long first),
``html_instead`` (every API answer is the sign-in page with 200), ``link_shape``
(``"rel"`` for ``rel``/``id``/``href``, ``"relation"`` for ``relation``/``link``/``id``).
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SIGN_IN_PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><title>Sign in - Care Opinion</title></head>
<body><h1>Sign in</h1><form method="post"><input name="email"></form></body></html>
"""


def opinion(ident, *, submitted, published=None, tags=(), services=(), responses=(), **more):
    """An opinion in the documented JSON shape, with its subcollections kept aside."""
    return {
        "id": ident,
        "title": more.pop("title", f"Story {ident}"),
        "body": more.pop("body", f"What happened, story {ident}.\n\n*Thank you*"),
        "dateOfSubmission": submitted,
        "dateOfPublication": published or submitted,
        "criticality": more.pop("criticality", "mildly critical"),
        "progress": "The story has been read by 2 staff",
        "authorRole": more.pop("authorRole", "service user"),
        "authorAgeGroup": "35-44",
        "submissionRoute": "web",
        **more,
        "_tags": list(tags),
        "_services": list(services),
        "_responses": list(responses),
    }


class CareOpinionServer:
    """Serves ``stories`` (made by ``opinion``) on 127.0.0.1 at a free port."""

    def __init__(self, stories=(), *, key="good-key"):
        self.stories = list(stories)
        self.key = key
        self.rate_limit_on: set[int] = set()
        self.reset_in_seconds = 1
        self.malformed_on: set[int] = set()
        self.status_on: dict[int, int] = {}
        self.hang_seconds = 0.0
        self.html_instead = False
        self.link_shape = "rel"
        self.requests: list[tuple[str, dict, float]] = []  # path, query, time.monotonic()
        self.headers_seen: list[str | None] = []
        self._lock = threading.Lock()
        self._release = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self):
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/api/v2/"

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._release.set()
        if self._thread.is_alive():
            self._httpd.shutdown()
        self._httpd.server_close()

    def reset(self, stories=None):
        """Switches off, the request log emptied (and the stories replaced if given)."""
        if stories is not None:
            self.stories = list(stories)
        self.rate_limit_on, self.malformed_on, self.status_on = set(), set(), {}
        self.hang_seconds, self.html_instead, self.link_shape = 0.0, False, "rel"
        self.requests.clear()
        self.headers_seen.clear()

    # --- answers --------------------------------------------------------------

    def _link(self, rel, ident, href):
        if self.link_shape == "relation":
            return {"relation": rel, "link": href, "id": str(ident)}
        return {"rel": rel, "id": str(ident), "href": href}

    def _public(self, story):
        base = f"{self.url}opinions/{story['id']}"
        shown = {name: value for name, value in story.items() if not name.startswith("_")}
        shown["links"] = [
            self._link("self", story["id"], base),
            self._link("tags", story["id"], base + "/tags"),
            self._link("healthservices", story["id"], base + "/healthservices"),
            self._link("responses", story["id"], base + "/responses"),
        ]
        return shown

    def answer(self, path, query):
        """(status, headers, body) for a GET the key was right for."""
        parts = path.removeprefix("/api/v2/").strip("/").split("/")
        if parts == ["opinions"]:
            since = query.get("submittedonafter", [""])[0]
            chosen = [s for s in self.stories if s["dateOfSubmission"][:10] >= since]
            chosen.sort(key=lambda story: story["dateOfPublication"])
            skip = int(query.get("skip", ["0"])[0])
            take = min(int(query.get("take", ["100"])[0]), 100)
            return 200, {}, [self._public(s) for s in chosen[skip : skip + take]]
        if len(parts) in (2, 3) and parts[0] == "opinions":
            story = next((s for s in self.stories if str(s["id"]) == parts[1]), None)
            if story is None:
                return 404, {}, {"message": "Not found"}
            if len(parts) == 2:
                return 200, {}, self._public(story)
            field = {"tags": "_tags", "healthservices": "_services", "responses": "_responses"}
            if parts[2] in field:
                return 200, {}, story[field[parts[2]]]
        return 404, {}, {"message": "Not found"}


def _handler(server):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet in tests
            pass

        def _send(self, status, headers, body, kind="application/json; charset=utf-8"):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):  # noqa: N802 - http.server's name
            split = urlsplit(self.path)
            if split.path.startswith("/old/api/v2/"):  # an address that has moved
                moved = self.path.removeprefix("/old")
                return self._send(301, {"Location": moved}, b"", "text/html")
            if split.path == "/Account/SignIn":
                return self._send(200, {}, SIGN_IN_PAGE, "text/html; charset=utf-8")
            with server._lock:
                server.requests.append((split.path, parse_qs(split.query), time.monotonic()))
                server.headers_seen.append(self.headers.get("Authorization"))
                number = len(server.requests)
            if server.hang_seconds:
                server._release.wait(server.hang_seconds)
            if self.headers.get("Authorization") != f"SUBSCRIPTION_KEY {server.key}":
                target = f"/Account/SignIn?ReturnUrl={split.path}"
                return self._send(302, {"Location": target}, b"", "text/html")
            if server.html_instead:
                return self._send(200, {}, SIGN_IN_PAGE, "text/html; charset=utf-8")
            if number in server.rate_limit_on:
                reset = str(int(time.time()) + server.reset_in_seconds)
                headers = {
                    "X-RateLimit-Limit": "5",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": reset,
                }
                return self._send(429, headers, b'{"message": "Too many requests"}')
            if number in server.status_on:
                return self._send(server.status_on[number], {}, b'{"message": "Refused"}')
            if number in server.malformed_on:
                return self._send(200, {}, b'[{"id": 1, "title": "cut off')
            status, headers, data = server.answer(split.path, parse_qs(split.query))
            return self._send(status, headers, json.dumps(data).encode())

    return Handler
