"""Small numbers of people, kept back wherever engagement is shared (the board paper,
the public summary): a count of 1 to 4 people reads "fewer than 5", so nobody can be
picked out of it, and a figure that would let someone work such a count out (an amount
shared by so few, a total beside it) is not shown. Pure: no Django needed."""

SMALL = 5
FEWER_THAN = f"fewer than {SMALL}"


def is_small(count: int) -> bool:
    """A count of people too small to show: 1 to ``SMALL`` - 1 (none is no one)."""
    return 0 < count < SMALL


def people_shown(count: int) -> str:
    """A count of people as a shared page shows it: 1 to 4 is "fewer than 5"."""
    return FEWER_THAN if is_small(count) else str(count)
