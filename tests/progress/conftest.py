"""A small plan with its people: governance, two leads, a board member, an open quarter."""

from types import SimpleNamespace

from tests.builders import make_action, make_role, make_strategy, make_theme
from tests.cast import lead
from tests.progress.cycle import JUNE, open_quarter
from tests.shared import shared


@shared
def plan(cast):
    """Two actions led by different roles, in a strategy with Q4 2016/17 open.

    ``review`` (1.1) is led by the Engagement Manager (Mia), ``mapping`` (1.2) by the
    Head of SUEMU (Jane); Gail is governance and Bob a board member.
    """
    strategy = make_strategy(slug="sue", title="Service User Engagement Strategy")
    theme = make_theme(strategy, title="Focussed Culture Change", commitments=2)
    em = make_role(strategy, "Engagement Manager", "EM")
    head = make_role(strategy, "Head of SUEMU")
    review = make_action(
        theme, "Review the structure of SUSEG meetings.", rating="Green", leads=[em]
    )
    mapping = make_action(
        theme, "Map engagement across directorates.", rating="Amber", leads=[head], target=JUNE
    )
    return SimpleNamespace(
        strategy=strategy,
        theme=theme,
        em=em,
        head=head,
        review=review,
        mapping=mapping,
        gail=cast.gail,
        mia=lead(strategy, [em], "mia"),
        jane=lead(strategy, [head], "jane"),
        bob=cast.bob,
        period=open_quarter(strategy),
        levels={level.label: level for level in strategy.rag_levels.all()},
    )
