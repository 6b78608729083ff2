"""awards.vc is a library: it imports no Django and nothing of the registry's apps."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "awards" / "vc"
FORBIDDEN = {"django", "rest_framework", "allauth", "celery", "config", "catalog", "learners", "awards", "portal"}


def _imports(path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, 0) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield node.module or "", node.level


@pytest.mark.parametrize("module", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_no_module_imports_django_or_the_apps(module):
    for name, level in _imports(module):
        if level:  # relative: must stay inside the package
            assert level == 1, f"{module.name} reaches out of awards.vc with a relative import"
            continue
        top = name.split(".")[0]
        assert top not in FORBIDDEN or name.startswith("awards.vc"), f"{module.name} imports {name}"


def test_signing_and_verifying_run_with_django_never_loaded():
    script = """
import sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from awards.vc import bitstring, data_integrity, jsonld, multikey, rdfc
key = Ed25519PrivateKey.generate()
did = "did:key:" + multikey.public_key_multibase(key.public_key())
document = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential"],
    "issuer": did,
    "credentialSubject": {"id": "did:example:learner"},
}
signed = data_integrity.sign(document, private_key=key, verification_method=did + "#k", created="2026-01-01T00:00:00Z")
data_integrity.verify(signed, key.public_key())
assert bitstring.is_set(bitstring.decode(bitstring.encode([5], size=1024)), 5)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in {"django", "catalog", "learners", "config"})
assert not loaded, loaded
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, env={})
    assert result.stdout.strip() == "ok", result.stderr
