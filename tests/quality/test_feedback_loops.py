"""Learner surveys, outcome follow-ups and employer feedback: each invited once, answered once, and only by
the person it is for."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from awards.models import Award
from learners import services as learner_services
from partners.models import PartnerMember, PartnerOrganisation, VerifiedCredential
from quality import services
from quality.models import EmployerFeedback, OutcomeFollowUp, SurveyResponse
from tests.factories import (
    AlignmentFactory,
    EnrolmentFactory,
    UserFactory,
    assessable_enrolment,
    learner_user,
    record_pass,
    results_recorded_without_awards,
)

pytestmark = pytest.mark.django_db


def test_completing_a_program_invites_the_learner_to_its_survey_once(registrar, django_capture_on_commit_callbacks):
    enrolment = assessable_enrolment()
    with django_capture_on_commit_callbacks(execute=True), results_recorded_without_awards():
        record_pass(enrolment, registrar)
    survey = SurveyResponse.objects.get(enrolment=enrolment)
    assert survey.emailed_at is not None and not survey.is_answered
    assert [message.to for message in mail.outbox] == [[enrolment.learner.email]]
    assert reverse("quality:survey", args=[survey.pk]) in mail.outbox[0].body
    services.survey_invite(enrolment.pk)  # a repeated event
    assert services.survey_email(survey.pk) is False and len(mail.outbox) == 1
    assert SurveyResponse.objects.filter(enrolment=enrolment).count() == 1


def test_withdrawing_invites_the_learner_too(registrar, django_capture_on_commit_callbacks):
    enrolment = EnrolmentFactory()
    with django_capture_on_commit_callbacks(execute=True):
        learner_services.enrolment_withdraw(enrolment=enrolment, user=registrar)
    assert SurveyResponse.objects.get(enrolment=enrolment).emailed_at is not None
    assert "You have left" in mail.outbox[0].body


def test_an_active_enrolment_gets_no_survey():
    assert services.survey_invite(EnrolmentFactory().pk) is None
    assert not SurveyResponse.objects.exists()


def test_a_survey_is_answered_once_and_only_by_its_learner():
    enrolment = EnrolmentFactory(status="completed")
    survey = SurveyResponse.objects.create(enrolment=enrolment)
    answers = {"relevance": 4, "workload": 1, "fairness": 5, "comments": "Good"}
    with pytest.raises(PermissionDenied):
        services.survey_submit(survey, learner=EnrolmentFactory().learner, **answers)
    services.survey_submit(survey, learner=enrolment.learner, **answers)
    with pytest.raises(ValidationError, match="already answered"):
        services.survey_submit(survey, learner=enrolment.learner, **answers)
    survey.refresh_from_db()
    assert (survey.relevance, survey.workload, survey.fairness, survey.comments) == (4, 1, 5, "Good")


def test_the_learner_answers_the_survey_in_the_portal_and_another_learner_gets_404(client):
    enrolment = EnrolmentFactory(status="completed")
    learner_user(enrolment.learner)
    survey = SurveyResponse.objects.create(enrolment=enrolment)
    url = reverse("quality:survey", args=[survey.pk])
    client.force_login(learner_user().user)
    assert client.get(url).status_code == 404
    client.force_login(enrolment.learner.user)
    response = client.post(url, {"relevance": "3"})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    response = client.post(url, {"relevance": "3", "workload": "-1", "fairness": "4", "comments": ""})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert (survey.relevance, survey.workload, survey.fairness) == (3, -1, 4) and survey.is_answered


def _issued(months_ago, **extra):
    enrolment = EnrolmentFactory(status="completed")
    return Award.objects.create(
        learner=enrolment.learner,
        program=enrolment.program,
        enrolment=enrolment,
        status=Award.Status.ISSUED,
        issued_at=timezone.now() - datetime.timedelta(days=31 * months_ago),
        status_list_index=Award.objects.count() + 1,
        **extra,
    )


def test_the_follow_up_job_invites_each_graduate_once_at_3_and_once_at_6_months(django_capture_on_commit_callbacks):
    four, seven, recent = _issued(4), _issued(7), _issued(1)
    revoked = _issued(7, revoked_at=timezone.now())
    for _ in range(2):  # beat runs it every day
        with django_capture_on_commit_callbacks(execute=True):
            services.follow_ups_invite()
    assert sorted(OutcomeFollowUp.objects.values_list("award_id", "months")) == sorted(
        [(four.pk, 3), (seven.pk, 3), (seven.pk, 6)]
    )
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [four.learner.email, seven.learner.email, seven.learner.email]
    )
    assert not OutcomeFollowUp.objects.filter(award__in=[recent, revoked]).exists()


def test_a_follow_up_is_answered_once_by_its_learner():
    follow_up = OutcomeFollowUp.objects.create(award=_issued(4), months=3)
    answers = {"new_job": True, "promotion": False, "pay_rise": False, "used_skills": True}
    with pytest.raises(PermissionDenied):
        services.follow_up_submit(follow_up, learner=EnrolmentFactory().learner, **answers)
    services.follow_up_submit(follow_up, learner=follow_up.award.learner, **answers)
    with pytest.raises(ValidationError):
        services.follow_up_submit(follow_up, learner=follow_up.award.learner, **answers)


@pytest.fixture
def verified():
    """An award with one aligned competency, verified by Acme, whose member is ``verified.member``."""
    award = _issued(2)
    AlignmentFactory(program=award.program)
    organisation = PartnerOrganisation.objects.create(name="Acme", contact_email="hr@acme.example")
    VerifiedCredential.objects.create(organisation=organisation, award=award)
    award.member = PartnerMember.objects.create(user=UserFactory(), organisation=organisation).user
    return award


def test_a_partner_member_rates_a_verified_credential_per_competency(verified, client):
    competency = verified.program.alignments.get().competency
    client.force_login(verified.member)
    page = client.get(reverse("quality:partner-feedback"))
    assert page.status_code == 200 and verified.program.title in page.content.decode()
    url = reverse("quality:partner-feedback-award", args=[verified.pk])
    response = client.post(url, {f"competency_{competency.pk}": "4", "comment": "Spot on"})
    assert response.status_code == 302
    client.post(url, {f"competency_{competency.pk}": "5", "comment": "Even better"})  # replaces, never duplicates
    feedback = EmployerFeedback.objects.get()
    assert (feedback.rating, feedback.comment, feedback.given_by) == (5, "Even better", verified.member)


def test_only_a_credential_the_partner_verified_can_be_rated(verified):
    other = _issued(2)
    with pytest.raises(PermissionDenied):
        services.employer_feedback_record(user=verified.member, award=other, ratings={1: 4})


@pytest.fixture
def unverifiable(verified):
    """The partner's only check of the award came back "unverifiable": it is recorded, not a verification."""
    VerifiedCredential.objects.filter(award=verified).update(verdict="unverifiable", verified_at=None)
    return verified


