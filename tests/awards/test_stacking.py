import datetime
from decimal import Decimal

import pytest

from awards.models import Award
from awards.vc import jsonld
from catalog.models import Program
from learners import services as learner_services
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
from tests.vc import independent_verifier

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


@pytest.fixture
def diploma_holder(nested, registrar, django_capture_on_commit_callbacks):
    learner = LearnerFactory()
    for code in ("A", "B", "C"):
        _pass(learner, nested[code], registrar, django_capture_on_commit_callbacks)
    return {code: Award.objects.get(learner=learner, program__code=code) for code in ("A-1", "CERT", "DIPLOMA")}


def test_dependents_of_a_component_include_nested_stacks(diploma_holder):
    from awards.selectors import award_dependents

    dependents = award_dependents(diploma_holder["A-1"])
    assert [(d.award.program.code, d.built_on.program.code, d.still_holds) for d in dependents] == [
        ("CERT", "A-1", False),
        ("DIPLOMA", "CERT", False),
    ]


def test_revoking_a_component_suspends_every_stacked_award_built_on_it(diploma_holder, registrar):
    from awards import services, verification

    services.award_revoke(award=diploma_holder["A-1"], user=registrar, reason="Plagiarism")
    for code in ("CERT", "DIPLOMA"):
        award = Award.objects.get(pk=diploma_holder[code].pk)
        assert award.is_suspended
        assert "Pending review" in award.suspension_reason and "Plagiarism" in award.suspension_reason
        assert verification.verify(credential_of(award)).verdict == "suspended"


def test_the_registrar_may_leave_a_dependent_untouched(diploma_holder, registrar):
    from awards import services

    cert = diploma_holder["CERT"]
    services.award_revoke(award=diploma_holder["A-1"], user=registrar, reason="Error", suspend_dependents=[cert.pk])
    assert Award.objects.get(pk=cert.pk).is_suspended
    assert not Award.objects.get(pk=diploma_holder["DIPLOMA"].pk).is_suspended


def test_suspending_a_component_suspends_its_stacks_and_they_can_be_reinstated(diploma_holder, registrar):
    from awards import services

    services.award_suspend(award=diploma_holder["A-1"], user=registrar, reason="Investigation")
    cert = Award.objects.get(pk=diploma_holder["CERT"].pk)
    assert cert.is_suspended
    services.award_unsuspend(award=cert, user=registrar, reason="Reviewed: stands")
    assert not Award.objects.get(pk=cert.pk).is_suspended


def test_a_pathway_that_still_holds_with_another_elective_is_reported_so(
    signing_key, registrar, django_capture_on_commit_callbacks
):
    from awards.selectors import award_dependents

    electives = [_program(code, 2) for code in ("E-1", "E-2")]
    certificate = PathwayFactory(award__code="ELECT", award__status=Program.Status.PUBLISHED)
    add_rule(certificate, "n_of", electives, required_count=1)
    learner = LearnerFactory()
    for program in electives:
        _pass(learner, program, registrar, django_capture_on_commit_callbacks)
    first = Award.objects.get(learner=learner, program__code="E-1")  # the elective that completed it
    dependents = award_dependents(first)
    assert [(d.award.program.code, d.still_holds) for d in dependents] == [("ELECT", True)]


def test_revoke_page_lists_dependents_and_applies_the_registrars_choice(diploma_holder, registrar_client):
    url = "/admin/awards/award/"
    component = diploma_holder["A-1"]
    page = registrar_client.post(url, {"action": "revoke", "_selected_action": [component.pk]}).content.decode()
    assert 'id="dependents"' in page and "No longer satisfied" in page
    assert str(diploma_holder["CERT"].pk) in page and str(diploma_holder["DIPLOMA"].pk) in page
    registrar_client.post(
        url,
        {
            "action": "revoke",
            "_selected_action": [component.pk],
            "apply": "1",
            "reason": "Misconduct",
            "public_reason": "Revoked after an academic integrity review.",
            "suspend_dependent": [diploma_holder["CERT"].pk],
        },
    )
    assert Award.objects.get(pk=component.pk).revocation_public_reason == "Revoked after an academic integrity review."
    assert Award.objects.get(pk=diploma_holder["CERT"].pk).is_suspended
    assert not Award.objects.get(pk=diploma_holder["DIPLOMA"].pk).is_suspended


def test_public_page_of_a_suspended_stack_says_why_and_marks_the_revoked_component(diploma_holder, registrar, client):
    from awards import services
    from learners.models import Sharing

    services.award_revoke(award=diploma_holder["A-1"], user=registrar, reason="x", public_reason="Assessment void.")
    cert = diploma_holder["CERT"]
    Award.objects.filter(pk=cert.pk).update(sharing=Sharing.LINK)
    page = client.get(cert.get_absolute_url()).content.decode()
    assert "Under review by the issuer: a credential it is built on was revoked." in page
    assert "(A-1) — <strong>revoked</strong>" in page
    component_page = client.get(diploma_holder["A-1"].get_absolute_url()).content.decode()
    assert "Revoked by the issuer on" in component_page and "Assessment void." in component_page
