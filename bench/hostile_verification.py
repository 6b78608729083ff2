"""Benchmark: what hostile credentials cost the verifier, beside a normal one, at /verify/ and in the batch API.

.venv/bin/python bench/hostile_verification.py [repeats]

Each shape is posted through Django's test client (in-process: the time is the web worker's own) with the
verifier's bounds as configured. Beside it, "unbounded" is what canonicalizing the same document costs with no
budget — the work the verifier did before the bounds existed — measured once. Prints the median time per request,
its ratio to a normal credential's and the verdict; then the same shape in a batch of as many copies as one
request may carry.
"""

import copy
import json
import os
import statistics
import sys
import time

from setup import ROOT, assessed_learner, demo_staff, django_with_fresh_database


def _shapes(foreign):
    """Each hostile shape an attacker's pass found (or that a bound exists for), made from a signed credential."""

    def changed(**changes):
        document = copy.deepcopy(foreign)
        document.update(changes)
        return document

    contexts = foreign["@context"]
    nested = changed()
    nested["evidence"] = [
        {"@context": {"@vocab": f"https://e.example/{i}/"}, "type": ["Evidence"], "note": {"@value": "x"}}
        for i in range(900)
    ]
    examples = [*contexts, "https://www.w3.org/ns/credentials/examples/v2"]  # defines any term
    node_map = changed(**{"@context": examples, "name": {"@value": "x"}})
    node_map["x"] = [{"id": "https://e.example/n", "p": [f"v{g}-{i}" for i in range(999)]} for g in range(10)]
    leaf = {"id": "https://e.example/leaf", **{f"k{i}": "é" * 40 for i in range(1500)}}
    for depth in range(25):
        leaf = {"id": f"https://e.example/{depth}", "next": leaf}
    chain = changed(**{"@context": examples, "x": leaf})
    return {
        "@context repeated 2,000 times (318 KB)": changed(**{"@context": contexts * 2000}),
        "one node's values repeated in 10 groups of 999 (PyLD's node map)": node_map,
        "25 nested named nodes around 1,500 long values": chain,
        "scoped type repeated 999 times": changed(type=["VerifiableCredential"] * 998 + ["OpenBadgeCredential"]),
        "type array of 20,000": changed(type=["VerifiableCredential"] * 19_999 + ["OpenBadgeCredential"]),
        "900 nodes with contexts of their own (PyLD)": nested,
        "inline context of 9,000 terms": changed(
            **{"@context": [*contexts, {f"t{i}": f"https://e.example/t{i}" for i in range(9000)}]}
        ),
    }


def _setup():
    from awards import keys, services
    from awards.models import Award
    from catalog.models import Program
    from partners.models import PartnerOrganisation
    from partners.services import api_key_create
    from tests.awards.helpers import foreign_credential

    registrar, _, _ = demo_staff()
    keys.ensure_key()
    assessed_learner(Program.objects.published().get(code="DATA-102"), registrar, 0, finalise=True)
    award = Award.objects.get()
    if award.status != Award.Status.ISSUED:
        services.award_issue(award.pk)
    partner = PartnerOrganisation.objects.create(name="Bench Employer", contact_email="bench@example.org")
    _, secret = api_key_create(
        organisation=partner, name="bench", scopes=["verify"], rate_per_minute=10**7, daily_quota=10**8
    )
    return secret, Award.objects.get().document(), foreign_credential()


def _timed(call, repeats, cold=False):
    """Median seconds per call; ``cold``: with the JSON-LD memo emptied first, as an attacker who varies each
    document meets it."""
    from awards.vc import jsonld

    times = []
    for _ in range(repeats):
        if cold:
            jsonld._fast.cache_clear()
        start = time.perf_counter()
        response = call()
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return statistics.median(times), response


def _operations(document):
    from awards import verification
    from awards.vc import limits

    with limits.bounded(limits.Limits(operations=10**12, max_quads=10**9, max_blank_nodes=10**9)) as budget:
        verification.verify(document)
    return budget.operations


def _unbounded(document):
    """Canonicalizing the document outside any budget, as the verifier did before it had one."""
    from awards.vc import jsonld

    jsonld._fast.cache_clear()
    start = time.perf_counter()
    try:
        jsonld.canonical_nquads({key: value for key, value in document.items() if key != "proof"})
    except Exception:  # noqa: BLE001, S110 - refused by the JSON-LD processor: the time is what counts here
        pass
    return time.perf_counter() - start


def main(repeats):
    os.environ["CELERY_BROKER_URL"] = "memory://"
    django_with_fresh_database("hostile")
    sys.path.insert(0, str(ROOT))
    from django.conf import settings
    from django.test import Client

    from awards.verification import Verdict

    secret, own, foreign = _setup()
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {secret}", SERVER_NAME="localhost")

    def page(document):
        return lambda: client.post("/verify/", {"credential_json": json.dumps(document)})

    def batch(documents):
        body = json.dumps({"credentials": documents})
        return lambda: client.post("/api/v1/verifications", body, content_type="application/json")

    def verdict(response):
        if response.headers["Content-Type"].startswith("application/json"):
            return ",".join(sorted({r["verdict"] for r in response.json()["results"]}))
        page = response.content.decode()
        return next((code for code in Verdict.LABELS if f'verdict-{code}"' in page), "none")

    page(foreign)(), batch([own])()  # warm the context memo, as a running server has
    normal_page, _ = _timed(page(foreign), repeats * 5)
    normal_batch, _ = _timed(batch([own] * 100), repeats)
    print(f"verification of hostile credentials, in-process (Django test client), median of {repeats}+ runs")
    print(f"  normal credential at /verify/: {normal_page * 1000:.1f} ms ({_operations(foreign):,} operations)")
    print(
        f"  batch API, 100 of this registry's credentials: {normal_batch * 1000:.0f} ms "
        f"({_operations(own):,} operations each, of a batch budget of {settings.VERIFIER_BATCH_OPERATION_BUDGET:,})"
    )
    worst = (0, "")
    for name, document in _shapes(foreign).items():
        size = len(json.dumps(document)) // 1024
        bounded, response = _timed(page(document), repeats, cold=True)
        unbounded = _unbounded(document)
        copies = min(100, settings.DATA_UPLOAD_MAX_MEMORY_SIZE // len(json.dumps(document)))  # what a request holds
        in_batch, batch_response = _timed(batch([document] * copies), 1, cold=True)
        worst = max(worst, (bounded, name))
        print(
            f"  {name}, {size} KB: /verify/ {bounded * 1000:.1f} ms ({bounded / normal_page:.1f}× normal; "
            f"unbounded {unbounded * 1000:.0f} ms), verdict {verdict(response)}; "
            f"batch of {copies}: {in_batch * 1000:.0f} ms ({in_batch / normal_batch:.2f}× a normal batch of 100), "
            f"verdicts {verdict(batch_response)}"
        )
    print(f"  worst hostile shape at /verify/: {worst[1]}, {worst[0] * 1000:.1f} ms = {worst[0] / normal_page:.1f}×")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