def test_a_credential_the_partner_could_not_verify_cannot_be_rated(unverifiable, client):
    with pytest.raises(PermissionDenied):
        services.employer_feedback_record(user=unverifiable.member, award=unverifiable, ratings={1: 4})
    client.force_login(unverifiable.member)
    assert unverifiable.program.title not in client.get(reverse("quality:partner-feedback")).content.decode()
    assert client.get(reverse("quality:partner-feedback-award", args=[unverifiable.pk])).status_code == 404


def test_ratings_must_name_the_credential_s_competencies(verified):
    with pytest.raises(ValidationError):
        services.employer_feedback_record(user=verified.member, award=verified, ratings={10_000: 4})


def test_someone_who_does_not_act_for_a_partner_gets_403(client, verified):
    client.force_login(UserFactory())
    assert client.get(reverse("quality:partner-feedback")).status_code == 403
    verified.member.partner_member.organisation.is_active = False
    verified.member.partner_member.organisation.save()
    client.force_login(verified.member)
    assert client.get(reverse("quality:partner-feedback")).status_code == 403


def test_the_partner_pages_never_show_the_holder_s_name(verified, client):
    client.force_login(verified.member)
    pages = [reverse("quality:partner-feedback"), reverse("quality:partner-feedback-award", args=[verified.pk])]
    for url in pages:
        html = client.get(url).content.decode()
        assert verified.learner.display_name not in html and verified.learner.legal_name not in html


