"""Benchmark: issue a cohort of N learners through a real Redis broker and real Celery worker processes.

.venv/bin/python bench/issue_cohort.py [learners] [workers]
"""

import datetime
import os
import sys
import time

from setup import ROOT, demo_staff, django_with_fresh_database


def main(count, worker_count):
    django_with_fresh_database("cohort")
    from django.conf import settings

    from config import celery_app, embedded_redis
    from config.celery_workers import start_workers, stop_workers

    redis, url = embedded_redis.start(ROOT / "var" / "bench-redis")
    celery_app.close()
    celery_app.conf.update(broker_url=url, task_always_eager=False)
    env = {**os.environ, "CELERY_BROKER_URL": url, "DATABASE_URL": os.environ["DATABASE_URL"], "DJANGO_DEBUG": "false"}
    workers = start_workers([f"bench{i}@localhost" for i in range(worker_count)], broker_url=url, env=env)
    try:
        from awards import keys, services
        from awards.models import Award
        from catalog.models import Program
        from learners import services as learner_services
        from learners.models import Enrolment, Learner

        registrar, _, _ = demo_staff()
        keys.ensure_key()
        program = Program.objects.published().get(code="BUS-101")
        levels = {c.pk: c.levels.order_by("-points").first().pk for c in program.rubric.criteria.all()}
        Learner.objects.bulk_create(
            Learner(
                institution=program.institution,
                student_id=f"C{i:05d}",
                legal_name=f"Cohort Learner {i}",
                display_name=f"Learner {i}",
                email=f"cohort{i}@example.org",
            )
            for i in range(count)
        )
        # Results recorded before issuance starts, so only issuance is timed.
        from awards.receivers import issue_on_achievement
        from learners.signals import achievement_earned

        achievement_earned.disconnect(issue_on_achievement, dispatch_uid="awards.issue_on_achievement")
        for learner in Learner.objects.filter(student_id__startswith="C"):
            enrolment = learner_services.enrolment_create(learner=learner, program=program, cohort="bench")
            learner_services.attempt_record(
                enrolment=enrolment,
                assessor=registrar,
                levels=levels,
                assessed_on=datetime.date(2026, 11, 20),
                recorded_by=registrar,
                finalise=True,
            )
        start = time.perf_counter()
        batch, requested, _ = services.batch_issue(enrolments=Enrolment.objects.filter(cohort="bench"), user=registrar)
        while Award.objects.filter(batch=batch, status=Award.Status.ISSUED).count() < requested:
            if Award.objects.filter(batch=batch, status=Award.Status.FAILED).exists():
                raise SystemExit("an award failed: " + Award.objects.filter(status="failed").first().error)
            time.sleep(0.5)
        elapsed = time.perf_counter() - start
        print(
            f"cohort issue: {requested} credentials by {worker_count} worker(s) in {elapsed:.1f} s "
            f"= {requested / elapsed:.1f} credentials/s (broker {settings.CELERY_BROKER_URL.split(':')[0]})"
        )
    finally:
        stop_workers(workers)
        redis.terminate()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, int(sys.argv[2]) if len(sys.argv) > 2 else 2)
