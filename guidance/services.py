"""Write operations of guidance: loading the reference framework, learners' goals, cached recommendations."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from catalog.models import Competency, SkillFramework
from catalog.skill_matching import skill_index
from learners.models import Learner

from . import esco
from .models import CareerGoal, GoalSkill, LearnerGuidance, Occupation, OccupationSkill, Relation
from .recommend import compute_guidance
from .wording import describe

ESCO_FRAMEWORK = {"name": "ESCO", "publisher": "European Commission", "url": "https://esco.ec.europa.eu"}
CONCEPT_FIELDS = ["name", "alt_labels", "description", "target_url"]


@dataclass(frozen=True)
class ImportReport:
    skills_added: int
    skills_updated: int
    occupations_added: int
    occupations_updated: int
    relations: int

    def __str__(self):
        return (
            f"Skills: {self.skills_added} added, {self.skills_updated} updated. Occupations: "
            f"{self.occupations_added} added, {self.occupations_updated} updated. Relations: {self.relations}."
        )


def esco_framework(version: str) -> SkillFramework:
    framework, _ = SkillFramework.objects.get_or_create(version=version, name="ESCO", defaults=ESCO_FRAMEWORK)
    return framework


@transaction.atomic
def import_esco(*, skills: Path, occupations: Path, relations: Path | None = None, version: str) -> ImportReport:
    """Load (or refresh) ESCO skills, occupations and, when given, occupation–skill relations.

    Rows are matched by ESCO URI, so running it again updates labels and descriptions in place and writes
    nothing when nothing changed; a file without the ESCO columns raises ``esco.LayoutError`` before anything
    is written.
    """
    skill_rows = esco.read_concepts(skills, kind="skill")
    occupation_rows = esco.read_concepts(occupations, kind="occupation")
    relation_rows = esco.read_relations(relations) if relations else []
    framework = esco_framework(version)
    skills_added, skills_updated = _upsert_skills(framework, skill_rows)
    occupations_added, occupations_updated = _upsert_occupations(framework, occupation_rows)
    linked = _sync_relations(framework, relation_rows) if relation_rows else 0
    invalidate_all()
    return ImportReport(skills_added, skills_updated, occupations_added, occupations_updated, linked)


def _code(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1][:80]


def _upsert_skills(framework, concepts):
    existing = {c.target_url: c for c in Competency.objects.filter(framework=framework)}
    new, changed = [], []
    for concept in concepts:
        values = {
            "name": concept.label[:255],
            "alt_labels": concept.alt_labels,
            "description": concept.description,
            "target_url": concept.uri,
        }
        skill = existing.get(concept.uri)
        if skill is None:
            new.append(Competency(framework=framework, code=_code(concept.uri), **values))
        elif any(getattr(skill, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(skill, name, value)
            changed.append(skill)
    bulk_create_with_history(new, Competency, batch_size=500)
    if changed:
        bulk_update_with_history(changed, Competency, CONCEPT_FIELDS, batch_size=500)
    return len(new), len(changed)


def _upsert_occupations(framework, concepts):
    existing = {o.uri: o for o in Occupation.objects.all()}
    new, changed = [], []
    for concept in concepts:
        values = {"label": concept.label[:255], "alt_labels": concept.alt_labels, "description": concept.description}
        occupation = existing.get(concept.uri)
        if occupation is None:
            new.append(Occupation(framework=framework, uri=concept.uri, **values))
        elif any(getattr(occupation, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(occupation, name, value)
            changed.append(occupation)
    Occupation.objects.bulk_create(new, batch_size=500)
    Occupation.objects.bulk_update(changed, ["label", "alt_labels", "description"], batch_size=500)
    return len(new), len(changed)


def _sync_relations(framework, relations):
    """Make the relations of the occupations the file covers what the file says: only the differences are
    written, so importing the same file again writes nothing."""
    occupations = dict(Occupation.objects.filter(framework=framework).values_list("uri", "pk"))
    skills = dict(Competency.objects.filter(framework=framework).values_list("target_url", "pk"))
    wanted = {
        (occupations[r.occupation_uri], skills[r.skill_uri]): r.relation
        for r in relations
        if r.occupation_uri in occupations and r.skill_uri in skills
    }
    covered = {occupation for occupation, _ in wanted}
    stored = {
        (row.occupation_id, row.skill_id): row
        for row in OccupationSkill.objects.filter(occupation__framework=framework).only(
            "pk", "occupation_id", "skill_id", "relation"
        )
    }
    gone = [row.pk for key, row in stored.items() if key[0] in covered and key not in wanted]
    changed = [row for key, row in stored.items() if key in wanted and row.relation != wanted[key]]
    for row in changed:
        row.relation = wanted[(row.occupation_id, row.skill_id)]
    for start in range(0, len(gone), 1000):  # a bounded number of parameters per query
        OccupationSkill.objects.filter(pk__in=gone[start : start + 1000]).delete()
    OccupationSkill.objects.bulk_update(changed, ["relation"], batch_size=1000)
    new = [
        OccupationSkill(occupation_id=o, skill_id=s, relation=r) for (o, s), r in wanted.items() if (o, s) not in stored
    ]
    OccupationSkill.objects.bulk_create(new, batch_size=1000)
    return len(wanted)


# Goals ----------------------------------------------------------------------------------------------------------


def add_occupation_goal(*, learner: Learner, occupation: Occupation) -> CareerGoal:
    _check_goal_room(learner)
    if learner.career_goals.filter(occupation=occupation).exists():
        raise ValidationError({"occupation": _("“%(goal)s” is already one of your goals.") % {"goal": occupation}})
    with transaction.atomic():
        goal = CareerGoal.objects.create(learner=learner, occupation=occupation, title=occupation.label)
        _build_profile(goal)
    return goal


def add_posting_goal(*, learner: Learner, title: str, posting: str) -> CareerGoal:
    title, posting = title.strip(), posting.strip()
    errors = {}
    if not title:
        errors["title"] = _("Give the job a name, e.g. “Junior data analyst at Acme”.")
    if len(posting) < settings.GUIDANCE_MIN_POSTING_LENGTH:
        errors["posting"] = _("Paste the posting's text (at least %(count)s characters) so its skills can be read.") % {
            "count": settings.GUIDANCE_MIN_POSTING_LENGTH
        }
    if errors:
        raise ValidationError(errors)
    _check_goal_room(learner)
    with transaction.atomic():
        goal = CareerGoal.objects.create(learner=learner, title=title[:200], posting=posting)
        if not _build_profile(goal):
            raise ValidationError({"posting": _("No skills of the framework could be read from this text.")})
    return goal


def remove_goal(*, learner: Learner, goal_id: int) -> None:
    deleted, _ = CareerGoal.objects.filter(learner=learner, pk=goal_id).delete()
    if not deleted:
        raise CareerGoal.DoesNotExist
    invalidate(learner_ids=[learner.pk])


def drop_goal_skill(*, learner: Learner, goal_id: int, skill_id: int) -> None:
    """The learner says a skill read into their goal does not belong there (text matching is not perfect)."""
    deleted, _ = GoalSkill.objects.filter(goal__learner=learner, goal_id=goal_id, skill_id=skill_id).delete()
    if not deleted:
        raise GoalSkill.DoesNotExist
    invalidate(learner_ids=[learner.pk])


def _check_goal_room(learner):
    if learner.career_goals.count() >= settings.GUIDANCE_MAX_GOALS:
        raise ValidationError(
            _("You can follow up to %(count)s goals; remove one first.") % {"count": settings.GUIDANCE_MAX_GOALS}
        )


def _build_profile(goal: CareerGoal) -> int:
    """Store the goal's skill profile: the occupation's related skills where the framework's relations are
    loaded, otherwise the skills whose words are closest to the occupation's or the posting's text."""
    relations = list(goal.occupation.skill_relations.all()) if goal.occupation else []
    if relations:
        rows = [
            GoalSkill(
                goal=goal,
                skill_id=r.skill_id,
                importance=1.0 if r.relation == Relation.ESSENTIAL else 0.5,
                source=GoalSkill.Source.ESSENTIAL if r.relation == Relation.ESSENTIAL else GoalSkill.Source.OPTIONAL,
            )
            for r in relations
        ]
    else:
        framework = goal.occupation.framework if goal.occupation else _latest_esco()
        text = occupation_text(goal.occupation) if goal.occupation else goal.posting
        rows = [
            GoalSkill(goal=goal, skill_id=skill_id, importance=importance, source=GoalSkill.Source.MATCHED)
            for skill_id, importance in relative_importance(skills_read_from(text, framework)).items()
        ]
    GoalSkill.objects.bulk_create(rows)
    invalidate(learner_ids=[goal.learner_id])
    return len(rows)


def occupation_text(occupation) -> str:
    # The label and description, not the alternative labels: their job-title words ("technician", "specialist")
    # pull in unrelated skills that share them.
    return f"{occupation.label} {occupation.description}"


def skills_read_from(text: str, framework: SkillFramework):
    """The framework's skills closest in words to ``text`` (at most GUIDANCE_PROFILE_SIZE, each at least
    GUIDANCE_MATCH_THRESHOLD similar), closest first."""
    return skill_index(framework).rank(
        text, limit=settings.GUIDANCE_PROFILE_SIZE, threshold=settings.GUIDANCE_MATCH_THRESHOLD
    )


def relative_importance(matches) -> dict:
    """Skill id -> importance (0–1]: similarity relative to the closest skill."""
    top = matches[0].similarity if matches else 1
    return {m.skill_id: round(m.similarity / top, 3) for m in matches}


def _latest_esco() -> SkillFramework:
    framework = SkillFramework.objects.filter(name=settings.SKILL_REFERENCE_FRAMEWORK).order_by("-pk").first()
    if framework is None:
        raise ValidationError(_("The skills framework is not loaded yet: ask the registrar to run import_esco."))
    return framework


# Cached guidance ------------------------------------------------------------------------------------------------


def guidance_for(learner: Learner) -> dict:
    """The learner's gaps, recommended programs and nudges in the active language: from the stored copy while it is
    fresh, else computed (a constant number of queries) and stored."""
    stored = LearnerGuidance.objects.filter(learner=learner).first()
    if stored and stored.computed_at > timezone.now() - settings.GUIDANCE_CACHE_MAX_AGE:
        return describe(stored.payload)
    payload = compute_guidance(learner)
    LearnerGuidance.objects.update_or_create(
        learner=learner, defaults={"payload": payload, "computed_at": timezone.now()}
    )
    return describe(payload)


def invalidate(*, learner_ids) -> None:
    LearnerGuidance.objects.filter(learner_id__in=list(learner_ids)).delete()


def invalidate_all() -> None:
    """After a change every learner's guidance depends on (catalog, mappings, framework)."""
    LearnerGuidance.objects.all().delete()
