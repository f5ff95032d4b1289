"""Signals other apps listen to, so the cycle need not know about them.

``period_closed`` is sent inside the transaction that closes a period, with the
period and the user; a receiver that fails rolls the close back.
"""

from django.dispatch import Signal

period_closed = Signal()
