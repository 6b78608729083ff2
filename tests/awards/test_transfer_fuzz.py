"""Credit transfer (/me/transfer/) under arbitrary input: a page with a message for anything a learner uploads —
including credentials whose signature is sound but whose shape is odd — never a 500."""

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awards.models import ForeignCredential
from tests.awards.helpers import foreign_credential
from tests.awards.test_hostile_input import INTERESTING, JSON

pytestmark = pytest.mark.django_db
SECRET = Ed25519PrivateKey.generate()
FIELDS = st.sampled_from(["credentialSubject", "issuer", "name", "validFrom", "credentialStatus", "type"])


@pytest.fixture
def learner_client(award, client):
    client.force_login(award.learner.user)
    return client


def _upload(client, text):
    return client.post(reverse("portal:transfer-credit"), {"credential": text})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=JSON | INTERESTING | st.text(max_size=40))
def test_arbitrary_json_or_text_gets_a_message(learner_client, document):
    text = document if isinstance(document, str) else json.dumps(document)
    response = _upload(learner_client, text)
    assert response.status_code == 400
    assert not ForeignCredential.objects.exists()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=FIELDS, value=JSON | INTERESTING)
def test_soundly_signed_credentials_of_any_shape_get_a_page(learner_client, field, value):
    try:
        document = foreign_credential(SECRET, **{field: value})
    except Exception:  # noqa: BLE001 - a shape that cannot even be signed cannot be brought either
        return
    kept_before = ForeignCredential.objects.count()
    response = _upload(learner_client, json.dumps(document))
    assert response.status_code in (302, 400)
    assert ForeignCredential.objects.count() == kept_before + (response.status_code == 302)
