"""Wallets played by JavaScript with the libraries real wallets use (tests/thirdparty): the DCC Learner Credential
Wallet following its request link (``lcw_wallet.js``, LCW's own @digitalcredentials libraries, as its code calls
them), and a wallet that follows a verifiable presentation request's ``acceptedCryptosuites`` to the letter
(``vpr_wallet.js``, Digital Bazaar's Data Integrity libraries)."""

import json
import secrets
import shutil
import subprocess
from pathlib import Path

THIRD_PARTY = Path(__file__).resolve().parents[1] / "thirdparty"


def _node(script: str, payload: dict) -> dict:
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "Node.js is needed for the third-party wallets (.ci/run installs it)"
    run = subprocess.run(
        [node, str(THIRD_PARTY / script)], input=json.dumps(payload), capture_output=True, text=True,
        cwd=THIRD_PARTY, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


class LearnerCredentialWallet:
    """One LCW install: it mints its did:key on first use, as LCW does, and keeps it."""

    def __init__(self):
        self.did_record = None
        self.did = None

    def follow(self, link: str) -> dict:
        """Open an LCW request link and ask for the credential as LCW does: ``{did, presentation, status}`` and
        ``credentials`` (parsed as LCW parses them) or, when refused, the registry's ``error`` answer."""
        answer = _node("lcw_wallet.js", {"link": link, "didRecord": self.did_record})
        self.did_record, self.did = answer["didRecord"], answer["did"]
        return answer


class PresentationRequestWallet:
    """A wallet that signs DID Authentication with a cryptosuite the presentation request accepts."""

    def __init__(self):
        self.seed = secrets.token_bytes(32)
        self.did = None

    def answer(self, request: dict) -> dict:
        """``{did, cryptosuite, presentation}`` answering ``request`` (a ``verifiablePresentationRequest``)."""
        from awards.vc import jsonld

        contexts = {url: jsonld.document_loader(url)["document"] for url in jsonld._contexts()}
        answer = _node("vpr_wallet.js", {"seed": self.seed.hex(), "request": request, "contexts": contexts})
        self.did = answer["did"]
        return answer
