"""The learner's pages in French: labels the registrar translated, and the dashboard's invitations."""

import pytest
from django.urls import reverse
from django.utils import translation

from catalog.pathways import evaluate_pathway
from quality.models import SurveyResponse
from tests.factories import PathwayFactory, add_rule, assessable_enrolment, learner_user, published_program, record_pass

pytestmark = pytest.mark.django_db


def _core_rule_pathway(programs):
    pathway = PathwayFactory()
    rule = add_rule(pathway, "all_of", programs, label="Core")
    rule.label_translations = {"fr": "Tronc commun"}
    rule.save()
    return pathway


def test_a_pathway_rule_is_named_in_the_reader_s_language():
    pathway = _core_rule_pathway([published_program()])
    evaluation = evaluate_pathway(pathway, [])
    with translation.override("fr"):
        assert evaluation.rules[0].explanation.startswith("Tronc commun")
    with translation.override("en"):
        assert evaluation.rules[0].explanation.startswith("Core:")


def test_a_pathway_rule_without_a_translation_keeps_its_label():
    pathway = PathwayFactory()
    add_rule(pathway, "all_of", [published_program()], label="Electives")
    with translation.override("fr"):
        assert evaluate_pathway(pathway, []).rules[0].explanation.startswith("Electives")


def test_the_dashboard_names_pathway_rules_and_surveys_in_french(client, registrar):
    enrolment = assessable_enrolment()
    learner = learner_user(enrolment.learner)
    _core_rule_pathway([enrolment.program, published_program()])
    record_pass(enrolment, registrar)
    SurveyResponse.objects.get_or_create(enrolment=enrolment)
    client.force_login(learner.user)
    page = client.get(reverse("portal:dashboard"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Tronc commun" in page and ">Core:" not in page
    assert f"Comment s’est passé {enrolment.program.title} ?" in page


def test_the_dashboard_s_survey_invitation_reads_in_french(client, registrar):
    """Passes once the lead's locale/fr carries the proposed translation of "Four questions."."""
    enrolment = assessable_enrolment()
    learner = learner_user(enrolment.learner)
    record_pass(enrolment, registrar)
    SurveyResponse.objects.get_or_create(enrolment=enrolment)
    client.force_login(learner.user)
    page = client.get(reverse("portal:dashboard"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Quatre questions." in page
