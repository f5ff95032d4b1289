"""Keep actions' RAG levels in step with the scale.

An action keeps its rating as written (``rag_text``); when a level or an alias is
added, renamed or removed, every action of the strategy is matched again, so adding
"Yellow" as an alias of Amber resolves the paper's Yellow ratings without re-importing.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from planboard.plans.models import RagLevel
from planboard.plans.rag import relink_ratings


@receiver(post_save, sender=RagLevel)
@receiver(post_delete, sender=RagLevel)
def rag_scale_changed(sender, instance, **kwargs):
    relink_ratings(instance.strategy_id)
