"""Benchmark: a cohort issued through the production topology — PostgreSQL, Redis, N signing workers and one
certificates worker as separate processes — for each N given: wall time, credentials/s, PDFs/s, duplicates.

.venv/bin/python bench/issue_cohort.py [learners] [signing workers, e.g. 1,2,4] [--signing-only]

--signing-only starts no certificates worker, so that the scaling curve measures signing alone (on a 2-core
machine the PDF renderer otherwise takes a core from the signers).

Results are recorded once (not timed); for each N the awards are cleared and the whole cohort is issued again
through the registrar's bulk issue (services.batch_issue, as the admin action calls it).
"""

import os
import sys
import time

from setup import ROOT, assessed_learner, demo_staff, django_with_postgres


def record_cohort(count):
    from awards.receivers import issue_on_achievement
    from catalog.models import Program
    from learners.models import Enrolment
    from learners.signals import achievement_earned

    registrar, _, _ = demo_staff()
    program = Program.objects.published().get(code="BUS-101")
    # Results recorded before issuance starts, so only issuance is timed.
    achievement_earned.disconnect(issue_on_achievement, dispatch_uid="awards.issue_on_achievement")
    for index in range(count):
        assessed_learner(program, registrar, index, finalise=True, cohort="bench")
    return registrar, Enrolment.objects.filter(cohort="bench")


def issue_with(signing_workers, registrar, enrolments, env, redis_url, *, pdfs):
    from awards import services
    from awards.models import Award
    from config.celery_workers import start_workers, stop_processes

    Award.objects.all().delete()
    suffix = time.monotonic_ns()
    signers = start_workers([f"sign{i}-{suffix}@localhost" for i in range(signing_workers)], broker_url=redis_url,
                            env=env, queues=["signing"])  # fmt: skip
    renderer = []
    if pdfs:
        renderer = start_workers([f"pdf-{suffix}@localhost"], broker_url=redis_url, env=env, queues=["certificates"])
    try:
        start = time.perf_counter()
        batch, requested, _ = services.batch_issue(enrolments=enrolments, user=registrar)
        queued = time.perf_counter() - start
        awards = Award.objects.filter(batch=batch)
        while awards.filter(status=Award.Status.ISSUED).count() < requested:
            if awards.filter(status=Award.Status.FAILED).exists():
                raise SystemExit("an award failed: " + awards.filter(status="failed").first().error)
            time.sleep(0.5)
        signed = time.perf_counter() - start
        while pdfs and awards.exclude(certificate="").count() < requested:
            time.sleep(0.5)
        rendered = time.perf_counter() - start
        duplicates = sum(award.history.filter(status=Award.Status.ISSUED).count() - 1 for award in awards)
    finally:
        stop_processes(signers + renderer)
    pdf_report = f"all {requested} PDFs by {rendered:.1f} s = {requested / rendered:.1f} PDFs/s; " if pdfs else ""
    print(
        f"{signing_workers} signing worker(s): {requested} credentials signed in {signed:.1f} s "
        f"= {requested / signed:.1f}/s (the bulk action took {queued:.1f} s of it); {pdf_report}"
        f"duplicates: {duplicates}",
        flush=True,
    )


def main(count, worker_counts, pdfs):
    with django_with_postgres():
        from config import celery_app, embedded_redis

        redis, redis_url = embedded_redis.start(ROOT / "var" / "bench-redis")
        celery_app.close()
        celery_app.conf.update(broker_url=redis_url, task_always_eager=False)
        env = {**os.environ, "CELERY_BROKER_URL": redis_url}
        try:
            from awards import keys

            keys.ensure_key()
            started = time.perf_counter()
            registrar, enrolments = record_cohort(count)
            print(f"cohort of {count} recorded in {time.perf_counter() - started:.0f} s (not timed below)", flush=True)
            for workers in worker_counts:
                issue_with(workers, registrar, enrolments, env, redis_url, pdfs=pdfs)
        finally:
            redis.terminate()


if __name__ == "__main__":
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    main(
        int(arguments[0]) if arguments else 1000,
        [int(n) for n in (arguments[1] if len(arguments) > 1 else "1,2,4").split(",")],
        pdfs="--signing-only" not in sys.argv,
    )
