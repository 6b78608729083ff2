"""Benchmark: the registry's eddsa-rdfc-2022 signing and verifying against the JavaScript reference (Digital
Bazaar's @digitalbazaar/vc, behind the DCC verifiers) on the very credential the registry signs, in alternating
batches on one core each; then where the time goes per credential, and how it grows with the credential.

.venv/bin/python bench/sign_vs_reference.py [credentials per batch] [rounds]
"""

import copy
import hashlib
import json
import shutil
import statistics
import subprocess
import sys
import time

from setup import ROOT, assessed_learner, demo_staff, django_with_fresh_database

sys.path.insert(0, str(ROOT / "scripts"))
from bootstrap import ensure_node_modules  # noqa: E402

REFERENCE = ROOT / "bench" / "reference"


def unsigned_credential():
    """The demo's DATA-102 credential with rubric results, as the registry builds it."""
    from django.utils import timezone

    from awards import credentials
    from awards.models import Award
    from catalog.models import Program

    registrar, _, _ = demo_staff()
    program = Program.objects.published().get(code="DATA-102")
    enrolment, attempt = assessed_learner(program, registrar)
    award = Award.objects.create(
        learner=enrolment.learner, program=program, enrolment=enrolment, attempt=attempt, status_list_index=1
    )
    return credentials.build(award, issued_at=timezone.now())


def python_rates(document, count, *, distinct=False):
    """Signatures and verifications per second; ``distinct`` gives every credential its own achievement, so that
    nothing comes from the memo of named nodes (in a cohort, the achievement repeats)."""
    from awards import keys
    from awards.vc import data_integrity

    key = keys.ensure_key()
    private, method = keys.private_key(key), keys.verification_method(key)
    public = private.public_key()
    created = document["validFrom"]
    documents = [document] * count
    if distinct:
        documents = [copy.deepcopy(document) for _ in range(count)]
        for number, each in enumerate(documents):
            each["credentialSubject"]["achievement"]["name"] += f" ({number})"
    start = time.perf_counter()
    signed = [
        data_integrity.sign(each, private_key=private, verification_method=method, created=created)
        for each in documents
    ]
    sign_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for credential in signed:
        data_integrity.verify(credential, public)
    return count / sign_seconds, count / (time.perf_counter() - start)


def reference_rates(document, count):
    from awards.vc import jsonld

    node = shutil.which("node") or shutil.which("nodejs")
    payload = {"document": document, "count": count, "contexts": {u: jsonld._contexts()[u] for u in jsonld._contexts()}}
    output = subprocess.run(
        [node, "sign.js"], input=json.dumps(payload), capture_output=True, text=True, check=True, cwd=REFERENCE
    ).stdout
    rates = json.loads(output)
    return rates["sign"], rates["verify"]


def time_split(document, count=200):
    """Milliseconds per credential in each stage of signing (both canonicalizations of the proof included)."""
    from awards import keys
    from awards.vc import data_integrity, jsonld, rdfc

    private, method = keys.private_key(keys.active_key()), keys.verification_method(keys.active_key())
    config = data_integrity.proof_configuration(document, verification_method=method, created=document["validFrom"])
    pyld_quads = (jsonld.pyld_quads(config), jsonld.pyld_quads(document))
    canonical = jsonld.canonical_nquads(document).encode()
    stages = {
        "JSON-LD → RDF (fast path)": lambda: (jsonld._fast().to_quads(config), jsonld._fast().to_quads(document)),
        "JSON-LD → RDF (PyLD, before)": lambda: (jsonld.pyld_quads(config), jsonld.pyld_quads(document)),
        "RDFC-1.0 canonicalization": lambda: [rdfc.canonicalize(quads) for quads in pyld_quads],
        "SHA-256": lambda: hashlib.sha256(canonical).digest(),
        "Ed25519": lambda: private.sign(b"\0" * 64),
    }
    result = {}
    for label, stage in stages.items():
        runs = count if "PyLD" not in label else max(20, count // 10)
        start = time.perf_counter()
        for _ in range(runs):
            stage()
        result[label] = (time.perf_counter() - start) / runs * 1000
    return result


def grown(document, size):
    """The credential with ``size`` alignments, rubric criteria (descriptions and results) and evidence items."""
    grown = copy.deepcopy(document)
    achievement = grown["credentialSubject"]["achievement"]
    alignment = achievement["alignment"][0]
    achievement["alignment"] = [{**alignment, "targetCode": f"{alignment['targetCode']}-{n}"} for n in range(size)]
    description = achievement["resultDescription"][0]
    result = grown["credentialSubject"]["result"][0]
    achievement["resultDescription"] = [{**description, "id": f"{description['id']}-{n}"} for n in range(size)]
    grown["credentialSubject"]["result"] = [
        {**result, "resultDescription": f"{description['id']}-{n}"} for n in range(size)
    ]
    evidence = grown["evidence"][0]
    grown["evidence"] = [{**evidence, "name": f"{evidence['name']} {n}"} for n in range(size)]
    return grown


def main(count, rounds):
    django_with_fresh_database("reference")
    ensure_node_modules(REFERENCE)
    document = unsigned_credential()
    size = len(json.dumps(document, ensure_ascii=False).encode())
    print(f"credential: OpenBadgeCredential of {size / 1024:.1f} KB; {count} per batch, {rounds} alternating rounds")
    ours, reference = [], []
    for round_number in range(rounds):
        ours.append(python_rates(document, count))
        reference.append(reference_rates(document, count))
        print(
            f"  round {round_number + 1}: registry sign {ours[-1][0]:.0f}/s verify {ours[-1][1]:.0f}/s; "
            f"reference sign {reference[-1][0]:.0f}/s verify {reference[-1][1]:.0f}/s",
            flush=True,
        )
    for index, label in enumerate(("sign", "verify")):
        mine, theirs = statistics.median(r[index] for r in ours), statistics.median(r[index] for r in reference)
        print(f"{label}: registry {mine:.0f}/s, reference {theirs:.0f}/s — ratio {mine / theirs:.1f}×")
    print("time per credential:")
    for label, milliseconds in time_split(document).items():
        print(f"  {label:<30} {milliseconds:7.3f} ms")
    sign, verify = python_rates(document, count, distinct=True)
    print(f"every credential with its own achievement (no memoized nodes): sign {sign:.0f}/s, verify {verify:.0f}/s")
    for items in (1, 10, 30):
        sign, verify = python_rates(grown(document, items), max(50, count // 4), distinct=True)
        print(f"  {items:2d} alignments, criteria and evidence items: sign {sign:.0f}/s, verify {verify:.0f}/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500, int(sys.argv[2]) if len(sys.argv) > 2 else 3)
