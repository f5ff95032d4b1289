"""Every page of the project needs sign-in, apart from a short, deliberate list.

The test walks the whole URL configuration, so a page added later is covered without
anyone remembering to add a test: signed out, each URL must send the visitor to a
sign-in page (or refuse the method). To make a page public on purpose, add its URL
name to SIGNED_OUT_ALLOWED or put it under /public/. The API (under /api/) is read by
programs, not people: signed out, it answers 401 with a ``WWW-Authenticate`` header
instead of sending anyone to a page, apart from the pages in API_PAGES, which describe
the API for people and need sign-in like every page.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern

pytestmark = pytest.mark.django_db

# The single sign-on provider's round trip is how a signed-out visitor signs in; the page
# of its refusals shows only the visitor's own refusal (tests/oidc).
SIGNED_OUT_ALLOWED = {
    "healthz",
    "login",
    "admin:login",
    "sign_in_provider",
    "sign_in_callback",
    "sign_in_refused",
}
PUBLIC_PREFIX = "/public/"
API_PREFIX = "/api/"
API_PAGES = {"api:docs"}
ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    patterns: tuple
    name: str

    @property
    def description(self) -> str:
        return "".join(str(pattern) for pattern in self.patterns)


def walk(resolver=None, prefix=(), namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from walk(entry, (*prefix, entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield Route((*prefix, entry.pattern), name)


def is_public(route: Route) -> bool:
    return route.name in SIGNED_OUT_ALLOWED or f"/{route.description}".startswith(PUBLIC_PREFIX)


ALL_ROUTES = sorted(walk(), key=lambda route: route.description)
ROUTES = [route for route in ALL_ROUTES if not is_public(route)]


def fill_route(pattern: RoutePattern, values) -> str:
    def replace(match):
        name = match["name"]
        converter = pattern.converters[name]
        for value in values(name):
            if re.fullmatch(converter.regex, value):
                return value
        raise LookupError(f"no value for <{match[0][1:-1]}>")

    return ROUTE_PARAMETER.sub(replace, str(pattern._route))


def fill_regex(regex: str, values) -> str:
    """Replace each group by a value it matches; the rest must be plain text."""
    out, i = [], 0
    while i < len(regex):
        if regex[i] == "(":
            name, body = "", i + 1
            if regex.startswith("(?P<", i):
                body = regex.index(">", i) + 1
                name = regex[i + 4 : body - 1]
            elif regex.startswith("(?:", i):
                body = i + 3
            end = closing_paren(regex, i)
            inner = regex[body:end]
            value = next((v for v in values(name) if re.fullmatch(inner, v)), None)
            if value is None:
                raise LookupError(f"no value for group {name or i!r} ({inner})")
            out.append(value)
            i = end + 1
        elif regex[i] == "\\":
            out.append(regex[i + 1])
            i += 2
        elif regex[i] in "^$":
            i += 1
        elif regex[i] in ")[]{}*+?|.":
            raise LookupError(f"cannot fill {regex!r}")
        else:
            out.append(regex[i])
            i += 1
    return "".join(out)


def closing_paren(regex: str, start: int) -> int:
    depth, j = 0, start
    while True:
        if regex[j] == "\\":
            j += 1
        elif regex[j] == "[":
            j = regex.index("]", j + 2)
        elif regex[j] == "(":
            depth += 1
        elif regex[j] == ")":
            depth -= 1
            if not depth:
                return j
        j += 1


def build_path(route: Route, values) -> str:
    parts = []
    for pattern in route.patterns:
        if isinstance(pattern, RoutePattern):
            parts.append(fill_route(pattern, values))
        else:
            parts.append(fill_regex(pattern.regex.pattern, values))
    return "/" + "".join(parts)


def sign_in_paths():
    return {reverse("login"), reverse("admin:login")}


def lands_on_sign_in(client, response) -> bool:
    """Follow up to three redirects, without fetching the sign-in page itself."""
    for _ in range(3):
        if response.status_code not in (301, 302, 303, 307, 308):
            return False
        target = urlsplit(response["Location"]).path
        if target in sign_in_paths():
            return True
        response = client.get(target)
    return False


def test_the_walk_finds_the_projects_pages():
    names = {route.name for route in ALL_ROUTES}

    assert {"healthz", "login", "admin:index", "home"} <= names
    assert "home" in {route.name for route in ROUTES}


@pytest.mark.parametrize("route", ROUTES, ids=[f"/{route.description}" for route in ROUTES])
def test_signed_out_visitors_are_sent_to_sign_in(client, values, route):
    try:
        path = build_path(route, values)
    except LookupError as error:
        pytest.fail(f"cannot build a URL for {route.description}: {error}; add a value")
    resolve(path)  # a URL that does not resolve would test nothing

    got = client.get(path)
    posted = client.post(path)

    if path.startswith(API_PREFIX) and route.name not in API_PAGES:
        for method, response in (("GET", got), ("POST", posted)):
            assert response.status_code in (401, 405), (
                f"{method} {path} answered {response.status_code} signed out"
            )
        assert got.status_code == 405 or got["WWW-Authenticate"].startswith("Bearer")
        return
    assert lands_on_sign_in(client, got) or got.status_code == 405, (
        f"GET {path} answered {got.status_code} signed out"
    )
    assert lands_on_sign_in(client, posted) or posted.status_code in (403, 404, 405), (
        f"POST {path} answered {posted.status_code} signed out"
    )
