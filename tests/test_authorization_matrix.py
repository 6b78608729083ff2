"""Every URL pattern in the URL conf, requested by every role, answers exactly what ``authorization_matrix.txt``
says; a pattern without a row (or a row without a pattern) fails, so a new page cannot ship unreviewed.

Roles: anonymous; learner A, who owns every learner object in the URLs; learner B, another learner; the
registrar; the program approver; a partner organisation's API key (sent with every request, no session).
Outcomes: an HTTP status, or ``login`` for a redirect to a sign-in page.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLResolver, get_resolver

from awards import services as award_services
from awards.models import Award, CertificateTemplate, EmailTemplate, Endorsement, IssuanceBatch
from catalog import services as catalog_services
from catalog.models import Pathway, Program, Tag
from learners.models import Evidence
from partners import services as partner_services
from partners.models import AccessLog, PartnerOrganisation, WebhookDelivery
from tests.factories import PathwayFactory, ProgramFactory, add_rule, learner_user

pytestmark = pytest.mark.django_db

MATRIX = Path(__file__).with_name("authorization_matrix.txt")
ROLES = ["anonymous", "learner_a", "learner_b", "registrar", "approver", "partner"]
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")
ADMIN_APPS = ["auth", "sites", "account", "rest_framework_api_key", "catalog", "learners", "awards", "partners"]
ADMIN_APP_INDEX = (
    "/admin/^(?P<app_label>" + "|".join([*ADMIN_APPS, "wallets", "quality", "guidance", "workspace"]) + ")/$"
)


def url_patterns(patterns=None, prefix=""):
    """Yield (route, pattern) for every pattern, the route written as its full pattern text after a slash."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield "/" + prefix + str(pattern.pattern), pattern


