from . import services


def invite_to_survey(sender, *, enrolment_id, **event):
    """learners announced that an enrolment was completed or withdrawn (after its transaction committed)."""
    services.survey_invite(enrolment_id)
