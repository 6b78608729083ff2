"""Discard stored guidance when what it was computed from changes: the learner's results and enrolments, or the
catalog, its pathways and skill mappings (for everyone)."""

from .models import LearnerGuidance
from .services import invalidate, invalidate_all


def attempt_saved(sender, instance, **kwargs):
    LearnerGuidance.objects.filter(learner__enrolments=instance.enrolment_id).delete()


def enrolment_saved(sender, instance, **kwargs):
    invalidate(learner_ids=[instance.learner_id])


def catalog_changed(sender, **kwargs):
    if kwargs.get("action", "post_").startswith("post_"):
        invalidate_all()
