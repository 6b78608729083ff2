"""Discard stored guidance when what it was computed from changes: the learner's results, enrolments and
recognised credentials of other issuers, or the catalog, its pathways and skill mappings (for everyone)."""

from .models import LearnerGuidance
from .services import invalidate, invalidate_all


def attempt_saved(sender, instance, **kwargs):
    LearnerGuidance.objects.filter(learner__enrolments=instance.enrolment_id).delete()


def learner_changed(sender, instance, **kwargs):
    """An enrolment or a foreign credential of the learner was saved."""
    invalidate(learner_ids=[instance.learner_id])


def catalog_changed(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):
        invalidate_all()
