from . import forecast, services


def issue_on_achievement(sender, **event):
    """learners announced a passing, finalised attempt (after its transaction committed)."""
    services.award_for_achievement(**event)


def forecast_achievements(sender, *, achievements, **kwargs):
    """learners asks what finalising these passes will issue: the credentials and the stacked awards to follow."""
    return forecast.achievements_consequences(achievements)
