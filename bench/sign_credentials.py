"""Benchmark: build + sign credentials in-process (no broker), verify them, and build + sign + store a cohort
in chunks as the signing workers do (``award_issue_batch``: one transaction per chunk of 50).

.venv/bin/python bench/sign_credentials.py [count]
"""

import os
import sys

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
    with timed(f"build + sign + store in chunks of {chunk}", count, "credentials"):
        for start in range(0, count, chunk):
            services.award_issue_batch(pending[start : start + chunk])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
