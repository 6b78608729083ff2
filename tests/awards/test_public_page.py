"""The public credential page: a verdict in plain words, the technical details folded away, skills once each."""

import datetime

import pytest
from django.urls import reverse

from awards.models import Award
from learners import services as learner_services
from learners.models import Sharing
from tests.factories import (
    AlignmentFactory,
    CompetencyFactory,
    EscoSkillFactory,
    assessable_enrolment,
    confirm_mapping,
    levels_for,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(registrar, signing_key, django_capture_on_commit_callbacks):
    """A shared credential whose program aligns to a competency staff matched to an ESCO skill."""
    enrolment = assessable_enrolment()
    competency = CompetencyFactory(name="Data analysis")
    AlignmentFactory(program=enrolment.program, competency=competency)
    confirm_mapping(competency, EscoSkillFactory(name="analyse data"))
    with django_capture_on_commit_callbacks(execute=True):
        learner_services.attempt_record(
            enrolment=enrolment,
            assessor=registrar,
            levels=levels_for(enrolment.program, Analysis=3, Communication=2),
            assessed_on=datetime.date(2026, 11, 20),
            recorded_by=registrar,
            finalise=True,
        )
    award = Award.objects.get()
    award.sharing = Sharing.LINK
    award.save(update_fields=["sharing"])
    return award


def _page(client, award):
    return client.get(award.get_absolute_url(), HTTP_ACCEPT="text/html").content.decode()


def _verdict(page):
    return page.split('<section class="verdict', 1)[1].split("</section>", 1)[0]


def _technical_details(page):
    return page.split('<details class="technical-details"', 1)[1].split("</details>", 1)[0]


def _skills(page):
    return page.split('<ul class="skills">', 1)[1].split("<h2", 1)[0]


def test_the_verdict_leaves_out_the_issuer_did_and_key(award, client):
    page = _page(client, award)
    assert "<h2>Valid</h2>" in _verdict(page)
    assert "did:web:" not in _verdict(page)


def test_the_technical_details_hold_the_issuer_did_and_key(award, client):
    details = _technical_details(_page(client, award))
    assert "<summary>Technical details</summary>" in details
    assert "did:web:" in details and "Signing key" in details and str(award.pk) in details


def test_a_competency_and_its_esco_skill_are_listed_once_together(award, client):
    page = _page(client, award)
    skills = _skills(page)
    assert skills.count("Data analysis") == 1 and skills.count("analyse data") == 1
    assert skills.index("Data analysis") < skills.index("The same skill in ESCO 1.2.0:") < skills.index("analyse data")


def test_the_program_s_own_record_is_not_listed_as_a_skill(award, client):
    page = _page(client, award)
    skills = _skills(page)
    assert "Credential Transparency Description Language" not in skills


def test_the_verify_page_folds_the_did_into_technical_details_too(award, client):
    page = client.post(reverse("awards:verify"), {"credential_json": award.credential}).content.decode()
    assert "did:web:" not in _verdict(page) and "did:web:" in _technical_details(page)


def test_the_technical_details_read_in_french(award, client):
    """Passes once the lead's locale/fr carries the proposed translations of these strings."""
    page = client.get(award.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<summary>Détails techniques</summary>" in page
    assert "La même compétence dans ESCO 1.2.0 :" in page
