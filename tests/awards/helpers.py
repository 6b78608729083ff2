import json
import shutil
import subprocess
from functools import cache
from pathlib import Path

import jsonschema
from referencing import Registry, Resource

from awards.models import Award

SCHEMAS = Path(__file__).resolve().parents[2] / "awards" / "vc" / "standards" / "schemas"


@cache
def validator(name="ob_v3p0_achievementcredential_schema.json"):
    schema = json.loads((SCHEMAS / name).read_text())
    registry = Registry().with_resource(schema["$id"], Resource.from_contents(schema))
    return jsonschema.Draft201909Validator(schema, registry=registry, format_checker=jsonschema.FormatChecker())


def schema_errors(document, name="ob_v3p0_achievementcredential_schema.json"):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(document)]


def credential_of(award):
    award = Award.objects.get(pk=award.pk)
    return json.loads(award.credential)


def did_public_key(client, method):
    document = client.get("/.well-known/did.json").json()
    return next(m["publicKeyMultibase"] for m in document["verificationMethod"] if m["id"] == method)


def foreign_credential(secret=None, **changes):
    """An OB 3.0 credential from another issuer (the 1EdTech simple example), signed by ``secret``'s did:key (a
    fresh key unless given)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from awards.vc import data_integrity
    from awards.vc.multikey import public_key_multibase

    secret = secret or Ed25519PrivateKey.generate()
    did = "did:key:" + public_key_multibase(secret.public_key())
    credential = json.loads((Path(__file__).resolve().parents[1] / "vc/vectors/1edtech/ob30-simple.json").read_text())
    credential.pop("proof")
    credential["issuer"]["id"] = did
    credential.update(changes)
    return data_integrity.sign(
        credential, private_key=secret, verification_method=f"{did}#{did[8:]}", created="2024-01-01T00:00:00Z"
    )


VERIFIER = Path(__file__).resolve().parents[1] / "thirdparty" / "verify.js"


def third_party_verify(client, credentials):
    """Digital Bazaar's JavaScript VC stack's verdict on ``credentials``, given what ``client`` serves."""
    from awards.vc import jsonld

    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "Node.js is needed for the third-party verifier (.ci/run installs it)"
    assert (VERIFIER.parent / "node_modules").exists(), "run `npm ci` in tests/thirdparty (scripts/test.py does)"
    payload = {
        "credentials": credentials,
        "didDocument": client.get("/.well-known/did.json").json(),
        "statusLists": {
            entry["statusListCredential"]: client.get(entry["statusListCredential"]).json()
            for credential in credentials
            for entry in _entries(credential.get("credentialStatus"))
            if "statusListCredential" in entry
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


def _entries(status):
    return status if isinstance(status, list) else [status] if status else []
