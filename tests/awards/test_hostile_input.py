"""Hostile input to the verifier gets a verdict or a form message, never a 500 or an exception."""

import copy
import html

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awards import verification
from awards.models import Award
from tests.awards.helpers import credential_of, foreign_credential

pytestmark = pytest.mark.django_db
SECRET = Ed25519PrivateKey.generate()


def _did_key_credential(**changes):
    return foreign_credential(SECRET, **changes)  # one key for the module: its tests compare results across calls


@pytest.mark.parametrize("text", ['{"a":' * 5000, "[" * 100_000, "[" * 40 + "]" * 40])
def test_deeply_nested_json_gets_a_form_message(client, text):
    response = client.post("/verify/", {"credential_json": text})
    assert response.status_code == 200
    assert "levels deep" in html.unescape(response.content.decode())


def test_a_date_without_a_time_zone_is_a_malformed_credential():
    result = verification.verify(_did_key_credential(validFrom="2020-01-01T00:00:00"))
    assert result.verdict == "malformed"
    assert "time zone" in result.reasons[-1]


def test_an_id_under_this_registry_that_is_not_a_uuid_gets_a_verdict(settings):
    credential = _did_key_credential(id=f"{settings.REGISTRY_PUBLIC_URL}/credentials/not-a-uuid")
    assert verification.verify(credential).verdict == "valid"


def test_a_paste_over_the_limit_gets_the_forms_own_message(client):
    response = client.post("/verify/", {"credential_json": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "larger than 2 MB" in response.content.decode()


def test_a_paste_just_over_two_megabytes_gets_the_field_message(client):
    response = client.post("/verify/", {"credential_json": "[" + " " * (2 * 1024 * 1024) + "]"})
    assert response.status_code == 200
    assert "larger than 2 MB" in response.content.decode()


def test_the_verify_form_still_requires_a_csrf_token():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post("/verify/", {"credential_json": "{}"})
    assert response.status_code == 403


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
# Values that reach the verifier's special paths: dates, DIDs, status entries, own ids.
INTERESTING = st.sampled_from(
    [
        "2020-01-01T00:00:00",
        "2999-01-01T00:00:00Z",
        "not a date",
        "did:web:127.0.0.1%3A1",
        "did:web:exa%0Ample.com",
        "did:key:zNotAKey",
        "https://registry.example.edu/credentials/xyz",
        {"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "x"},
        {
            "type": "BitstringStatusListEntry",
            "statusListCredential": "https://10.0.0.1/",
            "statusPurpose": "suspension",
        },
        [],
        {},
        None,
        -1,
    ]
)
KEYS = st.sampled_from(
    ["id", "issuer", "validFrom", "validUntil", "credentialStatus", "proof", "@context", "type", "credentialSubject"]
)


def _mutate(document, path_choices, value):
    """Replace the value at a path chosen by ``path_choices`` (indexes into each level's keys) with ``value``."""
    node = document
    for choice in path_choices:
        children = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        key, child = children[choice % len(children)] if children else (None, None)
        if key is None or not isinstance(child, dict | list) or not child:
            if key is not None:
                node[key] = value
            return document
        node = child
    children = list(node.keys()) if isinstance(node, dict) else list(range(len(node)))
    node[children[path_choices[-1] % len(children)] if children else 0 if isinstance(node, list) else "x"] = value
    return document


@pytest.fixture
def own_credential(passed_attempt):
    return credential_of(Award.objects.get())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=5), value=JSON | INTERESTING)
def test_mutated_credentials_always_get_a_verdict(own_credential, path, value):
    for original in (own_credential, _SIGNED_DID_KEY):
        result = verification.verify(_mutate(copy.deepcopy(original), path, value))
        assert result.verdict in verification.Verdict.LABELS


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=KEYS, value=JSON | INTERESTING)
def test_top_level_fields_replaced_by_anything_get_a_verdict(own_credential, key, value):
    result = verification.verify({**own_credential, key: value})
    assert result.verdict in verification.Verdict.LABELS
    assert result.verdict != "valid" or own_credential.get(key) == value


@settings(max_examples=100, deadline=None)
@given(document=JSON)
def test_arbitrary_json_gets_a_verdict(document):
    assert verification.verify(document).verdict in verification.Verdict.LABELS


_SIGNED_DID_KEY = _did_key_credential()
