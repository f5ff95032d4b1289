"""The dependency audit fails on a known vulnerability and says so in one line when it
could not look anything up, instead of passing in silence."""

import json
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit-dependencies"


@pytest.fixture(scope="module")
def verdict():
    loader = SourceFileLoader("audit_dependencies", str(SCRIPT))
    module = module_from_spec(spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module.verdict


def report(*packages):
    return json.dumps({"dependencies": list(packages), "fixes": []})


def test_a_known_vulnerability_fails_the_audit_and_is_named(verdict):
    status, lines = verdict(
        report(
            {
                "name": "django",
                "version": "5.2.1",
                "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.2"], "aliases": []}],
            },
            {"name": "lxml", "version": "6.0.0", "vulns": []},
        ),
        "",
        1,
    )
    assert status == 1
    assert lines[0] == "django 5.2.1: PYSEC-2025-1 (fixed in 5.2.2)"
    assert lines[-1] == "dependency audit failed: known vulnerabilities in 1 package"


def test_packages_with_no_known_vulnerability_pass(verdict):
    status, lines = verdict(
        report(
            {"name": "lxml", "version": "6.0.0", "vulns": []},
            {"name": "private", "skip_reason": "Dependency not found on PyPI"},
        ),
        "",
        0,
    )
    assert (status, lines) == (
        0,
        [
            "dependency audit passed: no known vulnerabilities in 1 package; "
            "1 could not be looked up"
        ],
    )


def test_an_audit_that_looked_nothing_up_is_skipped_with_a_line(verdict):
    status, lines = verdict(
        report({"name": "lxml", "skip_reason": "Dependency not found on PyPI"}), "", 0
    )
    assert status == 0
    assert lines == [
        "dependency audit skipped: could not look up any of the 1 package installed in the "
        "vulnerability database (it cannot be reached from here)"
    ]


def test_no_route_to_the_database_is_skipped_with_the_reason(verdict):
    status, lines = verdict("", "Traceback ...\nConnectionError: no route to host\n", 1)
    assert status == 0
    assert lines == [
        "dependency audit skipped: the vulnerability database could not be reached "
        "(ConnectionError: no route to host)"
    ]
