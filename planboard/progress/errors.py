"""What the quarterly cycle refuses."""

from planboard.lib.services import ServiceError


class CycleError(ServiceError):
    """A request the cycle refuses; its message is one sentence for the user."""
