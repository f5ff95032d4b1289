"""Small builders for the quarterly cycle: periods and updates, and the cast's people."""

import datetime

from planboard.progress.services import open_period, submit_update
from tests.cast import board_member, governance, lead, make_user, reviewer

__all__ = [
    "board_member",
    "governance",
    "lead",
    "make_user",
    "open_quarter",
    "reviewer",
    "submit",
]

Q4 = "2016/17 Q4"  # January to March 2017
Q3 = "2016/17 Q3"  # October to December 2016
IN_Q4 = datetime.date(2017, 2, 13)
MARCH = datetime.date(2017, 3, 31)
JUNE = datetime.date(2017, 6, 30)


def open_quarter(strategy, label=Q4):
    return open_period(strategy, label, user=None)


def submit(action, user, narrative="Progress this quarter.", **fields):
    return submit_update(action, user=user, narrative=narrative, **fields)
