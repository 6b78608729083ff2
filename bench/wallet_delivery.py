"""Benchmark: delivering credentials into wallets through the HTTP endpoints (in-process, Django's test client) —
VC-API exchanges (DID Authentication checked, copy signed) and OpenID4VCI (token, nonce, credential with a key
proof) — deliveries per second and SQL queries per delivery. Each flow includes the learner's approval: the
wallet's first presentation is answered at once (no waiting, ``WALLET_APPROVAL_WAIT`` = 0), the learner approves
its DID, and the wallet asks again.

.venv/bin/python bench/wallet_delivery.py [count]
"""

import base64
import json
import os
import sys
import time
from datetime import timedelta

from setup import assessed_learner, demo_staff, django_with_fresh_database, timed


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def main(count):
    os.environ["CELERY_BROKER_URL"] = "memory://"  # certificates are queued, not rendered: delivery is measured
    django_with_fresh_database("wallets")
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    from django.conf import settings
    from django.test import Client

    from awards import keys, services
    from awards.models import Award
    from awards.vc.data_integrity import hash_data
    from awards.vc.multikey import encode_base58btc, public_key_multibase
    from catalog.models import Program
    from wallets import services as wallets
    from wallets.models import WalletOffer

    settings.ALLOWED_HOSTS = ["*"]
    settings.WALLET_APPROVAL_WAIT = timedelta(0)
    settings.WALLET_OFFERS_PER_LEARNER = 2 * count  # the offers are made up front, one learner for all
    registrar, _, _ = demo_staff()
    keys.ensure_key()
    program = Program.objects.published().get(code="DATA-102")
    enrolment, attempt = assessed_learner(program, registrar)
    award = Award.objects.create(
        learner=enrolment.learner, program=program, enrolment=enrolment, attempt=attempt, status_list_index=1
    )
    award, _issued = services.award_issue(award.pk)
    client, holder = Client(), Ed25519PrivateKey.generate()
    did = "did:key:" + public_key_multibase(holder.public_key())

    def did_authentication(request):
        document = {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiablePresentation"],
            "holder": did,
        }
        proof = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2026-12-02T00:00:00Z",
                 "verificationMethod": f"{did}#{did[8:]}", "proofPurpose": "authentication",
                 "challenge": request["challenge"], "domain": request["domain"]}  # fmt: skip
        signature = holder.sign(hash_data(document, {**proof, "@context": document["@context"]}))
        return {**document, "proof": {**proof, "proofValue": encode_base58btc(signature)}}

    offers = [wallets.offer_create(learner=award.learner, award=award) for _ in range(count)]
    with timed("VC-API exchange (request, DID Authentication, signed copy)", count, "flows"):
        for offer in offers:
            url = f"/wallets/exchanges/{offer.pk}"
            request = client.post(url, {}, content_type="application/json").json()["verifiablePresentationRequest"]
            presentation = {"verifiablePresentation": did_authentication(request)}
            pending = client.post(url, presentation, content_type="application/json")
            assert pending.json()["error"] == "authorization_pending", pending.content
            wallets.offer_approve(offer=offer, learner=award.learner, holder=did)
            answer = client.post(url, presentation, content_type="application/json")
            assert answer.status_code == 200, answer.content

    public = _b64(holder.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))

    def key_proof():
        nonce = client.post("/wallets/nonce").json()["c_nonce"]
        header = {"typ": "openid4vci-proof+jwt", "alg": "EdDSA", "jwk": {"kty": "OKP", "crv": "Ed25519", "x": public}}
        claims = {"aud": settings.REGISTRY_PUBLIC_URL, "iat": int(time.time()), "nonce": nonce}
        signing_input = _b64(json.dumps(header).encode()) + "." + _b64(json.dumps(claims).encode())
        return signing_input + "." + _b64(holder.sign(signing_input.encode()))

    offers = [wallets.offer_create(learner=award.learner, award=award) for _ in range(count)]
    with timed("OpenID4VCI (token with PIN, nonce, credential with key proof)", count, "flows"):
        for offer in offers:
            token = client.post(
                "/wallets/token",
                {"grant_type": "urn:ietf:params:oauth:grant-type:pre-authorized_code",
                 "pre-authorized_code": wallets.pre_authorized_code(offer), "tx_code": wallets.tx_code(offer)},
            ).json()["access_token"]  # fmt: skip
            answer = client.post(
                "/wallets/credential", {"proofs": {"jwt": [key_proof()]}}, content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )  # fmt: skip
            assert answer.json()["error"] == "authorization_pending", answer.content
            holder_did = WalletOffer.objects.get(pk=offer.pk).pending_holder
            wallets.offer_approve(offer=offer, learner=award.learner, holder=holder_did)
            answer = client.post(
                "/wallets/credential", {"proofs": {"jwt": [key_proof()]}}, content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )  # fmt: skip
            assert answer.status_code == 200, answer.content


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
