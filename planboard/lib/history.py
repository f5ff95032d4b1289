"""Who made a change and why, for the history every plan record keeps.

django-simple-history writes a history row whenever a tracked record is saved. In a web
request it takes the user from the request; everywhere else (commands, imports, the
services called from either) the service says who acted and why with ``attribute``
before it saves.
"""

REASON_LIMIT = 100  # the history tables' change-reason column


def attribute(instance, user, reason: str):
    """Mark ``instance``'s next history row as ``user``'s (None: the command line), with
    ``reason``; returns the instance."""
    instance._history_user = user
    instance._change_reason = reason[:REASON_LIMIT]
    return instance
