"""Hostile requests to the OAuth 2.0 endpoints and the 1EdTech APIs get a 4xx (or an answer), never a 5xx:
registration and its management, the token, authorisation, revocation and introspection endpoints, the discovery
documents, and getCredentials / getProfile with query parameters, bodies and bearer tokens of any shape.

Each request runs in a savepoint rolled back afterwards, so an example that succeeds (a code exchanged, a
registration deleted) leaves the next one the same registry; the cache is emptied too, so throttles and the
registration limit let every example through to the code under test."""

import base64
import json
from urllib.parse import quote, urlencode

import pytest
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import learner_user
from tests.wallets.test_ims_api import (
    BACKPACK,
    CALLBACK,
    CLR_CREDENTIALS,
    OB_CREDENTIALS,
    OB_PROFILE,
    authorisation_request,
    consent,
    register,
    tokens,
)
from wallets.ims_api import CLR_PROFILE

pytestmark = pytest.mark.django_db
FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
ALL_SCOPES = f"{OB_CREDENTIALS} {OB_PROFILE} {CLR_CREDENTIALS} {CLR_PROFILE}"

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
# Values that reach the validators' edges: other hosts and schemes, NUL, huge numbers, other grants and methods.
ODD = st.sampled_from(
    [
        "", " ", "\x00", "https://backpack.example/\x00", "https://attacker.example/callback", "http://backpack.example/",
        "https://backpack.example:99999/", "https://[::1/", "javascript:alert(1)", "x" * 300, "9" * 20, "-1", "0",
        "https://backpack.example/" + "x" * 600, "1e9", "١٢", "None", "null", 2**64, -(2**63) - 1, 1.5, [], {},
        ["client_credentials"], ["implicit"], ["urn:ietf:params:oauth:grant-type:device_code"], ["refresh_token"],
        ["token"], "none", "plain", "S256", CALLBACK, OB_CREDENTIALS, ALL_SCOPES, "client_credentials", "password",
        "authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code", "auto", "force",
        "create", "login",
    ]
)  # fmt: skip
TEXT = st.text(max_size=40) | ODD.filter(lambda value: isinstance(value, str))
NUMBER = (
    st.sampled_from(["9" * 20, str(2**63), str(2**63 - 1), str(2**31), "-1", "0", "1e3", " 5", "5.0", "٣", "0x10"])
    | st.integers(min_value=-(2**70), max_value=2**70).map(str)
    | st.text(max_size=10)
)
# Header values arrive as latin-1 text (WSGI).
HEADER = st.text(st.characters(max_codepoint=255), max_size=60)


def _answer(client, method, path, body=None, **request):
    """One request (a JSON ``body`` or form data and query in ``request``), rolled back afterwards; a 5xx (or an
    exception, which the test client raises) fails."""
    cache.clear()
    with transaction.atomic():
        if body is None:
            response = getattr(client, method)(path, **request)
        else:
            response = client.generic(method.upper(), path, body, content_type="application/json", **request)
        transaction.set_rollback(True)
    assert response.status_code < 500, (method, path, request, response.content[:300])
    return response


def _basic(client_id, secret) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


@pytest.fixture
def backpack(client):
    return register(client, scope=ALL_SCOPES).json()  # a platform asks only for the scopes it registered


@pytest.fixture
def learner():
    return learner_user().user


# Registration (RFC 7591) and its management (RFC 7592)

METADATA = st.dictionaries(st.sampled_from([*BACKPACK, "client_id", "jwks"]), JSON | ODD, max_size=4).map(
    lambda changes: json.dumps({**BACKPACK, **changes})
)
BODY = METADATA | JSON.map(json.dumps) | st.binary(max_size=100) | st.just("[" * 50_000)


@FUZZ
@given(body=BODY)
def test_registration_answers_any_body_without_a_server_error(client, body):
    response = _answer(client, "post", "/oauth/register/", body)
    assert response.status_code in (201, 400)


@FUZZ
@given(
    method=st.sampled_from(["get", "put", "delete", "patch", "post"]),
    body=BODY,
    token=st.none() | HEADER,
    client_id=st.none() | st.text(min_size=1, max_size=60),
)
def test_registration_management_answers_any_request_without_a_server_error(
    client, backpack, method, body, token, client_id
):
    path = backpack["registration_client_uri"] if client_id is None else f"/oauth/register/{quote(client_id, safe='')}/"
    authorization = f"Bearer {backpack['registration_access_token']}" if token is None else token
    _answer(client, method, path, body, HTTP_AUTHORIZATION=authorization)


# The token endpoint

TOKEN_FIELDS = st.sampled_from(
    ["grant_type", "code", "redirect_uri", "code_verifier", "refresh_token", "scope", "client_id", "client_secret",
     "device_code", "username", "password", "resource"]
)  # fmt: skip


@pytest.fixture
def exchange(client, backpack, learner):
    """A code the learner just gave the backpack, its verifier and a refresh token from an earlier exchange."""
    refresh_token = tokens(client, learner, backpack)["refresh_token"]
    code, verifier = consent(client, learner, backpack)
    return {"code": code, "code_verifier": verifier, "refresh_token": refresh_token, "redirect_uri": CALLBACK}


