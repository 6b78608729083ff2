"""Benchmark: dry-run and import of a 5,000-row results file (CSV) through learners.results_io.

.venv/bin/python bench/import_results.py [rows]
"""

import csv
import io
import sys

from setup import demo_staff, django_with_fresh_database, timed


def main(rows):
    django_with_fresh_database("import")
    from awards.receivers import issue_on_achievement
    from catalog.models import Institution, Program
    from learners import results_io
    from learners.models import AssessmentAttempt, Learner
    from learners.signals import achievement_earned

    # Measure the import alone: issuing credentials is benchmarked separately (issue_cohort.py).
    achievement_earned.disconnect(issue_on_achievement, dispatch_uid="awards.issue_on_achievement")
    registrar, _, _ = demo_staff()
    institution = Institution.objects.get()
    programs = [p for p in Program.objects.published().select_related("rubric") if hasattr(p, "rubric")]
    learners_needed = rows // len(programs) + 1
    Learner.objects.bulk_create(
        Learner(
            institution=institution,
            student_id=f"B{i:06d}",
            legal_name=f"Bench Learner {i}",
            display_name=f"Bench {i}",
            email=f"bench{i}@example.org",
        )
        for i in range(learners_needed)
    )
    criteria = sorted({c.name for p in programs for c in p.rubric.criteria.all()})
    header = ["student_id", "program_code", "enrolled_on", "assessor", "assessed_on"] + criteria
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for index in range(rows):
        program = programs[index % len(programs)]
        own = {c.name: c.levels.order_by("-points").first().name for c in program.rubric.criteria.all()}
        cells = [f"B{index // len(programs):06d}", program.code, "2026-09-01", "registrar", "2026-11-20"]
        writer.writerow(cells + [own.get(name, "") for name in criteria])
    content = buffer.getvalue().encode()
    dataset = results_io.load_dataset(content, "bench.csv")

    with timed("dry run (plan_import)", rows, "rows"):
        plan = results_io.plan_import(dataset)
    assert plan.ok, plan.errors[:3]
    with timed("import (apply_import)", rows, "rows"):
        plan = results_io.apply_import(dataset, user=registrar, accept_new_enrolments=True)
    assert plan.ok and AssessmentAttempt.objects.count() == rows


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
