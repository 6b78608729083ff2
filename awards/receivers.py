from . import services


def issue_on_achievement(sender, **event):
    """learners announced a passing, finalised attempt (after its transaction committed)."""
    services.award_for_achievement(**event)
