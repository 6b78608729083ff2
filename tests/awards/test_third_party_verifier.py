"""Our credentials, verified by Digital Bazaar's JavaScript VC stack (the basis of the DCC verifiers)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from awards import services
from awards.models import Award
from awards.vc import jsonld
from tests.awards.helpers import credential_of

pytestmark = pytest.mark.django_db
VERIFIER = Path(__file__).resolve().parents[1] / "thirdparty" / "verify.js"


def _third_party_verify(client, credentials):
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "Node.js is needed for the third-party verifier (.ci/run installs it)"
    assert (VERIFIER.parent / "node_modules").exists(), "run `npm ci` in tests/thirdparty (scripts/test.py does)"
    payload = {
        "credentials": credentials,
        "didDocument": client.get("/.well-known/did.json").json(),
        "statusLists": {
            credential["credentialStatus"]["statusListCredential"]: client.get(
                credential["credentialStatus"]["statusListCredential"]
            ).json()
            for credential in credentials
        },
        "contexts": {url: jsonld.document_loader(url)["document"] for url in jsonld._contexts()},
    }
    output = subprocess.run(
        [node, str(VERIFIER)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        cwd=VERIFIER.parent,
    ).stdout
    return json.loads(output)


def test_issued_credential_is_accepted_by_the_third_party_verifier(passed_attempt, client):
    [result] = _third_party_verify(client, [credential_of(Award.objects.get())])
    assert result == {"verified": True, "error": ""}


def test_third_party_verifier_sees_revocation(passed_attempt, client, registrar):
    award = Award.objects.get()
    services.award_revoke(award=award, user=registrar, reason="Issued in error")
    [result] = _third_party_verify(client, [credential_of(award)])
    assert result["verified"] is False and "revocation" in result["error"]


def test_third_party_verifier_rejects_tampering(passed_attempt, client):
    credential = credential_of(Award.objects.get())
    credential["credentialSubject"]["achievement"]["name"] = "Something grander"
    [result] = _third_party_verify(client, [credential])
    assert result["verified"] is False
