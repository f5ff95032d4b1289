"""The code stays readable: modules short enough to read in one sitting, and apps that
import each other one way only, so each app can be understood from those it builds on."""

import ast
from collections import defaultdict
from pathlib import Path

import planboard

PACKAGE = Path(planboard.__file__).parent
MAX_LINES = 400
# Over the limit today and being split as part of other work: remove each as it shrinks.
LONG_FOR_NOW: set[str] = set()
# An app that imports one which imports it back, and why it still does: remove each
# once the shared code has moved (to ``lib``, or to the app that owns it).
BACK_IMPORTS: dict[tuple[str, str], str] = {}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" not in path.relative_to(PACKAGE).parts:
            yield path


def _app_imports() -> dict[tuple[str, str], list[str]]:
    """(app, app it imports) -> the imports that make the link, for every import anywhere
    in a module of an app (``lib`` counts as one); the project's own modules are left out."""
    links = defaultdict(list)
    for path in _modules():
        parts = path.relative_to(PACKAGE).parts
        if len(parts) < 2:
            continue  # settings, urls, cli: the project, which may import every app
        app = parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                target = name.split(".")
                if target[0] == "planboard" and len(target) > 1 and target[1] != app:
                    if (PACKAGE / target[1]).is_dir():
                        links[(app, target[1])].append(f"{'/'.join(parts)}:{node.lineno} {name}")
    return links


def _cycle(edges) -> list[str]:
    """One cycle in the graph of ``edges``, as the apps along it, or [] if there is none."""
    graph = defaultdict(set)
    for app, other in edges:
        graph[app].add(other)
    done, path = set(), []

    def visit(app):
        if app in path:
            return path[path.index(app) :] + [app]
        if app in done:
            return []
        path.append(app)
        for other in sorted(graph[app]):
            if found := visit(other):
                return found
        path.pop()
        done.add(app)
        return []

    for app in sorted(graph):
        if found := visit(app):
            return found
    return []


def _reaches(edges, start: str, goal: str) -> bool:
    """Whether ``start`` imports ``goal``, directly or through other apps."""
    seen, waiting = set(), [start]
    while waiting:
        app = waiting.pop()
        seen.add(app)
        for first, then in edges:
            if first == app and then == goal:
                return True
            if first == app and then not in seen:
                waiting.append(then)
    return False


def test_no_module_is_longer_than_a_sitting():
    long = {
        str(path.relative_to(PACKAGE)): lines
        for path in _modules()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    new = {name: lines for name, lines in long.items() if name not in LONG_FOR_NOW}
    assert not new, f"over {MAX_LINES} lines: {new}; split the module along its seams"
    assert LONG_FOR_NOW - set(long) == set(), "now short enough: take it out of LONG_FOR_NOW"


def test_apps_import_each_other_one_way_only():
    links = _app_imports()
    cycle = _cycle(set(links) - set(BACK_IMPORTS))
    assert not cycle, "the apps import each other in a circle: " + "; ".join(
        f"{app} -> {other} ({links[(app, other)][0]})"
        for app, other in zip(cycle, cycle[1:], strict=False)
    )
    gone = {
        (app, other)
        for app, other in BACK_IMPORTS
        if (app, other) not in links or not _reaches(links, other, app)
    }
    assert not gone, f"no longer imported back: take {sorted(gone)} out of BACK_IMPORTS"
