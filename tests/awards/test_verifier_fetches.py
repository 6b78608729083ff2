"""The verifier's outbound fetches: only public addresses, pinned, no redirects, bounded, cached, generic errors.

No test here touches the network: names resolve through the ``fake_dns`` table and the allowed path is a
local TLS server with its own CA, exempted from the public-address rule by setting.
"""

import html
import json
import socket
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from awards import verification
from awards.vc import data_integrity
from awards.vc.multikey import public_key_multibase
from config import outbound
from tests.awards.tls_server import serve_https

pytestmark = pytest.mark.django_db
VECTORS = Path(__file__).resolve().parents[1] / "vc" / "vectors" / "1edtech"
GENERIC_DID_FAILURE = "The issuer's DID document could not be retrieved."

NOT_PUBLIC = [
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",  # noqa: S104 - the address under test, not a bind
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
    "192.0.2.10",  # documentation
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.1.2.3",
    "2002:7f00:1::",  # 6to4 wrapping 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 wrapping 10.0.0.1
    "2001:db8::1",
]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_non_public_addresses_are_refused(address):
    assert not outbound.is_public(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_accepted(address):
    assert outbound.is_public(address)


def _did_web_document(did, method, secret):
    return {
        "id": did,
        "assertionMethod": [method],
        "verificationMethod": [
            {
                "id": method,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": public_key_multibase(secret.public_key()),
            }
        ],
    }


def _credential_signed_by(did, method, secret, **extra):
    credential = json.loads((VECTORS / "ob30-simple.json").read_text())
    credential.pop("proof")
    credential["issuer"]["id"] = did
    credential.update(extra)
    return data_integrity.sign(
        credential, private_key=secret, verification_method=method, created="2024-01-01T00:00:00Z"
    )


@pytest.fixture
def listener():
    """A loopback port that records whether anything connected to it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def _connections(listener):
    count = 0
    while True:
        try:
            connection, _ = listener.accept()
        except BlockingIOError:
            return count
        connection.close()
        count += 1


def test_loopback_did_web_is_never_contacted_and_the_page_says_nothing_about_it(client, listener):
    port = listener.getsockname()[1]
    did = f"did:web:127.0.0.1%3A{port}:admin:secret"
    secret = Ed25519PrivateKey.generate()
    credential = _credential_signed_by(did, f"{did}#k", secret)
    response = client.post("/verify/", {"credential_json": json.dumps(credential)})
    assert response.status_code == 200
    assert _connections(listener) == 0
    body = html.unescape(response.content.decode())
    assert GENERIC_DID_FAILURE in body
    for leak in ("refused", "127.0.0.1 is not", "not a public address", "Errno"):
        assert leak not in body


def test_a_name_resolving_to_a_private_address_is_refused_before_connecting(fake_dns, monkeypatch):
    fake_dns["badges.evil.example"] = ["93.184.215.14", "10.0.0.7"]  # one bad answer is enough to refuse
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: pytest.fail("no connection may be opened"))
    with pytest.raises(outbound.FetchRefused, match="10.0.0.7 is not a public address"):
        outbound.get("https://badges.evil.example/.well-known/did.json", policy=outbound.Policy())


def test_status_list_on_a_private_address_is_not_fetched(monkeypatch):
    secret = Ed25519PrivateKey.generate()
    did = "did:key:" + public_key_multibase(secret.public_key())
    status = {
        "id": "https://10.0.0.5/status/1#7",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "7",
        "statusListCredential": "https://10.0.0.5/status/1",
    }
    credential = _credential_signed_by(did, f"{did}#{did[8:]}", secret, credentialStatus=status)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: pytest.fail("no connection may be opened"))
    result = verification.verify(credential)
    assert result.verdict == "unverifiable"
    assert "The revocation status could not be checked: The status list could not be retrieved." in result.reasons


@pytest.mark.parametrize(
    "did",
    [
        "did:web:example.com%3Aabc",
        "did:web:exa%0Ample.com",
        "did:web:",
        "did:web:user%40host.example",
        "did:web:-x-.com",
    ],
)
def test_malformed_did_web_hosts_get_a_verdict(did):
    secret = Ed25519PrivateKey.generate()
    result = verification.verify(_credential_signed_by(did, f"{did}#k", secret))
    assert result.verdict == "unverifiable"
    assert result.reasons == [GENERIC_DID_FAILURE]


def test_every_fetch_failure_reads_the_same(fake_dns, tmp_path, settings):
    secret = Ed25519PrivateKey.generate()
    fake_dns["issuer.test"] = ["127.0.0.1"]
    settings.VERIFIER_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    routes = {"/missing/did.json": (404, {}, b"no"), "/garbage/did.json": (200, {}, b"<html>")}
    reasons = set()
    with serve_https(tmp_path, "issuer.test", routes) as (port, ca_file, _):
        settings.VERIFIER_FETCH_CA_FILE = ca_file
        for path in ("missing", "garbage"):
            did = f"did:web:issuer.test%3A{port}:{path}"
            reasons.add(tuple(verification.verify(_credential_signed_by(did, f"{did}#k", secret)).reasons))
    did = "did:web:unknown.test"
    reasons.add(tuple(verification.verify(_credential_signed_by(did, f"{did}#k", secret)).reasons))
    assert reasons == {(GENERIC_DID_FAILURE,)}


@pytest.fixture
def issuer_server(fake_dns, tmp_path, settings):
    """A did:web issuer on a local TLS server at issuer.test, exempted from the public-address rule."""
    secret = Ed25519PrivateKey.generate()
    routes = {}
    with serve_https(tmp_path, "issuer.test", routes) as (port, ca_file, requests):
        fake_dns["issuer.test"] = ["127.0.0.1"]
        settings.VERIFIER_FETCH_ALLOWED_NETWORKS = ["127.0.0.1/32"]
        settings.VERIFIER_FETCH_CA_FILE = ca_file
        did = f"did:web:issuer.test%3A{port}"
        routes["/.well-known/did.json"] = (200, {}, json.dumps(_did_web_document(did, f"{did}#key-1", secret)).encode())
        yield {"did": did, "secret": secret, "routes": routes, "requests": requests, "port": port}


def test_foreign_did_web_issuer_on_an_allowed_address_verifies_over_tls(issuer_server):
    did = issuer_server["did"]
    result = verification.verify(_credential_signed_by(did, f"{did}#key-1", issuer_server["secret"]))
    assert result.verdict == "valid", result.reasons
    path, host, server_name = issuer_server["requests"][0]
    assert path == "/.well-known/did.json"
    assert host.startswith("issuer.test")  # the name, though the connection went to the checked address
    assert server_name == "issuer.test"  # SNI: the certificate was checked for the name


def test_the_name_is_resolved_once_and_the_checked_address_is_used(issuer_server, fake_dns, monkeypatch):
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])  # a rebinding DNS server changes its answer
    calls = []
    monkeypatch.setattr(outbound, "resolve", lambda host, port: calls.append(host) or next(answers))
    did = issuer_server["did"]
    result = verification.verify(_credential_signed_by(did, f"{did}#key-1", issuer_server["secret"]))
    assert result.verdict == "valid", result.reasons
    assert calls == ["issuer.test"]


def test_redirects_are_not_followed(issuer_server):
    did = issuer_server["did"]
    issuer_server["routes"]["/.well-known/did.json"] = (302, {"Location": "https://127.0.0.1:1/internal"}, b"")
    result = verification.verify(_credential_signed_by(did, f"{did}#key-1", issuer_server["secret"]))
    assert result.reasons == [GENERIC_DID_FAILURE]
    assert [request[0] for request in issuer_server["requests"]] == ["/.well-known/did.json"]


def test_a_certificate_for_another_name_is_refused(issuer_server, fake_dns):
    fake_dns["other.test"] = ["127.0.0.1"]
    did = f"did:web:other.test%3A{issuer_server['port']}"
    result = verification.verify(_credential_signed_by(did, f"{did}#key-1", issuer_server["secret"]))
    assert result.reasons == [GENERIC_DID_FAILURE]


def test_fetched_documents_are_cached_between_verifications(issuer_server):
    did = issuer_server["did"]
    for _ in range(3):
        credential = _credential_signed_by(did, f"{did}#key-1", issuer_server["secret"])
        assert verification.verify(credential).verdict == "valid"
    assert len(issuer_server["requests"]) == 1


def test_oversized_documents_are_refused(issuer_server, settings):
    settings.VERIFIER_FETCH_MAX_BYTES = 100
    did = issuer_server["did"]
    result = verification.verify(_credential_signed_by(did, f"{did}#key-1", issuer_server["secret"]))
    assert result.reasons == [GENERIC_DID_FAILURE]


def test_an_exhausted_time_budget_stops_before_connecting(monkeypatch, fake_dns):
    fake_dns["issuer.example"] = ["93.184.215.14"]
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: pytest.fail("no connection may be opened"))
    with pytest.raises(outbound.FetchRefused, match="time budget"):
        outbound.get("https://issuer.example/did.json", policy=outbound.Policy(), deadline=0)


@pytest.mark.parametrize(
    "url",
    ["http://issuer.example/did.json", "https://user:pw@issuer.example/x", "ftp://issuer.example/", "https://a b/"],
)
def test_only_plain_https_urls_are_fetched(url):
    with pytest.raises(outbound.FetchRefused):
        outbound.check_url(url)
