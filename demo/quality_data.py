"""Demo answers to the learner surveys (invited when the demo results were finalised), a program due for
review, and a demo employer's member who can rate credentials the employer verified."""

import random
from datetime import timedelta

from django.utils import timezone

from awards.services import award_request
from catalog.models import Program
from learners.models import Enrolment
from partners.models import PartnerMember, PartnerOrganisation, VerifiedCredential
from quality import services
from quality.models import SurveyResponse


def load_quality(*, partner_user):
    rng = random.Random(2026)
    now = timezone.now()
    # The invitations are also made when a result's transaction commits; asking again is harmless (one each).
    for enrolment_id in Enrolment.objects.filter(status__in=["completed", "withdrawn"]).values_list("pk", flat=True):
        services.survey_invite(enrolment_id)
    # Most learners answer; the demo learner (the one with a login) is left to try the survey.
    unanswered = SurveyResponse.objects.filter(submitted_at=None, enrolment__learner__user__isnull=True)
    for survey in unanswered:
        if rng.random() < 0.8:
            survey.relevance, survey.fairness = rng.choice([3, 4, 4, 5, 5]), rng.choice([3, 4, 5, 5])
            survey.workload = rng.choice([-1, 0, 0, 0, 1, 1, 2])
            survey.submitted_at = now
            survey.save()
    # Published a year ago, so it is due for review on the dashboard.
    Program.objects.published().filter(code="DATA-101").update(published_at=now - timedelta(days=360))
    partner = PartnerOrganisation.objects.get(name="Demo Employer Ltd")
    PartnerMember.objects.update_or_create(user=partner_user, defaults={"organisation": partner})
    completed = Enrolment.objects.filter(program__code="DATA-102", status="completed").select_related("learner")
    for enrolment in completed.order_by("pk")[:3]:
        # The award is requested when the result's transaction commits; requesting it here is the same request.
        award, _ = award_request(learner=enrolment.learner, program=enrolment.program, enrolment=enrolment)
        VerifiedCredential.objects.get_or_create(organisation=partner, award=award)
