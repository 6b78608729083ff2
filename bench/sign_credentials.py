"""Benchmark: build + sign credentials in-process (no broker), verify them, and build + sign + store a cohort
in chunks as the signing workers do (``award_issue_batch``: one transaction per chunk of 50).

.venv/bin/python bench/sign_credentials.py [count]
"""

import datetime
import os
import sys

from setup import demo_staff, django_with_fresh_database, timed


def main(count):
    os.environ["CELERY_BROKER_URL"] = "memory://"  # certificates are queued, not rendered: signing is measured
    django_with_fresh_database("sign")
    from django.utils import timezone

    from awards import credentials, keys, verification
    from awards.models import Award
    from awards.vc import data_integrity
    from catalog.models import Program
    from learners import services as learner_services
    from learners.models import Learner

    registrar, _, _ = demo_staff()
    key = keys.ensure_key()
    program = Program.objects.published().get(code="DATA-102")
    rubric = program.rubric
    levels = {c.pk: c.levels.order_by("-points").first().pk for c in rubric.criteria.all()}
    learner = Learner.objects.create(
        institution=program.institution, legal_name="Bench Learner", display_name="Bench", email="bench@example.org"
    )
    enrolment = learner_services.enrolment_create(learner=learner, program=program)
    attempt = learner_services.attempt_record(
        enrolment=enrolment,
        assessor=registrar,
        levels=levels,
        assessed_on=datetime.date(2026, 11, 20),
        recorded_by=registrar,
    )
    award = Award(learner=learner, program=program, enrolment=enrolment, attempt=attempt, status_list_index=1)
    award.save()
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

    from awards import services

    pending = []
    for index in range(count):
        learner = Learner.objects.create(
            institution=program.institution, legal_name=f"Cohort {index}", display_name="C", email=f"c{index}@ex.org"
        )
        enrolment = learner_services.enrolment_create(learner=learner, program=program)
        attempt = learner_services.attempt_record(
            enrolment=enrolment, assessor=registrar, levels=levels, assessed_on=datetime.date(2026, 11, 20),
            recorded_by=registrar,
        )  # fmt: skip
        pending.append(
            Award.objects.create(
                learner=learner, program=program, enrolment=enrolment, attempt=attempt, status_list_index=index + 2
            ).pk
        )
    chunk = services.ISSUE_CHUNK
    with timed(f"build + sign + store in chunks of {chunk}", count, "credentials"):
        for start in range(0, count, chunk):
            services.award_issue_batch(pending[start : start + chunk])


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
