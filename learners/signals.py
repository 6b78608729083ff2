"""Domain events the learners app announces to the rest of the system.

``achievement_earned`` is sent after the transaction that finalised a passing attempt commits, with
``learner_id``, ``program_id``, ``enrolment_id`` and ``attempt_id``. The awards app listens to it to issue
the credential; learners never imports awards.

``enrolment_ended`` is sent after the transaction that completed or withdrew an enrolment commits, with
``enrolment_id`` and ``status``. The quality app listens to it to invite the learner to the program survey.

``achievements_forecast`` is a question, not an event: sent *before* passing results are finalised in bulk, with
``achievements`` (a list of ``(learner_id, program_id)``), it asks what finalising them will set off. Each
receiver answers with an ``AchievementConsequences`` (``Signal.send`` returns ``[(receiver, answer)]``), so the
results import can tell the registrar what was issued without learners importing awards.
"""

from dataclasses import dataclass

from django.dispatch import Signal

achievement_earned = Signal()
enrolment_ended = Signal()
achievements_forecast = Signal()


@dataclass(frozen=True)
class AchievementConsequences:
    credentials: int = 0  # credentials that will be requested (a learner already holding one gets no second)
    stacked_awards: tuple[str, ...] = ()  # one title per stacked award its pathway will then request

    def __add__(self, other):
        return AchievementConsequences(self.credentials + other.credentials, self.stacked_awards + other.stacked_awards)


def forecast_achievements(achievements) -> AchievementConsequences:
    """What finalising ``achievements`` (``(learner_id, program_id)`` pairs) will set off, by every receiver."""
    total = AchievementConsequences()
    if not achievements:
        return total
    for _receiver, answer in achievements_forecast.send(sender=None, achievements=list(achievements)):
        if isinstance(answer, AchievementConsequences):
            total += answer
    return total
