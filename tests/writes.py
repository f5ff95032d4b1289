"""Watching every write statement: plan data changes only inside a service that asked a
permission rule first (see ``planboard.lib.services``).

``WriteWatch`` sees each SQL statement a connection runs. While a request is handled or
a management command runs, an INSERT, UPDATE or DELETE of a table of the apps that hold
plan data is allowed only inside a ``@service`` call that has already asked one of
``planboard.people.permissions``' rules. The test suite's ``writes_go_through_services``
fixture watches every test this way, so any view or command that writes a model itself
fails the test that drives it.
"""

import re
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.base import BaseCommand
from django.core.signals import request_finished, request_started
from django.db import connections

from planboard.lib.services import current_call

# The apps whose records change only through services: everything but accounts, sessions
# and sign-in (API tokens included: they are made, revoked and counted by services).
GUARDED_APPS = (
    "plans",
    "people",
    "progress",
    "papers",
    "public",
    "feedback",
    "engagement",
    "imports",
    "notifications",
    "api",
)
# Commands that write the database as a whole, below the level of its records.
WHOLE_DATABASE_COMMANDS = {"migrate", "flush", "loaddata", "restore", "createcachetable"}

_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.I)


def guarded_tables() -> set[str]:
    """Every table of the guarded apps: models, their history and their link tables."""
    return {
        model._meta.db_table
        for label in GUARDED_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


@dataclass
class Write:
    table: str
    service: str | None
    permission_asked: bool

    @property
    def allowed(self) -> bool:
        return self.service is not None and self.permission_asked


@dataclass
class WriteWatch:
    """The guarded writes seen while a request or command ran, and which broke the rule."""

    tables: set[str] = field(default_factory=guarded_tables)
    depth: int = 0
    writes: list[Write] = field(default_factory=list)

    def __call__(self, execute, sql, params, many, context):
        if self.depth:
            match = _WRITE.match(sql)
            if match and match.group(1) in self.tables:
                call = current_call()
                self.writes.append(
                    Write(
                        match.group(1),
                        call.name if call else None,
                        bool(call and call.permission_asked),
                    )
                )
        return execute(sql, params, many, context)

    @property
    def broken(self) -> list[Write]:
        return [write for write in self.writes if not write.allowed]

    def entered(self, **kwargs):
        self.depth += 1

    def left(self, **kwargs):
        self.depth = max(0, self.depth - 1)


@contextmanager
def watching_writes():
    """Watch every connection's writes during requests and commands; yields the watch."""
    watch = WriteWatch()
    original_execute = BaseCommand.execute

    def execute(command, *args, **options):
        if command.__module__.rsplit(".", 1)[-1] in WHOLE_DATABASE_COMMANDS:
            return original_execute(command, *args, **options)
        watch.entered()
        try:
            return original_execute(command, *args, **options)
        finally:
            watch.left()

    uid = f"write-watch-{id(watch)}"
    request_started.connect(watch.entered, dispatch_uid=uid)
    request_finished.connect(watch.left, dispatch_uid=uid)
    BaseCommand.execute = execute
    try:
        with ExitStack() as wrappers:
            for connection in connections.all():
                wrappers.enter_context(connection.execute_wrapper(watch))
            yield watch
    finally:
        BaseCommand.execute = original_execute
        request_started.disconnect(dispatch_uid=uid)
        request_finished.disconnect(dispatch_uid=uid)


def describe(writes: list[Write]) -> str:
    return "; ".join(
        f"{write.table} outside any service"
        if write.service is None
        else f"{write.table} in {write.service} before it asked a permission rule"
        for write in writes
    )