def read_matrix():
    rows = {}
    for number, line in enumerate(MATRIX.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        route, *outcomes = line.split()
        assert len(outcomes) == len(ROLES), f"{MATRIX.name}:{number}: {len(ROLES)} outcomes expected"
        assert route not in rows, f"{MATRIX.name}:{number}: {route} appears twice"
        rows[route] = dict(zip(ROLES, outcomes, strict=True))
    return rows


@dataclass
class World:
    award: Award
    learner_a_user: object
    share: object
    evidence: Evidence
    batch: IssuanceBatch
    pathway: Pathway
    program: Program
    partner_secret: str

    def parameters(self, route):
        """Values for the route's parameters: learner A's objects, or the first object of an admin model."""
        attempt = self.award.attempt
        named = {
            "/credentials/<uuid:pk>/": {"pk": self.award.pk},
            "/status/<slug:purpose>/": {"purpose": "revocation"},
            "/status/issued/<str:key_id>/revocation/": {"key_id": self.award.signing_key.key_id},
            "/me/attempts/<int:pk>/": {"pk": attempt.pk},
            "/me/evidence/<int:pk>/": {"pk": self.evidence.pk},
            "/me/credentials/<uuid:pk>/sharing/": {"pk": self.award.pk},
            "/me/credentials/<uuid:pk>/certificate.pdf": {"pk": self.award.pk},
            "/me/credentials/<uuid:pk>/credential.json": {"pk": self.award.pk},
            "/me/credentials/<uuid:pk>/badge.png": {"pk": self.award.pk},
            "/me/credentials/<uuid:pk>/badge.svg": {"pk": self.award.pk},
            "/me/credentials/<uuid:pk>/badge-ob2.png": {"pk": self.award.pk},
            "/ob2/assertions/<uuid:pk>": {"pk": self.award.pk},
            "/endorsements/<uuid:pk>": {"pk": self.award.program.endorsements.get().pk},
            "/ob2/badges/<slug:slug>": {"slug": self.program.slug},
            "/programs/<slug:slug>/ctdl.json": {"slug": self.program.slug},
            "/programs/<slug:slug>/badge.svg": {"slug": self.program.slug},
            "/programs/<slug:slug>/badge.png": {"slug": self.program.slug},
            "/me/shares/<int:pk>/revoke/": {"pk": self.share.pk},
            "/me/surveys/<int:pk>/": {"pk": self.award.enrolment.survey.pk},
            "/me/follow-ups/<int:pk>/": {"pk": self.award.follow_ups.get().pk},
            "/me/notices/<int:pk>/dismiss/": {"pk": self.award.notices.first().pk},
            "/me/goals/<int:pk>/remove/": {"pk": self.award.learner.career_goals.get().pk},
            "/me/goals/<int:pk>/remove/confirm/": {"pk": self.award.learner.career_goals.get().pk},
            "/me/goals/<int:pk>/skills/<int:skill_id>/drop/": {
                "pk": self.award.learner.career_goals.get().pk,
                "skill_id": self.award.learner.career_goals.get().skills.get().skill_id,
            },
            "/quality/programs/<int:pk>/review/": {"pk": self.program.pk},
            "/wallets/interactions/<uuid:pk>": {"pk": self.award.wallet_offers.first().pk},
            "/wallets/exchanges/<uuid:pk>": {"pk": self.award.wallet_offers.first().pk},
            "/wallets/exchanges/<uuid:pk>/lcw": {"pk": self.award.wallet_offers.first().pk},
            "/wallets/offers/<uuid:pk>/credential-offer": {"pk": self.award.wallet_offers.first().pk},
            "/me/wallet/offers/<uuid:pk>/": {"pk": self.award.wallet_offers.first().pk},
            "/me/wallet/offers/<uuid:pk>/withdraw/": {"pk": self.award.wallet_offers.first().pk},
            "/me/wallet/offers/<uuid:pk>/approve/": {"pk": self.award.wallet_offers.first().pk},
            "/me/wallet/offers/<uuid:pk>/state/": {"pk": self.award.wallet_offers.first().pk},
            "/me/credentials/<uuid:award_id>/wallet/": {"award_id": self.award.pk},
            "/me/apps/<int:application_id>/revoke/": {"application_id": 1},
            "/oauth/register/<str:client_id>/": {"client_id": "unknown"},
            "/partner/feedback/<uuid:award_id>/": {"award_id": self.award.pk},
            "/shared/<str:token>/": {"token": self.share.token},
            "/programs/<slug:slug>/": {"slug": self.program.slug},
            "/pathways/<slug:slug>/": {"slug": self.pathway.slug},
            "/api/v1/^programs/(?P<pk>[^/.]+)$": {"pk": self.program.pk},
            "/api/v1/^pathways/(?P<pk>[^/.]+)$": {"pk": self.pathway.pk},
            "/api/v1/^institutions/(?P<pk>[^/.]+)$": {"pk": self.program.institution.pk},
            "/api/v1/^frameworks/(?P<pk>[^/.]+)$": {"pk": self.program.competencies.first().framework.pk},
            "/api/v1/^competencies/(?P<pk>[^/.]+)$": {"pk": self.program.competencies.first().pk},
            "/api/v1/credentials/<uuid:pk>/verification": {"pk": self.award.pk},
            "/api/v1/shares/<str:token>": {"token": self.share.token},
            "/api/v1/^(?P<path>[\\s\\S]*)$": {"path": "no/such/thing"},
            "/accounts/^confirm-email/(?P<key>[-:\\w]+)/$": {"key": "not-a-real-key"},
            "/accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": {"uidb36": "1", "key": "bad"},
            "/admin/awards/issuancebatch/<int:pk>/progress/": {"pk": self.batch.pk},
            "/admin/learners/assessmentattempt/evidence/<int:pk>/file/": {"pk": self.evidence.pk},
            "/admin/auth/user/<id>/password/": {"id": self.learner_a_user.pk},
            "/admin/r/<path:content_type_id>/<path:object_id>/": {
                "content_type_id": _content_type(Award).pk,
                "object_id": self.award.pk,
            },
            "/admin/awards/award/export/<str:file_format>/": {"file_format": "csv"},
            "/admin/learners/enrolment/export/<str:file_format>/": {"file_format": "csv"},
            "/admin/learners/assessmentattempt/export/<str:file_format>/": {"file_format": "xlsx"},
            "/admin/workspace/exportjob/<int:pk>/progress/": {"pk": _export_job().pk},
            "/admin/workspace/exportjob/<int:pk>/download/": {"pk": _export_job().pk},
            ADMIN_APP_INDEX: {"app_label": "awards"},
            "/admin/(?P<url>.*)$": {"url": "no/such/page/"},
        }
        if route in named:
            return named[route], []
        model = _admin_model(route)
        if model is not None and ("<path:object_id>" in route or "history/([^/]+)" in route):
            instance = _object_of(model, self)
            if "history/([^/]+)" in route:
                return {}, [quote(instance.pk), instance.history.order_by("history_id").first().history_id]
            return {"object_id": quote(instance.pk)}, []
        return {}, []


def _content_type(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model)


def _admin_model(route):
    for model in admin.site._registry:
        if route.startswith(f"/admin/{model._meta.app_label}/{model._meta.model_name}/"):
            return model
    return None


def _object_of(model, world):
    owned = {Award: world.award, Evidence: world.evidence}
    if model in owned:
        return owned[model]
    if model._meta.label == "auth.User":
        return world.learner_a_user
    instance = model._default_manager.order_by("pk").first()
    assert instance is not None, f"the world has no {model._meta.label} for its admin URLs"
    return instance


def url_for(route, world):
    named, positional = world.parameters(route)
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda match: str(named.pop(match.group(1))), route)
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(named.pop(match.group(1))), url)
    url = re.sub(r"\([^)]*\)", lambda match: str(positional.pop(0)), url)
    assert not named and not positional, f"{route}: unused parameters {named or positional}"
    return url.replace("^", "").replace("$", "")


