"""Benchmark: the outcomes dashboard with N learners spread over the demo catalog (default 10,000) — response
time of the whole page and of each CSV export, and SQL queries per request (the same for any N).

.venv/bin/python bench/quality_dashboard.py [learners] [repeats]

The cohort is written with bulk inserts (enrolments in every state, final attempts with rubric scores, survey
answers), so that the benchmark measures the dashboard, not the recording of results.
"""

import datetime
import random
import statistics
import sys
import time

from setup import demo_staff, django_with_fresh_database


def populate(count):
    from django.utils import timezone

    from catalog.models import Program
    from learners.models import AssessmentAttempt, CriterionScore, Enrolment, Learner
    from quality.models import SurveyResponse

    registrar, _, _ = demo_staff()
    rng = random.Random(7)
    programs = list(
        Program.objects.published().filter(rubric__isnull=False).prefetch_related("rubric__criteria__levels")
    )
    institution = programs[0].institution
    learners = Learner.objects.bulk_create(
        Learner(institution=institution, legal_name=f"Learner {n}", display_name=f"L{n}", email=f"l{n}@example.org")
        for n in range(count)
    )
    statuses = ["completed"] * 6 + ["withdrawn", "failed", "in_progress", "enrolled"]
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            learner=learner,
            program=rng.choice(programs),
            status=rng.choice(statuses),
            cohort=rng.choice(["2025-autumn", "2026-spring", "2026-autumn"]),
            enrolled_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randrange(200)),
        )
        for learner in learners
    )
    attempts, scores = [], []
    for enrolment in enrolments:
        if enrolment.status in ("completed", "failed"):
            enrolment.completed_on = enrolment.enrolled_on + datetime.timedelta(days=rng.randrange(20, 120))
            attempts.append(
                AssessmentAttempt(
                    enrolment=enrolment, number=1, assessor=registrar, assessed_on=enrolment.completed_on,
                    status="final", total_points=rng.randrange(0, 12), passed=enrolment.status == "completed",
                    finalised_at=timezone.now(),
                )
            )  # fmt: skip
    Enrolment.objects.bulk_update(enrolments, ["completed_on"], batch_size=1000)
    AssessmentAttempt.objects.bulk_create(attempts, batch_size=1000)
    for attempt in attempts:
        for criterion in attempt.enrolment.program.rubric.criteria.all():
            scores.append(
                CriterionScore(attempt=attempt, criterion=criterion, level=rng.choice(criterion.levels.all()))
            )
    CriterionScore.objects.bulk_create(scores, batch_size=2000)
    ended = [e for e in enrolments if e.status in ("completed", "withdrawn")]
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            enrolment=e, submitted_at=timezone.now(), relevance=rng.randint(1, 5), fairness=rng.randint(2, 5),
            workload=rng.randint(-2, 2),
        )
        for e in ended if rng.random() < 0.6
    )  # fmt: skip
    return registrar, len(attempts), len(scores)


def timed_get(client, url, repeats):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times), max(times), len(queries.captured_queries)


def main(count, repeats):
    django_with_fresh_database("quality")
    from django.test import Client

    started = time.perf_counter()
    registrar, attempts, scores = populate(count)
    print(f"{count} learners, {attempts} final attempts, {scores} rubric scores written in "
          f"{time.perf_counter() - started:.0f} s (not timed below)")  # fmt: skip
    client = Client(HTTP_HOST="127.0.0.1")  # an allowed host of the local settings
    client.force_login(registrar)
    for label, url in [
        ("dashboard, whole registry", "/quality/"),
        ("dashboard, one program code", "/quality/?code=DATA-101"),
        ("dashboard, one term", "/quality/?cohort=2026-autumn"),
        ("CSV of the programs table", "/quality/?export=programs"),
        ("CSV of the criteria table", "/quality/?export=criteria"),
    ]:
        median, worst, queries = timed_get(client, url, repeats)
        print(f"  {label:<30} median {median:6.0f} ms, worst {worst:6.0f} ms, {queries} queries")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000, int(sys.argv[2]) if len(sys.argv) > 2 else 5)
