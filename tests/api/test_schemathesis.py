"""Schemathesis drives every operation of the live schema with generated requests, valid and invalid: no 5xx,
no response outside the schema (status codes, content types, bodies, headers). Bounded in examples; in-process
through the WSGI app against the test database.

Not asserted: that every schema-valid request is accepted (a batch may exceed a key's own limit) or that every
invalid one is refused (unknown query parameters are ignored, as HTTP APIs commonly do)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

from config.wsgi import application
from partners.models import PartnerOrganisation
from partners.services import api_key_create, share_create, talent_profile_set

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


@pytest.fixture
def keep_test_connection():
    """As Django's test client does: the WSGI handler must not close the test transaction's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def key_header(passed_attempt, keep_test_connection):
    """Seeded data (a program, a learner with a shared, discoverable credential) and a key with every scope."""
    from awards.models import Award

    award = Award.objects.get()
    partner = PartnerOrganisation.objects.create(name="Fuzz Ltd", contact_email="fuzz@example.org")
    share_create(learner=award.learner, label="fuzz", awards=[award])
    talent_profile_set(learner=award.learner, discoverable=True)
    _, secret = api_key_create(
        organisation=partner,
        name="fuzz",
        scopes=["catalog", "verify", "talent"],
        rate_per_minute=1_000_000,
        daily_quota=1_000_000,
    )
    return {"Authorization": f"Api-Key {secret}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_honours_its_schema(case, key_header):
    case.call_and_validate(
        headers=key_header,
        checks=[
            checks.not_a_server_error,
            checks.status_code_conformance,
            checks.content_type_conformance,
            checks.response_schema_conformance,
            checks.response_headers_conformance,
        ],
    )