def outcome(response):
    if response.status_code in (301, 302) and response["Location"].startswith(LOGIN_PATHS):
        return "login"
    return str(response.status_code)


@pytest.fixture
def world(award, registrar, approver):
    """Learner A (award's learner) with an issued credential, a share and an evidence file; every admin model
    has at least one object."""
    from allauth.account.models import EmailAddress
    from rest_framework_api_key.models import APIKey

    evidence = Evidence(attempt=award.attempt, title="Report")
    evidence.file.save("report.pdf", ContentFile(b"%PDF-1.4 report"), save=True)
    pathway = PathwayFactory()
    add_rule(pathway, "all", [award.program])
    partner = PartnerOrganisation.objects.create(name="Acme Hiring", contact_email="hr@acme.example")
    _, secret = partner_services.api_key_create(
        organisation=partner, name="ATS", scopes=("catalog", "verify", "talent")
    )
    share = partner_services.share_create(learner=award.learner, label="Acme", awards=[award], partner=partner)
    AccessLog.objects.create(learner=award.learner, share=share, organisation=partner, what="viewed")
    WebhookDelivery.objects.create(organisation=partner, event_id=award.pk, event="revoked", payload={})
    APIKey.objects.create_key(name="unused")
    EmailAddress.objects.create(user=registrar, email=registrar.email, verified=True, primary=True)
    batch = IssuanceBatch.objects.create(label="Cohort", created_by=registrar)
    catalog_services.program_transition(program=ProgramFactory(), action="submit", user=registrar)  # a decision
    award.program.tags.add(Tag.objects.create(name="Data"))
    _quality_records(award, partner, approver)
    _guidance_records(award)
    _wallet_records(award)
    EmailTemplate.objects.create(event="issued", subject="{{ program }}", body="{{ credential_url }}")
    CertificateTemplate.objects.create(name="Faculty", institution=award.program.institution)
    _recognition_records(award)
    _vcapi_records(registrar)
    _export_job_records(registrar)
    award_services.endorsement_issue(
        endorsement=Endorsement.objects.create(
            program=award.program, endorser_name="Acme", endorser_kind="employer", endorser_url="https://acme.example",
            statement="Ready for work.",
        ),
        user=registrar,
    )  # fmt: skip
    return World(
        award=award,
        learner_a_user=award.learner.user,
        share=share,
        evidence=evidence,
        batch=batch,
        pathway=pathway,
        program=award.program,
        partner_secret=secret,
    )


def _vcapi_records(registrar):
    """An issuer key, and a credential the registrar signed through the VC-API."""
    import datetime

    from django.utils import timezone

    from awards import keys
    from awards.vcapi import services as vcapi_services

    vcapi_services.issuer_api_key_create(name="Student system", expires_at=timezone.now() + datetime.timedelta(days=9))
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
        "issuer": keys.issuer_did(), "credentialSubject": {"id": "did:example:subject"},
    }  # fmt: skip
    vcapi_services.issue(credential, {}, user=registrar)


def _export_job_records(registrar):
    """The registrar's finished export of the credential list."""
    from workspace import exports
    from workspace.models import ExportJob

    job = ExportJob.objects.create(created_by=registrar, list_name="awards.award", file_format="csv")
    exports.export_job_run(job.pk)


