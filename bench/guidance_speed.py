"""Benchmark: computing a learner's guidance (skill gaps, ranked programs, nudges) with 10,000 learners and 500
programs — milliseconds and SQL queries per learner, uncached and stored.

.venv/bin/python bench/guidance_speed.py [learners] [programs] [sample]
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(learners=10_000, programs=500, sample=300):
    from bench.setup import demo_staff, django_with_fresh_database

    django_with_fresh_database("guidance-speed")
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from bench.guidance_world import build_world
    from guidance.models import LearnerGuidance
    from guidance.recommend import compute_guidance
    from guidance.services import guidance_for
    from learners.models import Learner

    registrar, _, _ = demo_staff()
    started = time.perf_counter()
    world = build_world(learners=learners, programs=programs, registrar=registrar)
    print(f"world: {learners} learners, {world.programs} programs, {world.enrolments} completed enrolments "
          f"with final attempts, built in {time.perf_counter() - started:.0f} s")  # fmt: skip
    chosen = list(Learner.objects.filter(pk__in=world.learner_ids[:: max(1, learners // sample)]))
    for label, run in (("computed", compute_guidance), ("stored (first call computes)", guidance_for)):
        LearnerGuidance.objects.all().delete()
        timings, queries = [], []
        for learner in chosen:
            reset_queries()  # the query log keeps 9,000 entries: start each learner with an empty one
            with CaptureQueriesContext(connection) as captured:
                begin = time.perf_counter()
                payload = run(learner)
                timings.append((time.perf_counter() - begin) * 1000)
            queries.append(len(captured))
        assert payload["goals"]
        p90 = statistics.quantiles(timings, n=10)[-1]
        print(f"{label:<28} median {statistics.median(timings):6.1f} ms, p90 {p90:6.1f} ms per learner; "
              f"queries {min(queries)}–{max(queries)}")  # fmt: skip
    timings = []
    for learner in chosen:
        begin = time.perf_counter()
        guidance_for(learner)
        timings.append((time.perf_counter() - begin) * 1000)
    print(f"{'stored, served again':<28} median {statistics.median(timings):6.1f} ms per learner, 1 query")


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:4]))