def test_staff_see_whether_a_survey_was_answered_never_the_answers(registrar_client):
    enrolment = EnrolmentFactory(status="completed")
    survey = SurveyResponse.objects.create(enrolment=enrolment)
    services.survey_submit(survey, learner=enrolment.learner, relevance=4, workload=1, fairness=2, comments="Secret")
    follow_up = OutcomeFollowUp.objects.create(award=_issued(4), months=3)
    services.follow_up_submit(
        follow_up, learner=follow_up.award.learner, new_job=True, promotion=False, pay_rise=False, used_skills=True
    )
    for model, pk in (("surveyresponse", survey.pk), ("outcomefollowup", follow_up.pk)):
        for url in (f"/admin/quality/{model}/", f"/admin/quality/{model}/{pk}/change/"):
            html = registrar_client.get(url).content.decode()
            assert "Secret" not in html and "relevance" not in html.lower() and "new job" not in html.lower()


@pytest.mark.parametrize(
    "hostile",
    [
        {"relevance": "6", "workload": "0", "fairness": "3"},  # out of range
        {"relevance": "3", "workload": "-3", "fairness": "3"},
        {"relevance": "three", "workload": "0", "fairness": "3"},  # wrong type
        {"relevance": "3", "workload": "0", "fairness": "3", "comments": "x" * 5000},  # over the limit
    ],
)
def test_a_hostile_survey_answer_gets_a_field_error_and_saves_nothing(client, hostile):
    enrolment = EnrolmentFactory(status="completed")
    learner_user(enrolment.learner)
    survey = SurveyResponse.objects.create(enrolment=enrolment)
    client.force_login(enrolment.learner.user)
    response = client.post(reverse("quality:survey", args=[survey.pk]), hostile)
    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    survey.refresh_from_db()
    assert not survey.is_answered and survey.relevance is None


@pytest.mark.parametrize("rating", ["0", "9", "abc", ""])
def test_a_hostile_employer_rating_gets_a_field_error_and_saves_nothing(verified, client, rating):
    competency = verified.program.alignments.get().competency
    client.force_login(verified.member)
    url = reverse("quality:partner-feedback-award", args=[verified.pk])
    response = client.post(url, {f"competency_{competency.pk}": rating, "comment": "x"})
    assert response.status_code == 200 and 'class="errorlist' in response.content.decode()
    assert not EmployerFeedback.objects.exists()


def test_a_french_program_s_survey_email_and_page_are_in_french(client, django_capture_on_commit_callbacks):
    enrolment = EnrolmentFactory(status="completed", program__language="fr-CA", program__title="Analyse de données")
    learner_user(enrolment.learner)
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_invite(enrolment.pk)
    assert mail.outbox[0].subject == "Comment s’est passé Analyse de données ?"
    assert "Félicitations pour avoir terminé Analyse de données." in mail.outbox[0].body
    client.force_login(enrolment.learner.user)
    page = client.get(mail.outbox[0].body.split()[-1], HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "L’évaluation était-elle équitable ?" in page and "Bien plus qu’annoncé" in page
    assert "Envoyer mes réponses" in page


def test_the_partner_feedback_page_speaks_french(verified, client):
    client.force_login(verified.member)
    page = client.get(reverse("quality:partner-feedback"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Avis sur les certificats — Acme" in page and "Compétences notées" in page
