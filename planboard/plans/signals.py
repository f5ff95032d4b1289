"""Keep actions' RAG levels in step with the scale, and tell other apps of plan changes.

An action keeps its rating as written (``rag_text``); when a level or an alias is
added, renamed or removed, every action of the strategy is matched again, so adding
"Yellow" as an alias of Amber resolves the paper's Yellow ratings without re-importing.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from planboard.plans.models import RagLevel
from planboard.plans.rag import relink_ratings

# Sent by the plan's services inside their transaction (a receiver that fails rolls the
# change back), so the public page can keep to what was published without the plan
# knowing about it: ``theme_added`` and ``commitment_added`` with the new ``record`` and
# the ``user``; ``wording_changing`` with the ``record`` (a theme or a commitment) as it
# is before its title or words change.
theme_added = Signal()
commitment_added = Signal()
wording_changing = Signal()


@receiver(post_save, sender=RagLevel)
@receiver(post_delete, sender=RagLevel)
def rag_scale_changed(sender, instance, **kwargs):
    relink_ratings(instance.strategy_id)