@FUZZ
@given(
    grant_type=st.sampled_from(["authorization_code", "refresh_token", "client_credentials", "password", "implicit",
                                "urn:ietf:params:oauth:grant-type:device_code"]) | TEXT,
    real=st.sets(st.sampled_from(["code", "code_verifier", "refresh_token", "redirect_uri"])),
    junk=st.dictionaries(TOKEN_FIELDS, TEXT, max_size=4),
    authorization=st.sampled_from(["secret", "wrong secret", "none"]) | HEADER,
)  # fmt: skip
def test_the_token_endpoint_answers_any_form_without_a_server_error(
    client, backpack, exchange, grant_type, real, junk, authorization
):
    form = {"grant_type": grant_type, **{field: exchange[field] for field in real}, **junk}
    headers = {
        "secret": {"HTTP_AUTHORIZATION": _basic(backpack["client_id"], backpack["client_secret"])},
        "wrong secret": {"HTTP_AUTHORIZATION": _basic(backpack["client_id"], "wrong")},
        "none": {},
    }.get(authorization, {"HTTP_AUTHORIZATION": authorization})
    response = _answer(client, "post", "/oauth/token/", data=form, **headers)
    assert response.status_code in (200, 400, 401)


# The authorisation endpoint and the consent page


@FUZZ
@given(
    method=st.sampled_from(["get", "post"]),
    changes=st.dictionaries(
        st.sampled_from(["response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge",
                         "code_challenge_method", "approval_prompt", "prompt", "resource", "claims", "nonce",
                         "allow", "response_mode"]),
        TEXT,
        max_size=4,
    ),
)  # fmt: skip
def test_the_authorisation_endpoint_answers_any_query_without_a_server_error(
    client, backpack, learner, method, changes
):
    params, _verifier = authorisation_request(backpack, ALL_SCOPES)
    client.force_login(learner)
    _answer(client, method, "/oauth/authorize/", data={**params, **changes})


# Revocation and introspection


@FUZZ
@given(
    path=st.sampled_from(["/oauth/revoke_token/", "/oauth/introspect/"]),
    method=st.sampled_from(["get", "post"]),
    form=st.dictionaries(st.sampled_from(["token", "token_type_hint", "client_id", "client_secret"]), TEXT, max_size=3),
    real_token=st.booleans(),
    authorization=st.sampled_from(["secret", "bearer"]) | HEADER,
)
def test_revocation_and_introspection_answer_any_request_without_a_server_error(
    client, backpack, exchange, path, method, form, real_token, authorization
):
    if real_token:
        form = {**form, "token": exchange["refresh_token"]}
    header = {
        "secret": _basic(backpack["client_id"], backpack["client_secret"]),
        "bearer": f"Bearer {backpack['registration_access_token']}",
    }.get(authorization, authorization)
    _answer(client, method, path, data=form, HTTP_AUTHORIZATION=header)


# The discovery documents


@FUZZ
@given(
    path=st.sampled_from(
        ["/.well-known/oauth-authorization-server", "/ims/ob/v3p0/discovery", "/ims/clr/v2p0/discovery"]
    ),
    method=st.sampled_from(["get", "head", "options", "post", "put", "delete", "patch"]),
    query=st.dictionaries(TEXT, TEXT, max_size=3),
)
def test_discovery_documents_answer_any_request_without_a_server_error(client, path, method, query):
    _answer(client, method, f"{path}?{urlencode(query)}", json.dumps(query))


# getCredentials and getProfile


@pytest.fixture
def learner_token(client, backpack, award):
    """A token of a learner holding a credential, with every scope."""
    return tokens(client, award.learner.user, backpack, scope=ALL_SCOPES)["access_token"]


IMS = st.sampled_from(
    ["/ims/ob/v3p0/credentials", "/ims/ob/v3p0/profile", "/ims/clr/v2p0/credentials", "/ims/clr/v2p0/profile"]
)


def _spec_error_if_any(response) -> bool:
    """Whether an error answer is the specifications' Imsx_StatusInfo."""
    return response.status_code < 400 or response.json()["imsx_codeMajor"] == "failure"


@settings(FUZZ, max_examples=150)
@given(
    path=st.sampled_from(["/ims/ob/v3p0/credentials", "/ims/clr/v2p0/credentials"]),
    name=st.sampled_from(["limit", "offset"]),
    value=NUMBER,
    other=st.dictionaries(TEXT, TEXT, max_size=2),
)
def test_paging_answers_any_value_without_a_server_error(client, learner_token, path, name, value, other):
    response = _answer(client, "get", path, data={**other, name: value}, HTTP_AUTHORIZATION=f"Bearer {learner_token}")
    assert response.status_code in (200, 400) and _spec_error_if_any(response)


@FUZZ
@given(
    path=IMS,
    method=st.sampled_from(["get", "head", "options", "post", "put", "delete"]),
    body=JSON.map(json.dumps),
    authorization=st.sampled_from(["token", "token with junk", "registration token"]) | HEADER,
)
def test_the_1edtech_apis_answer_any_method_body_or_token_without_a_server_error(
    client, backpack, learner_token, path, method, body, authorization
):
    header = {
        "token": f"Bearer {learner_token}",
        "token with junk": f"Bearer {learner_token}\x00 x",
        "registration token": f"Bearer {backpack['registration_access_token']}",
    }.get(authorization, authorization)
    response = _answer(client, method, path, body, HTTP_AUTHORIZATION=header)
    assert method == "head" or _spec_error_if_any(response)
