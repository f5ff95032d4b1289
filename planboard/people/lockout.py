"""Sign-in lock-out, counted by account and by address separately.

django-axes counts failed sign-ins by each lockout parameter but holds every count to one
limit, so with ``["username", "ip_address"]`` five failures on one account from an office
address locked every account signing in from that office, and the page then named
whichever account asked next. Here each count has its own limit, within the cool-off:

- an account is locked after ``AXES_FAILURE_LIMIT`` failures (``SIGNIN_FAILURE_LIMIT``)
  from anywhere, so moving to another address does not buy more guesses;
- an address is locked after ``SIGNIN_ADDRESS_FAILURE_LIMIT`` failures across all
  accounts, so one client cannot try a few passwords on each of many accounts.

A successful sign-in forgets only that account's own failures: forgetting the address's
(as axes does) would let anyone with an account clear the count between guesses at
someone else's.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class SignInLockout(AxesDatabaseHandler):
    """axes' database handler, with a limit for the account and another for the address."""

    def get_failures(self, request, credentials=None) -> int:
        """The failures held against the account limit, which axes compares with it.

        They are the account's own, or the whole limit once the address has reached its
        own limit: either lock refuses the sign-in.
        """
        account, address = self.failures(request, credentials)
        address_limit = settings.SIGNIN_ADDRESS_FAILURE_LIMIT
        if address_limit and address >= address_limit:
            return max(account, get_failure_limit(request, credentials))
        return account

    def failures(self, request, credentials=None) -> tuple[int, int]:
        """Recent failures (within the cool-off) of the account asked for, and of the address."""
        recent = AccessAttempt.objects.all()
        if settings.AXES_COOLOFF_TIME is not None:
            recent = recent.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        account = _total(recent.filter(username=username)) if username else 0
        return account, _total(recent.filter(ip_address=request.axes_ip_address))

    def reset_user_attempts(self, request, credentials=None) -> int:
        """After a successful sign-in, forget that account's failures and nobody else's."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def _total(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
