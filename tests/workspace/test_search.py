"""Searches of the registrar's lists ignore case and accents, on SQLite and PostgreSQL alike."""

import pytest

from config.search import fold_for_search
from learners.models import Learner
from tests.factories import LearnerFactory, ProgramFactory
from tests.workspace.lists import credential, passed_attempt

pytestmark = pytest.mark.django_db

AWARDS = "/admin/awards/award/"
# Session, user, permissions, the count, the rows (learner and program joined), the filters' choices.
QUERIES_OF_A_SEARCHED_LIST = 11


def _names(response):
    return {row.learner.legal_name for row in response.context["cl"].result_list}


def test_folding_removes_accents_and_case():
    assert fold_for_search("CHLOÉ Ærø Straße") == "chloe ærø strasse"


@pytest.mark.parametrize("term", ["chloe", "CHLOÉ", "Chloé", "hlo"])
def test_the_lookup_finds_a_name_whatever_its_accents_and_case(term):
    chloe = LearnerFactory(legal_name="Chloé Dubois")
    LearnerFactory(legal_name="Zoe Martin")
    assert list(Learner.objects.filter(legal_name__unaccent_icontains=term)) == [chloe]


def test_an_unaccented_name_is_found_by_an_accented_term():
    chloe = LearnerFactory(legal_name="Chloe Dubois")
    assert list(Learner.objects.filter(legal_name__unaccent_icontains="CHLOÉ")) == [chloe]


def test_like_wildcards_in_the_term_match_only_themselves():
    LearnerFactory(legal_name="Chloé Dubois")
    percent = LearnerFactory(legal_name="100% Chloé")
    assert list(Learner.objects.filter(legal_name__unaccent_icontains="%")) == [percent]
    assert not Learner.objects.filter(legal_name__unaccent_icontains="_hlo_")


def test_the_credential_list_finds_chloe_by_her_name_without_accents(registrar_client):
    credential(legal_name="Chloé Dubois")
    credential(legal_name="Zoe Martin")
    assert _names(registrar_client.get(AWARDS, {"q": "chloe"})) == {"Chloé Dubois"}


@pytest.mark.parametrize("term", ["CHLOE.DUBOIS@EXAMPLE.ORG", "s-0042", "DATA-101", "analyse de données"], ids=str)
def test_the_credential_list_searches_emails_student_ids_program_codes_and_titles(registrar_client, term):
    program = ProgramFactory(status="published", code="DATA-101", title="Analyse de données")
    credential(program=program, legal_name="Chloé Dubois", email="chloe.dubois@example.org", student_id="S-0042")
    credential(legal_name="Zoe Martin")
    assert _names(registrar_client.get(AWARDS, {"q": term})) == {"Chloé Dubois"}


def test_the_enrolment_list_finds_a_learner_without_accents(registrar_client):
    chloe = credential(legal_name="Chloé Dubois").enrolment
    credential(legal_name="Zoe Martin")
    response = registrar_client.get("/admin/learners/enrolment/", {"q": "CHLOE"})
    assert list(response.context["cl"].result_list) == [chloe]


def test_the_attempt_list_finds_a_learner_without_accents(registrar, registrar_client):
    chloe = passed_attempt(registrar, learner__legal_name="Chloé Dubois")
    passed_attempt(registrar, learner__legal_name="Zoe Martin")
    response = registrar_client.get("/admin/learners/assessmentattempt/", {"q": "chloe"})
    assert list(response.context["cl"].result_list) == [chloe]


def test_a_searched_credential_list_takes_the_same_queries_for_more_rows(registrar_client, django_assert_num_queries):
    credential(legal_name="Chloé Dubois")
    registrar_client.get(AWARDS, {"q": "chloe"})  # sessions and permission caches warm
    with django_assert_num_queries(QUERIES_OF_A_SEARCHED_LIST):
        registrar_client.get(AWARDS, {"q": "chloe"})
    for n in range(5):
        credential(legal_name=f"Chloé Number{n}")
    with django_assert_num_queries(QUERIES_OF_A_SEARCHED_LIST):
        registrar_client.get(AWARDS, {"q": "chloe"})


def test_the_learner_list_finds_a_learner_without_accents(registrar_client):
    chloe = LearnerFactory(legal_name="Chloé Dubois")
    LearnerFactory(legal_name="Zoe Martin")
    response = registrar_client.get("/admin/learners/learner/", {"q": "chloe"})
    assert list(response.context["cl"].result_list) == [chloe]
