"""A synthetic registry for the guidance benchmarks, generated from the catalog's structure on the ESCO excerpt.

Programs teach competencies mapped to ESCO skills and assess them in rubrics; some need a prerequisite; pathways
group them. Each learner has a goal occupation and took programs one after another, choosing (with some noise)
the program that taught most of the goal's skills not yet shown, after its prerequisites; every program taken has
a final attempt with rubric scores. The last program each learner would take is held out (not written), so an
evaluation can ask whether a recommender finds it.

Called from the benchmark scripts and from the tests (a small world), inside a configured Django.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

CRITERION_LEVELS = [("Not yet", 0), ("Developing", 1), ("Proficient", 2), ("Exemplary", 3)]


@dataclass
class World:
    learner_ids: list
    held_out: dict  # learner id -> code of the program held out
    programs: int
    enrolments: int


def build_world(*, learners: int, programs: int, registrar, seed: int = 7, history: tuple = (2, 5)) -> World:
    from django.utils import timezone

    from catalog.models import (
        Alignment,
        Competency,
        CompetencyMapping,
        Criterion,
        Institution,
        Level,
        Pathway,
        PathwayRule,
        Program,
        Rubric,
        SkillFramework,
        SubjectArea,
    )
    from guidance.esco import EXCERPT
    from guidance.models import CareerGoal, GoalSkill, Occupation
    from guidance.services import import_esco, occupation_text, relative_importance, skills_read_from
    from learners.models import AssessmentAttempt, CriterionScore, Enrolment, Learner

    rng = random.Random(seed)
    if not Occupation.objects.exists():
        import_esco(skills=EXCERPT / "skills.csv", occupations=EXCERPT / "occupations.csv", version="1.2.0")
    esco = SkillFramework.objects.get(name="ESCO")
    occupations = list(Occupation.objects.all())
    profiles = {o.pk: skills_read_from(occupation_text(o), esco) for o in occupations}
    profiles = {pk: matches for pk, matches in profiles.items() if matches}
    wanted = sorted({m.skill_id for matches in profiles.values() for m in matches})

    institution, _ = Institution.objects.get_or_create(
        slug="synthetic",
        defaults={"name": "Synthetic Institute", "url": "https://synthetic.example", "email": "s@x.example"},
    )
    subject, _ = SubjectArea.objects.get_or_create(slug="synthetic", defaults={"name": "Synthetic"})
    framework, _ = SkillFramework.objects.get_or_create(
        name="Synthetic", version="1", defaults={"publisher": "Bench", "url": "https://synthetic.example/skills"}
    )
    competencies = Competency.objects.bulk_create(
        Competency(framework=framework, code=f"SYN-{n}", name=f"Synthetic competency {n}") for n in range(len(wanted))
    )
    CompetencyMapping.objects.bulk_create(
        CompetencyMapping(competency=c, skill_id=skill_id, similarity=1, status="confirmed", decided_by=registrar)
        for c, skill_id in zip(competencies, wanted, strict=True)
    )
    skill_of = {c.pk: skill_id for c, skill_id in zip(competencies, wanted, strict=True)}

    catalog, teaches = [], {}
    for n in range(programs):
        taught = rng.sample(competencies, k=min(len(competencies), rng.randint(2, 4)))
        program = Program.objects.create(
            institution=institution, code=f"SYN-{n:04d}", title=f"Synthetic Program {n}", summary="Synthetic.",
            description="Synthetic.", learning_outcomes="Do things", criteria_narrative="Pass the rubric.",
            effort_hours=rng.choice([10, 20, 40, 60]), credit_value=Decimal(rng.choice([1, 2, 5])), subject=subject,
            cost=Decimal(rng.choice([0, 0, 100, 250])), created_by=registrar, status=Program.Status.PUBLISHED,
        )  # fmt: skip
        Alignment.objects.bulk_create(Alignment(program=program, competency=c) for c in taught)
        rubric = Rubric.objects.create(program=program, min_total_points=Decimal("2"))
        for order, competency in enumerate(taught[:2]):
            criterion = Criterion.objects.create(rubric=rubric, name=f"Criterion {order}", order=order)
            criterion.competencies.set([competency])
            levels = Level.objects.bulk_create(
                Level(criterion=criterion, name=name, points=Decimal(points), order=points)
                for name, points in CRITERION_LEVELS
            )
            criterion.min_level = levels[2]
            criterion.save(update_fields=["min_level"])
        if catalog and rng.random() < 0.2:
            program.prerequisites.add(rng.choice(catalog))
        catalog.append(program)
        teaches[program.pk] = {skill_of[c.pk] for c in taught}
    for n in range(programs // 10):
        award = Program.objects.create(
            institution=institution, code=f"SYN-AWARD-{n}", title=f"Synthetic Certificate {n}", summary="Award.",
            description="Award.", learning_outcomes="Stack", criteria_narrative="Complete the pathway.",
            effort_hours=100, subject=subject, created_by=registrar, status=Program.Status.PUBLISHED,
            achievement_type=Program.AchievementType.CERTIFICATE,
        )  # fmt: skip
        pathway = Pathway.objects.create(
            institution=institution, name=f"Synthetic Certificate {n}", slug=f"synthetic-{n}", award=award,
            status=Program.Status.PUBLISHED, is_published=True,
        )  # fmt: skip
        rule = PathwayRule.objects.create(pathway=pathway, label="Core", kind="all_of")
        rule.programs.set(rng.sample(catalog, k=4))

    prerequisites = {p.pk: {q.pk for q in p.prerequisites.all()} for p in catalog}
    criteria = {
        p.pk: [(c, list(c.levels.all())) for c in p.rubric.criteria.all()]
        for p in Program.objects.filter(pk__in=[p.pk for p in catalog]).prefetch_related("rubric__criteria__levels")
    }
    people = Learner.objects.bulk_create(
        Learner(institution=institution, legal_name=f"Synthetic {n}", display_name=f"S{n}", email=f"s{n}@x.example")
        for n in range(learners)
    )
    goals, goal_skills, enrolments, held_out = [], [], [], {}
    occupation_ids = list(profiles)
    for learner in people:
        occupation = rng.choice(occupation_ids)
        goals.append(CareerGoal(learner=learner, occupation_id=occupation, title=f"occupation {occupation}"))
        need = {m.skill_id: m.similarity for m in profiles[occupation]}
        taken, shown = [], set()
        for _ in range(rng.randint(*history) + 1):
            open_programs = [p for p in catalog if p not in taken and prerequisites[p.pk] <= {t.pk for t in taken}]
            if not open_programs:
                break
            if rng.random() < 0.8:
                scored = [
                    (sum(need.get(s, 0) for s in teaches[p.pk] - shown) + rng.random() * 0.05, p) for p in open_programs
                ]
                choice = max(scored, key=lambda pair: pair[0])[1]
            else:
                choice = rng.choice(open_programs)
            taken.append(choice)
            shown |= teaches[choice.pk]
        held_out[learner.pk] = taken.pop().code
        enrolments += [(learner, program) for program in taken]
    goals = CareerGoal.objects.bulk_create(goals, batch_size=2000)
    for goal in goals:
        goal_skills += [
            GoalSkill(goal=goal, skill_id=skill_id, importance=importance, source="matched")
            for skill_id, importance in relative_importance(profiles[goal.occupation_id]).items()
        ]
    GoalSkill.objects.bulk_create(goal_skills, batch_size=5000)
    rows = Enrolment.objects.bulk_create(
        (
            Enrolment(
                learner=learner, program=program, status="completed", enrolled_on=datetime.date(2026, 1, 5),
                completed_on=datetime.date(2026, 3, 1),
            )
            for learner, program in enrolments
        ),
        batch_size=2000,
    )  # fmt: skip
    now = timezone.now()
    attempts = AssessmentAttempt.objects.bulk_create(
        (
            AssessmentAttempt(
                enrolment=e, number=1, assessor=registrar, assessed_on=datetime.date(2026, 3, 1), status="final",
                total_points=Decimal(4), passed=True, finalised_at=now,
            )
            for e in rows
        ),
        batch_size=2000,
    )  # fmt: skip
    CriterionScore.objects.bulk_create(
        (
            CriterionScore(attempt=attempt, criterion=criterion, level=rng.choice(levels[1:]))
            for attempt in attempts
            for criterion, levels in criteria[attempt.enrolment.program_id]
        ),
        batch_size=5000,
    )
    return World([p.pk for p in people], held_out, len(catalog), len(rows))
