"""Write operations on the catalog: lifecycle transitions, versioning, pathways."""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from . import substance
from .models import Alignment, CompetencyMapping, Criterion, Level, Pathway, PathwayRule, Program, Rubric
from .pathways import RuleSpec, validate_pathway_structure
from .rubrics import rubric_problems
from .selectors import pathway_graph, rubric_with_levels
from .skill_matching import skill_index, skill_text

Status = Program.Status


@dataclass(frozen=True)
class Transition:
    sources: tuple
    target: str
    permission: str
    stamp: str | None  # prefix of the <stamp>_by / <stamp>_at fields recording who and when
    author_may_not: bool = False


TRANSITIONS = {
    "submit": Transition((Status.DRAFT,), Status.IN_REVIEW, "catalog.submit_program", "submitted"),
    "approve": Transition((Status.IN_REVIEW,), Status.APPROVED, "catalog.approve_program", "approved", True),
    "return_to_draft": Transition((Status.IN_REVIEW, Status.APPROVED), Status.DRAFT, "catalog.approve_program", None),
    "publish": Transition((Status.APPROVED,), Status.PUBLISHED, "catalog.publish_program", "published"),
    "retire": Transition((Status.PUBLISHED,), Status.RETIRED, "catalog.retire_program", "retired"),
}


def program_transition(*, program: Program, action: str, user: AbstractBaseUser) -> Program:
    """Move ``program`` through its lifecycle, checking permission and state; records who and when."""
    transition = TRANSITIONS[action]
    if not user.has_perm(transition.permission):
        raise PermissionDenied(f"You do not have permission to {action.replace('_', ' ')} programs.")
    if transition.author_may_not and user.pk in (program.created_by_id, program.submitted_by_id):
        raise PermissionDenied("You cannot approve a program you wrote or submitted; another approver must.")
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=program.pk)
        if program.status not in transition.sources:
            raise ValidationError(
                f"{program} is {program.get_status_display().lower()}; "
                f"“{action.replace('_', ' ')}” is not possible from that state."
            )
        if action == "publish":
            _check_publishable(program)
            _check_unchanged_since_approval(program)
        if action == "approve":
            program.approved_substance = substance.substance(program)
            program.approved_digest = substance.digest(program.approved_substance)
        now = timezone.now()
        program.status = transition.target
        if transition.stamp:
            setattr(program, f"{transition.stamp}_by", user)
            setattr(program, f"{transition.stamp}_at", now)
        program._history_user = user
        program.save()
        if action == "publish" and program.predecessor_id:
            _retire_superseded(program.predecessor, user, now)
    return program


def _check_publishable(program):
    if hasattr(program, "awarded_by_pathway"):
        return  # a pathway award is earned by stacking, not assessed by a rubric
    try:
        rubric = rubric_with_levels(program)
    except Rubric.DoesNotExist:
        raise ValidationError(f"{program} has no assessment rubric; add one before publishing.") from None
    problems = rubric_problems(rubric)
    if problems:
        raise ValidationError([f"{program}: {problem}" for problem in problems])


def _check_unchanged_since_approval(program):
    if not program.approved_digest:
        raise ValidationError(
            f"{program} was approved before approvals recorded what they approved; "
            "return it to draft and submit it for approval again."
        )
    current = substance.substance(program)
    if substance.digest(current) != program.approved_digest:
        changed = ", ".join(substance.changes(program.approved_substance or {}, current)) or "its content"
        raise ValidationError(f"{program} has changed since it was approved ({changed}); submit it for approval again.")


def program_after_edit(*, program: Program, user: AbstractBaseUser) -> bool:
    """After an edit of an approved program: if its substance is no longer what was approved, it goes back to
    review (an approver decides again; the approved substance is kept to show what changed). True if it went."""
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=program.pk)
        if (
            program.status != Status.APPROVED
            or substance.digest(substance.substance(program)) == program.approved_digest
        ):
            return False
        program.status = Status.IN_REVIEW
        program.submitted_by = user
        program.submitted_at = timezone.now()
        program._history_user = user
        program.save()
    return True


def _retire_superseded(predecessor, user, now):
    if predecessor.status == Status.PUBLISHED:
        predecessor.status = Status.RETIRED
        predecessor.retired_by = user
        predecessor.retired_at = now
        predecessor._history_user = user
        predecessor.save()