def _export_job():
    from workspace.models import ExportJob

    return ExportJob.objects.get()


def _recognition_records(award):
    """Credit another institution gives for the program, a transfer agreement, and learner A's foreign credential."""
    import datetime
    import json

    from awards import transfer
    from catalog.models import CreditRecognition, TransferAgreement
    from tests.awards.helpers import foreign_credential

    on = datetime.date(2026, 1, 1)
    CreditRecognition.objects.create(
        program=award.program, recognising_institution="Southbridge", credits=5, credit_system="ECTS",
        toward="BSc", valid_from=on, reference="SB-1",
    )  # fmt: skip
    TransferAgreement.objects.create(
        issuer_id="did:key:z6Mk", issuer_name="Example Corp", counts_as=award.program, valid_from=on, reference="T-1"
    )
    transfer.foreign_credential_upload(learner=award.learner, text=json.dumps(foreign_credential()))


def _wallet_records(award):
    """An open wallet offer of learner A's credential (listed first), a copy a wallet took from an earlier one, and
    a platform registered for the 1EdTech APIs."""
    from oauth2_provider.models import Application

    from wallets import services as wallet_services
    from wallets.models import RegisteredClient, WalletCopy

    application = Application.objects.create(
        name="Backpack", client_type="confidential", authorization_grant_type="authorization-code",
        redirect_uris="https://backpack.example/callback",
    )  # fmt: skip
    RegisteredClient.objects.create(application=application, client_uri="https://backpack.example", scope="")
    used = wallet_services.offer_create(learner=award.learner, award=award)
    WalletCopy.objects.create(award=award, offer=used, holder="did:key:z6Mk", protocol="vcapi", credential="{}")
    wallet_services.offer_create(learner=award.learner, award=award)


def _guidance_records(award):
    """An ESCO occupation and skill, learner A's goal, and a confirmed mapping from the program's competency."""
    from tests.factories import EscoSkillFactory, OccupationFactory, confirm_mapping, goal_with_skills

    skill = EscoSkillFactory()
    confirm_mapping(award.program.competencies.first(), skill)
    goal_with_skills(award.learner, [(skill, 1.0)], occupation=OccupationFactory())


def _quality_records(award, partner, approver):
    """Learner A's survey and follow-up, a partner's rating of the credential and a review of its program."""
    from partners.models import VerifiedCredential
    from quality.models import EmployerFeedback, OutcomeFollowUp, ProgramReview, SurveyResponse

    SurveyResponse.objects.get_or_create(enrolment=award.enrolment)
    OutcomeFollowUp.objects.create(award=award, months=3)
    VerifiedCredential.objects.get_or_create(organisation=partner, award=award)
    competency = award.program.alignments.first().competency
    EmployerFeedback.objects.create(
        organisation=partner, award=award, competency=competency, rating=4, given_by=approver
    )
    review = ProgramReview(program=award.program, outcome="continue", rationale="Fine.", reviewed_by=approver)
    review.save()


@pytest.fixture
def clients(world, registrar, approver):
    signed_in = {}
    for role, user in [
        ("learner_a", world.learner_a_user),
        ("learner_b", learner_user().user),
        ("registrar", registrar),
        ("approver", approver),
    ]:
        signed_in[role] = Client()
        signed_in[role].force_login(user)
    return {
        "anonymous": Client(),
        **signed_in,
        "partner": Client(HTTP_AUTHORIZATION=f"Api-Key {world.partner_secret}"),
    }


def test_every_url_pattern_has_a_row_and_every_row_a_pattern():
    routes = {route for route, _ in url_patterns()}
    rows = set(read_matrix())
    assert sorted(routes - rows) == [], "URL patterns missing from the authorization matrix"
    assert sorted(rows - routes) == [], "matrix rows for URL patterns that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_the_matrix_says(role, world, clients):
    expected = read_matrix()
    client = clients[role]
    differences = []
    for route, _ in url_patterns():
        cache.clear()  # rate limits are not what this test is about
        response = client.get(url_for(route, world))
        if route in expected and outcome(response) != expected[route][role]:
            differences.append(f"{route}: expected {expected[route][role]}, got {outcome(response)}")
    assert differences == []
