"""factory-boy factories for every app's models."""

import datetime
from contextlib import contextmanager
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

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
from guidance.models import CareerGoal, GoalSkill, Occupation
from learners.models import Enrolment, Learner


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.is_staff = True
            self.groups.set(Group.objects.filter(name__in=names))
        if create:
            self.save()


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Institution {n}")
    slug = factory.Sequence(lambda n: f"institution-{n}")
    url = "https://university.example.edu"
    email = "registry@university.example.edu"


class SubjectAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubjectArea
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Subject {n}")
    slug = factory.Sequence(lambda n: f"subject-{n}")


class SkillFrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillFramework

    name = factory.Sequence(lambda n: f"Framework {n}")
    publisher = "Skills Agency"
    url = "https://skills.example.org"
    version = "1"


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competency

    framework = factory.SubFactory(SkillFrameworkFactory)
    code = factory.Sequence(lambda n: f"C{n:03d}")
    name = factory.Sequence(lambda n: f"Competency {n}")
    target_url = factory.LazyAttribute(lambda c: f"https://skills.example.org/{c.code}")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    institution = factory.SubFactory(InstitutionFactory)
    subject = factory.SubFactory(SubjectAreaFactory)
    code = factory.Sequence(lambda n: f"PRG-{n:03d}")
    title = factory.Sequence(lambda n: f"Program {n}")
    summary = "A short program."
    description = "A short, assessed program."
    learning_outcomes = "Do one thing\nDo another"
    criteria_narrative = "Pass the rubric."
    effort_hours = 40
    credit_value = Decimal("2")
    credit_system = Program.CreditSystem.ECTS


class AlignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alignment

    program = factory.SubFactory(ProgramFactory)
    competency = factory.SubFactory(CompetencyFactory)


class RubricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rubric

    program = factory.SubFactory(ProgramFactory)
    min_total_points = Decimal("4")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    rubric = factory.SubFactory(RubricFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    order = factory.Sequence(int)
    weight = Decimal("1")


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Level

    criterion = factory.SubFactory(CriterionFactory)
    name = factory.Sequence(lambda n: f"Level {n}")
    points = Decimal("1")


def rubric_with_criteria(
    program=None, *, criteria=(("Analysis", 1), ("Communication", 1)), points=(0, 1, 2, 3), min_total=Decimal("3")
):
    """A rubric whose criteria each have levels named L<points> worth those points."""
    rubric = RubricFactory(program=program or ProgramFactory(), min_total_points=min_total)
    for order, (name, weight) in enumerate(criteria):
        criterion = CriterionFactory(rubric=rubric, name=name, order=order, weight=Decimal(weight))
        for level_order, value in enumerate(points):
            LevelFactory(criterion=criterion, name=f"L{value}", order=level_order, points=Decimal(value))
    return rubric


def published_program(**kwargs):
    """A program already through the lifecycle (status set directly; lifecycle tests use the service)."""
    return ProgramFactory(status=Program.Status.PUBLISHED, **kwargs)


class PathwayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pathway

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Pathway {n}")
    slug = factory.Sequence(lambda n: f"pathway-{n}")
    award = factory.SubFactory(
        ProgramFactory,
        achievement_type=Program.AchievementType.CERTIFICATE,
        credit_value=Decimal("10"),
        status=Program.Status.PUBLISHED,
    )
    status = Program.Status.PUBLISHED  # already through the lifecycle; lifecycle tests use the service
    is_published = True


def add_rule(pathway, kind, programs, *, label=None, required_count=None, min_credits=None):
    rule = PathwayRule.objects.create(
        pathway=pathway,
        label=label or kind,
        kind=kind,
        required_count=required_count,
        min_credits=min_credits,
        order=pathway.rules.count(),
    )
    rule.programs.set(programs)
    return rule


# --- learners -------------------------------------------------------------------------------------


class LearnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Learner

    institution = factory.SubFactory(InstitutionFactory)
    legal_name = factory.Sequence(lambda n: f"Learner Number{n}")
    display_name = factory.LazyAttribute(lambda learner: learner.legal_name.split()[0])
    email = factory.Sequence(lambda n: f"learner{n}@example.org")
    student_id = factory.Sequence(lambda n: f"S{n:05d}")


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    program = factory.SubFactory(ProgramFactory, status=Program.Status.PUBLISHED)
    learner = factory.SubFactory(LearnerFactory, institution=factory.SelfAttribute("..program.institution"))
    enrolled_on = datetime.date(2026, 9, 1)
    cohort = "2026-autumn"


def assessable_enrolment(**kwargs):
    """An enrolment in a published program whose rubric has Analysis and Communication (L0–L3, pass at 3)."""
    enrolment = EnrolmentFactory(**kwargs)
    rubric_with_criteria(enrolment.program)
    return enrolment


def levels_for(program, **points_by_criterion):
    """criterion pk → pk of the level named L<points>, for the criteria named in the keywords."""
    chosen = {}
    for criterion in program.rubric.criteria.all():
        if criterion.name in points_by_criterion:
            chosen[criterion.pk] = criterion.levels.get(name=f"L{points_by_criterion[criterion.name]}").pk
    return chosen


ASSESSED_ON = datetime.date(2026, 11, 20)


def record_pass(enrolment, registrar, *, finalise=True):
    """Record (and by default finalise) a top-marks attempt on an enrolment made by ``assessable_enrolment``."""
    from learners import services

    return services.attempt_record(
        enrolment=enrolment,
        assessor=registrar,
        levels=levels_for(enrolment.program, Analysis=3, Communication=3),
        assessed_on=ASSESSED_ON,
        recorded_by=registrar,
        finalise=finalise,
    )


@contextmanager
def results_recorded_without_awards():
    """Record passing results without requesting their awards, as a registrar's import before a bulk issue."""
    from awards.receivers import issue_on_achievement
    from learners.signals import achievement_earned

    achievement_earned.disconnect(issue_on_achievement, dispatch_uid="awards.issue_on_achievement")
    try:
        yield
    finally:
        achievement_earned.connect(issue_on_achievement, dispatch_uid="awards.issue_on_achievement")


def completed_cohort(registrar, size, cohort="2026-autumn"):
    """``size`` completed enrolments in one program, passed but not yet awarded (as before a bulk issue)."""
    first = assessable_enrolment(cohort=cohort)
    program = first.program
    enrolments = [first] + [
        EnrolmentFactory(program=program, learner=LearnerFactory(institution=program.institution), cohort=cohort)
        for _ in range(size - 1)
    ]
    with results_recorded_without_awards():
        for enrolment in enrolments:
            record_pass(enrolment, registrar)
    return Enrolment.objects.filter(pk__in=[enrolment.pk for enrolment in enrolments])


def learner_user(learner=None, **kwargs):
    learner = learner or LearnerFactory(**kwargs)
    learner.user = UserFactory(username=learner.email.split("@")[0], email=learner.email)
    learner.save()
    return learner


def attempt_with_file_evidence(registrar, *, finalise=False, filename="report.pdf"):
    """A draft (or final) attempt on a new assessable enrolment with one uploaded evidence file."""
    from django.core.files.base import ContentFile

    from learners import services
    from learners.models import Evidence

    enrolment = assessable_enrolment()
    attempt = services.attempt_record(
        enrolment=enrolment,
        assessor=registrar,
        levels=levels_for(enrolment.program, Analysis=2, Communication=2),
        assessed_on="2026-11-20",
        recorded_by=registrar,
        feedback="Solid work.",
    )
    evidence = Evidence(attempt=attempt, title="Project report", description="The final report, with appendices.")
    evidence.file.save(filename, ContentFile(b"%PDF-1.4 report"), save=True)
    if finalise:
        services.attempt_finalise(attempt=attempt, user=registrar)
    return attempt, evidence


# --- guidance -------------------------------------------------------------------------------------


def esco():
    return SkillFramework.objects.get_or_create(
        name="ESCO", version="1.2.0", defaults={"publisher": "European Commission", "url": "https://esco.ec.europa.eu"}
    )[0]


class EscoSkillFactory(CompetencyFactory):
    framework = factory.LazyFunction(esco)
    code = factory.Sequence(lambda n: f"00000000-0000-4000-8000-{n:012d}")
    name = factory.Sequence(lambda n: f"skill {n}")
    target_url = factory.LazyAttribute(lambda c: f"http://data.europa.eu/esco/skill/{c.code}")


class OccupationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occupation

    framework = factory.LazyFunction(esco)
    uri = factory.Sequence(lambda n: f"http://data.europa.eu/esco/occupation/occupation-{n}")
    label = factory.Sequence(lambda n: f"occupation {n}")


def confirm_mapping(competency, skill):
    return CompetencyMapping.objects.create(
        competency=competency, skill=skill, similarity=0.5, status=CompetencyMapping.Status.CONFIRMED
    )


def goal_with_skills(learner, skills, *, title="data analyst", occupation=None):
    """A goal whose profile is ``skills``, a list of (skill, importance)."""
    goal = CareerGoal.objects.create(learner=learner, title=title, occupation=occupation or OccupationFactory())
    for skill, importance in skills:
        GoalSkill.objects.create(goal=goal, skill=skill, importance=importance, source=GoalSkill.Source.ESSENTIAL)
    return goal