@transaction.atomic
def program_new_version(*, program: Program, user: AbstractBaseUser) -> Program:
    """Start a new draft version of a published program, copying its alignments and rubric."""
    if not program.is_frozen:
        raise ValidationError(f"{program} is still editable; change it directly instead of versioning it.")
    if Program.objects.filter(predecessor=program).exists():
        raise ValidationError(f"{program} already has a newer version.")
    next_version = Program.objects.filter(code=program.code).aggregate(v=Max("version"))["v"] + 1
    old_pk = program.pk
    original = Program.objects.get(pk=old_pk)
    tags = list(original.tags.all())
    prerequisites = list(original.prerequisites.all())

    draft = Program.objects.get(pk=old_pk)
    draft.pk = draft.id = None
    draft._state.adding = True
    draft.slug = ""
    draft.version = next_version
    draft.predecessor = original
    draft.status = Status.DRAFT
    draft.created_by = user
    for stamp in ("submitted", "approved", "published", "retired"):
        setattr(draft, f"{stamp}_by", None)
        setattr(draft, f"{stamp}_at", None)
    draft.approved_substance, draft.approved_digest = None, ""
    draft._history_user = user
    draft.save()
    draft.tags.set(tags)
    draft.prerequisites.set(prerequisites)
    Alignment.objects.bulk_create(
        Alignment(program=draft, competency_id=a.competency_id) for a in original.alignments.all()
    )
    if hasattr(original, "rubric"):
        _copy_rubric(original.rubric, draft)
    return draft


def _copy_rubric(rubric, program):
    copy = Rubric.objects.create(program=program, min_total_points=rubric.min_total_points)
    for criterion in rubric.criteria.prefetch_related("levels", "competencies"):
        new_criterion = Criterion.objects.create(
            rubric=copy,
            order=criterion.order,
            name=criterion.name,
            description=criterion.description,
            weight=criterion.weight,
        )
        new_criterion.competencies.set(criterion.competencies.all())
        for level in criterion.levels.all():
            new_level = Level.objects.create(
                criterion=new_criterion,
                order=level.order,
                name=level.name,
                description=level.description,
                points=level.points,
            )
            if level.pk == criterion.min_level_id:
                new_criterion.min_level = new_level
                new_criterion.save(update_fields=["min_level"])


def validate_pathway(*, pathway: Pathway, rules: list[RuleSpec]) -> None:
    """Check proposed ``rules`` (RuleSpec list) for ``pathway`` against every other pathway."""
    validate_pathway_structure(
        pathway.award if pathway.award_id else None, rules, pathway_graph(exclude_pathway_id=pathway.pk)
    )


@transaction.atomic
def pathway_set_rules(*, pathway: Pathway, rules: list[RuleSpec]) -> Pathway:
    """Replace a saved pathway's rules with ``rules`` (RuleSpec list) after validating them."""
    validate_pathway(pathway=pathway, rules=rules)
    pathway.rules.all().delete()
    for order, spec in enumerate(rules):
        rule = PathwayRule.objects.create(
            pathway=pathway,
            order=order,
            label=spec.label,
            label_translations=spec.label_translations,
            kind=spec.kind,
            required_count=spec.required_count,
            min_credits=spec.min_credits,
        )
        rule.programs.set(spec.programs)
    return pathway


def suggest_mappings(*, competencies, framework, limit: int = 5, threshold: float = 0.12) -> int:
    """Suggest, for each competency, the ``framework`` skills whose words are closest to it.

    Mappings staff already decided are left as they are; returns how many suggestions were added.
    """
    index = skill_index(framework)
    decided = set(CompetencyMapping.objects.filter(competency__in=competencies).values_list("competency", "skill"))
    new = [
        CompetencyMapping(competency=competency, skill_id=match.skill_id, similarity=match.similarity)
        for competency in competencies
        if competency.framework_id != framework.pk
        for match in index.rank(
            skill_text(competency.name, competency.alt_labels, competency.description), limit=limit, threshold=threshold
        )
        if (competency.pk, match.skill_id) not in decided
    ]
    CompetencyMapping.objects.bulk_create(new)
    return len(new)


def decide_mappings(*, mappings, status: str, user: AbstractBaseUser) -> int:
    """Confirm or reject suggested mappings, recording who decided and when (one history row each)."""
    if not user.has_perm("catalog.change_competencymapping"):
        raise PermissionDenied("You may not decide skill mappings.")
    if status not in (CompetencyMapping.Status.CONFIRMED, CompetencyMapping.Status.REJECTED):
        raise ValidationError({"status": "A mapping is decided as confirmed or rejected."})
    now = timezone.now()
    changed = 0
    with transaction.atomic():
        # Locked by primary key: the caller's queryset may join nullable relations (the admin's list does),
        # which PostgreSQL cannot lock.
        for mapping in CompetencyMapping.objects.filter(
            pk__in=list(mappings.values_list("pk", flat=True))
        ).select_for_update():
            if mapping.status != status:
                mapping.status, mapping.decided_by, mapping.decided_at = status, user, now
                mapping.save(update_fields=["status", "decided_by", "decided_at"])
                changed += 1
    return changed
