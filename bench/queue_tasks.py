"""A task for bench/task_queue.py only: it does nothing, so the time it waits is the queue's."""

from django_tasks import task


@task()
def nothing() -> None:
    """Return at once."""
