"""The one door for changes: every write of plan data happens inside a named service.

A *service* is a plain function that makes one state change (``submit_update``,
``close_period``, ``save_cover``, ``answer_request``...): it asks a rule of
``planboard.people.permissions`` who may do it, checks the change, records who made it
and why in the history, and runs in one transaction. Views, commands and the admin all
call the service, so none of them can skip the permission check or the history, and an
API added later behaves the same.

``@service`` marks such a function. While it runs, ``current_call()`` tells which
service is writing and whether a permission rule has been asked yet; the permission
rules report themselves with ``permission_asked()``. Nothing here changes what a
service does: the marks are read only by a test that watches every write statement and
fails on one made outside a service, or inside one before any permission was asked, so
the rule stays true as the code grows.
"""

import contextvars
import functools
from dataclasses import dataclass


@dataclass
class ServiceCall:
    """The outermost service running in this context, and whether a rule was asked."""

    name: str
    permission_asked: bool = False


_current: contextvars.ContextVar[ServiceCall | None] = contextvars.ContextVar(
    "planboard_service_call", default=None
)


def service(function):
    """Mark ``function`` as a service. A service called by another joins its call."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        if _current.get() is not None:
            return function(*args, **kwargs)
        token = _current.set(ServiceCall(f"{function.__module__}.{function.__qualname__}"))
        try:
            return function(*args, **kwargs)
        finally:
            _current.reset(token)

    run.is_service = True
    return run


def current_call() -> ServiceCall | None:
    """The service running now, or None outside any service."""
    return _current.get()


def permission_asked() -> None:
    """Note that a permission rule has been asked within the running service."""
    call = _current.get()
    if call is not None:
        call.permission_asked = True


class ServiceError(ValueError):
    """A change a service refuses. Its message is one sentence for the person (a form
    shows it as it is, a command prints it), and ``field`` names what it is about, when
    it is about one thing the person entered."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
