"""Benchmark: build + sign credentials in-process (no broker), verify them, and build + sign + store a cohort
in chunks as the signing workers do (``award_issue_batch``: one transaction per chunk of 50).

.venv/bin/python bench/sign_credentials.py [count]
"""

import itertools
import json
import os
import sys
import time

from setup import assessed_learner, demo_staff, django_with_fresh_database, timed


def main(count):
    os.environ["CELERY_BROKER_URL"] = "memory://"  # certificates are queued, not rendered: signing is measured
    django_with_fresh_database("sign")
    from django.utils import timezone

    from awards import credentials, keys, services, verification
    from awards.models import Award
    from awards.vc import data_integrity
    from catalog.models import Program

    registrar, _, _ = demo_staff()
    key = keys.ensure_key()
    program = Program.objects.published().get(code="DATA-102")
    enrolment, attempt = assessed_learner(program, registrar)
    award = Award.objects.create(
        learner=enrolment.learner, program=program, enrolment=enrolment, attempt=attempt, status_list_index=1
    )
    secret, method = keys.private_key(key), keys.verification_method(key)

    signed = []
    with timed("build + sign (OpenBadgeCredential with rubric results)", count, "credentials"):
        for _ in range(count):
            document = credentials.build(award, issued_at=timezone.now())
            signed.append(
                data_integrity.sign(
                    document, private_key=secret, verification_method=method, created=document["validFrom"]
                )
            )
    with timed("verify (signature, key, dates, status)", count, "credentials"):
        for document in signed:
            assert verification.verify(document).verdict in ("valid",)

    pending = []
    for index in range(count):
        enrolment, attempt = assessed_learner(program, registrar, index + 1)
        pending.append(
            Award.objects.create(
                learner=enrolment.learner,
                program=program,
                enrolment=enrolment,
                attempt=attempt,
                status_list_index=index + 2,
            ).pk
        )
    chunk = services.ISSUE_CHUNK
    half = count // 2
    with timed(f"build + sign + store in chunks of {chunk}", half, "credentials"):
        for start in range(0, half, chunk):
            services.award_issue_batch(pending[start : start + chunk])
    print("where a chunk's time goes, per credential:")
    for stage, milliseconds in chunk_split(pending[half:], chunk).items():
        print(f"  {stage:<42} {milliseconds:6.3f} ms")


def chunk_split(award_ids, chunk):
    """The stages of ``award_issue_batch``, timed apart (same calls, same order, one transaction per chunk)."""
    from django.db import transaction

    from awards import credentials, services
    from awards.selectors import awards_for_issuing
    from awards.vc import data_integrity

    stages = [
        "load (one prefetch per chunk)",
        "build",
        "sign (JSON-LD → RDF, RDFC, Ed25519)",
        "store (one UPDATE, one history insert)",
        "commit (+ pathway check, one message)",
    ]
    totals = dict.fromkeys(stages, 0.0)
    for start in range(0, len(award_ids), chunk):
        moments = [time.perf_counter()]
        with transaction.atomic():
            awards = list(awards_for_issuing(award_ids[start : start + chunk]))
            moments.append(time.perf_counter())
            signer = services._Signer()
            shared = signer.achievements
            documents = [credentials.build(a, issued_at=signer.issued_at, achievements=shared) for a in awards]
            moments.append(time.perf_counter())
            created = credentials.iso(signer.issued_at)
            for award, document in zip(awards, documents, strict=True):
                signed = data_integrity.sign(
                    document, private_key=signer.private_key, verification_method=signer.method, created=created
                )
                award.credential = json.dumps(signed, ensure_ascii=False, separators=(",", ":"))
                award.status, award.issued_at = "issued", signer.issued_at
            moments.append(time.perf_counter())
            services._store_issued(awards)
            moments.append(time.perf_counter())
            services._after_issue(awards)
        moments.append(time.perf_counter())
        for stage, (begin, end) in zip(stages, itertools.pairwise(moments), strict=True):
            totals[stage] += end - begin
    return {stage: seconds / len(award_ids) * 1000 for stage, seconds in totals.items()}


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
