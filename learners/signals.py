"""Domain events the learners app announces to the rest of the system.

``achievement_earned`` is sent after the transaction that finalised a passing attempt commits, with
``learner_id``, ``program_id``, ``enrolment_id`` and ``attempt_id``. The awards app listens to it to issue
the credential; learners never imports awards.

``enrolment_ended`` is sent after the transaction that completed or withdrew an enrolment commits, with
``enrolment_id`` and ``status``. The quality app listens to it to invite the learner to the program survey.
"""

from django.dispatch import Signal

achievement_earned = Signal()
enrolment_ended = Signal()
