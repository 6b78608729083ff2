import datetime
from decimal import Decimal

import pytest

from awards import jsonld
from awards.models import Award
from catalog.models import Program
from learners import services as learner_services
from tests.awards import independent_verifier
from tests.awards.helpers import credential_of, schema_errors
from tests.factories import (
    EnrolmentFactory,
    LearnerFactory,
    PathwayFactory,
    ProgramFactory,
    add_rule,
    levels_for,
    rubric_with_criteria,
)

pytestmark = pytest.mark.django_db


def _program(code, credits):
    program = ProgramFactory(code=code, title=code, status=Program.Status.PUBLISHED, credit_value=Decimal(credits))
    rubric_with_criteria(program)
    return program


@pytest.fixture
def nested(signing_key):
    """CERT = all of A, B; DIPLOMA = CERT + C."""
    a, b, c = _program("A-1", 2), _program("B-1", 3), _program("C-1", 4)
    certificate = PathwayFactory(award__code="CERT", award__status=Program.Status.PUBLISHED)
    add_rule(certificate, "all_of", [a, b])
    diploma = PathwayFactory(award__code="DIPLOMA", award__status=Program.Status.PUBLISHED)
    add_rule(diploma, "all_of", [certificate.award, c])
    return {"A": a, "B": b, "C": c, "CERT": certificate.award, "DIPLOMA": diploma.award}


def _pass(learner, program, registrar, django_capture_on_commit_callbacks):
    enrolment = EnrolmentFactory(learner=learner, program=program)
    with django_capture_on_commit_callbacks(execute=True):
        learner_services.attempt_record(
            enrolment=enrolment,
            assessor=registrar,
            levels=levels_for(program, Analysis=3, Communication=3),
            assessed_on=datetime.date(2026, 11, 20),
            recorded_by=registrar,
            finalise=True,
        )


def _codes(learner):
    return set(Award.objects.filter(learner=learner, status="issued").values_list("program__code", flat=True))


def test_completing_a_pathway_issues_its_award_once(nested, registrar, django_capture_on_commit_callbacks):
    learner = LearnerFactory()
    _pass(learner, nested["A"], registrar, django_capture_on_commit_callbacks)
    assert _codes(learner) == {"A-1"}
    _pass(learner, nested["B"], registrar, django_capture_on_commit_callbacks)
    assert _codes(learner) == {"A-1", "B-1", "CERT"}
    assert Award.objects.filter(learner=learner, program__code="CERT").count() == 1


def test_nested_pathway_award_cascades(nested, registrar, django_capture_on_commit_callbacks):
    learner = LearnerFactory()
    for code in ("A", "C", "B"):
        _pass(learner, nested[code], registrar, django_capture_on_commit_callbacks)
    assert _codes(learner) == {"A-1", "B-1", "C-1", "CERT", "DIPLOMA"}


def test_stacked_award_lists_its_components_and_sums_credits(nested, registrar, django_capture_on_commit_callbacks):
    learner = LearnerFactory()
    for code in ("A", "B"):
        _pass(learner, nested[code], registrar, django_capture_on_commit_callbacks)
    award = Award.objects.get(learner=learner, program__code="CERT")
    assert {c.program.code for c in award.components.all()} == {"A-1", "B-1"}
    credential = credential_of(award)
    achievement = credential["credentialSubject"]["achievement"]
    assert {related["id"].rsplit("/", 2)[-2] for related in achievement["related"]} == {"a-1-v1", "b-1-v1"}
    assert credential["credentialSubject"]["creditsEarned"] == 5.0
    assert schema_errors(credential) == []
    jsonld.expand_safe(credential)
    assert independent_verifier.verify(credential, award.signing_key.public_key_multibase)


def test_revoked_component_does_not_count_toward_a_pathway(nested, registrar, django_capture_on_commit_callbacks):
    from awards import services

    learner = LearnerFactory()
    _pass(learner, nested["A"], registrar, django_capture_on_commit_callbacks)
    services.award_revoke(award=Award.objects.get(learner=learner), user=registrar, reason="Academic misconduct")
    _pass(learner, nested["B"], registrar, django_capture_on_commit_callbacks)
    assert "CERT" not in _codes(learner)


def test_stacked_award_certificate_lists_its_components(nested, registrar, django_capture_on_commit_callbacks):
    import io

    from pypdf import PdfReader

    learner = LearnerFactory()
    for code in ("A", "B"):
        _pass(learner, nested[code], registrar, django_capture_on_commit_callbacks)
    award = Award.objects.get(learner=learner, program__code="CERT")
    with award.certificate.open("rb") as handle:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Awarded for completing" in text and "(A-1)" in text and "(B-1)" in text
