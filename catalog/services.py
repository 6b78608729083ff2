"""Write operations on the catalog: lifecycle transitions, versioning, pathways."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.dispatch import send_after_commit

from . import substance
from .models import (
    Alignment,
    CompetencyMapping,
    Criterion,
    Level,
    Pathway,
    PathwayRule,
    Program,
    ProgramDecision,
    Rubric,
)
from .pathways import RuleSpec, pathway_changes, pathway_substance, validate_pathway_structure
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
Decision = ProgramDecision.Action
DECISIONS = {
    "submit": Decision.SUBMITTED,
    "approve": Decision.APPROVED,
    "return_to_draft": Decision.SENT_BACK,
    "publish": Decision.PUBLISHED,
    "retire": Decision.RETIRED,
}
# The submitter is emailed about these; the other steps are their own or the registrar's doing.
DECISIONS_TOLD_TO_SUBMITTER = (Decision.APPROVED, Decision.SENT_BACK)


def program_transition(
    *, program: Program, action: str, user: AbstractBaseUser, comment: str = "", reviewed_digest: str | None = None
) -> Program:
    """Move ``program`` through its lifecycle, checking permission and state; records who and when, and the
    decision (``ProgramDecision``, with ``comment``: required to send a program back, for its submitter).
    ``reviewed_digest``: the digest of the substance the approver was shown — approval is refused if the program
    changed since, so that what is approved is exactly what was reviewed."""
    transition = TRANSITIONS[action]
    comment = comment.strip()
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=program.pk)
        authors = (program.created_by_id, program.submitted_by_id)
        _require_step(transition, action, user, comment, "program", authors=authors)
        _require_state(program, transition, action)
        if action == "publish":
            _check_publishable(program)
            _check_unchanged_since_approval(program)
        current = substance.substance(program)
        if action == "approve" and reviewed_digest is not None and reviewed_digest != substance.digest(current):
            raise ValidationError(
                f"{program} changed while you were reviewing it; look again at what changed before deciding."
            )
        if action == "approve":
            program.approved_substance = current
            program.approved_digest = substance.digest(current)
        now = timezone.now()
        _take_step(program, transition, user, now)
        program.save()
        if action == "retire":
            comment = _with_withdrawn_pathways(comment, program, user)
        _record_decision(program, DECISIONS[action], user, now, comment, substance.digest(current))
        if action == "publish" and program.predecessor_id:
            _retire_superseded(program.predecessor, user, now)
    return program


def _require_step(transition, action, user, comment, kind, *, authors):
    """Refuse a lifecycle step the user may not take on a program or pathway (``kind``) they wrote or submitted."""
    if not user.has_perm(transition.permission):
        raise PermissionDenied(f"You do not have permission to {action.replace('_', ' ')} {kind}s.")
    if transition.author_may_not and user.pk in authors:
        raise PermissionDenied(f"You cannot approve a {kind} you wrote or submitted; another approver must.")
    if action == "return_to_draft" and not comment:
        raise ValidationError({"comment": f"Say why the {kind} is sent back: its submitter reads this comment."})


def _require_state(governed, transition, action):
    if governed.status not in transition.sources:
        raise ValidationError(
            f"{governed} is {governed.get_status_display().lower()}; "
            f"“{action.replace('_', ' ')}” is not possible from that state."
        )


def _take_step(governed, transition, user, now):
    """The new status, and who took the step and when (a ``Governed`` record; saved by the caller)."""
    governed.status = transition.target
    if transition.stamp:
        setattr(governed, f"{transition.stamp}_by", user)
        setattr(governed, f"{transition.stamp}_at", now)
    governed._history_user = user


def _record_decision(program, action, user, now, comment, content_digest):
    decision = ProgramDecision.objects.create(
        program=program, action=action, decided_by=user, decided_at=now, comment=comment, digest=content_digest
    )
    if action in DECISIONS_TOLD_TO_SUBMITTER and program.submitted_by_id:
        from .tasks import email_submitter_decision

        send_after_commit(email_submitter_decision, decision.pk)
    return decision


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
    review (an approver decides again; the approved substance is kept to show what changed). True if it went.
    An edit of a program awaiting approval makes its editor one of its submitters: they may not approve it."""
    with transaction.atomic():
        program = Program.objects.select_for_update().get(pk=program.pk)
        if program.status == Status.IN_REVIEW and user.pk not in (program.created_by_id, program.submitted_by_id):
            if _changed_since_submission(program):
                program.submitted_by, program._history_user = user, user
                program.save(update_fields=["submitted_by"])
            return False
        if (
            program.status != Status.APPROVED
            or substance.digest(substance.substance(program)) == program.approved_digest
        ):
            return False
        current = substance.substance(program)
        changed = ", ".join(substance.changes(program.approved_substance or {}, current)) or "its content"
        program.status = Status.IN_REVIEW
        program.submitted_by = user
        program.submitted_at = timezone.now()
        program._history_user = user
        program.save()
        _record_decision(
            program,
            Decision.SUBMITTED,
            user,
            program.submitted_at,
            f"Changed after approval ({changed}): back in review.",
            substance.digest(current),
        )
    return True


def _retire_superseded(predecessor, user, now):
    if predecessor.status == Status.PUBLISHED:
        predecessor.status = Status.RETIRED
        predecessor.retired_by = user
        predecessor.retired_at = now
        predecessor._history_user = user
        predecessor.save()
        successor = predecessor.successor
        comment = _with_withdrawn_pathways(f"Superseded by version {successor.version}.", predecessor, user)
        _record_decision(
            predecessor, Decision.RETIRED, user, now, comment, substance.digest(substance.substance(predecessor))
        )


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


PATHWAY_TRANSITIONS = {
    "submit": Transition((Status.DRAFT,), Status.IN_REVIEW, "catalog.submit_pathway", "submitted"),
    "approve": Transition((Status.IN_REVIEW,), Status.APPROVED, "catalog.approve_pathway", "approved", True),
    "return_to_draft": Transition((Status.IN_REVIEW, Status.APPROVED), Status.DRAFT, "catalog.approve_pathway", None),
    "publish": Transition((Status.APPROVED,), Status.PUBLISHED, "catalog.publish_pathway", "published"),
    "retire": Transition((Status.PUBLISHED,), Status.RETIRED, "catalog.retire_pathway", "retired"),
}


def pathway_transition(*, pathway: Pathway, action: str, user: AbstractBaseUser, comment: str = "") -> Pathway:
    """Move ``pathway`` through the programs' lifecycle. Approval records its award and rules; publishing needs
    them unchanged, its award published and a published version of every program its rules name. Only publish
    and retire change ``is_published``. ``comment`` (required to send back) goes into the pathway's history."""
    transition = PATHWAY_TRANSITIONS[action]
    comment = comment.strip()
    with transaction.atomic():
        pathway = Pathway.objects.select_for_update().get(pk=pathway.pk)
        _require_step(transition, action, user, comment, "pathway", authors=(pathway.submitted_by_id,))
        _require_state(pathway, transition, action)
        current = pathway_substance(Pathway.objects.with_rules().get(pk=pathway.pk))
        if action == "approve":
            pathway.approved_substance = current
            pathway.approved_digest = substance.digest(current)
        if action == "publish":
            _check_pathway_publishable(pathway, current)
        now = timezone.now()
        _take_step(pathway, transition, user, now)
        if action in ("publish", "retire"):
            pathway.is_published = action == "publish"
        pathway._change_reason = comment or None
        pathway.save()
    return pathway


def _check_pathway_publishable(pathway, current):
    problems = []
    if pathway.approved_digest != substance.digest(current):
        changed = ", ".join(pathway_changes(pathway.approved_substance or {}, current)) or "its rules"
        problems.append(f"{pathway} has changed since it was approved ({changed}); submit it for approval again.")
    if pathway.award.status != Status.PUBLISHED:
        problems.append(f"Its award {pathway.award} is {pathway.award.get_status_display().lower()}; publish it first.")
    problems += [
        f"Its rules name {code}, which has no published version." for code in _unpublished_component_codes(pathway)
    ]
    if problems:
        raise ValidationError(problems)


def _unpublished_component_codes(pathway):
    # Any version of a program counts toward a pathway, so a rule naming v1 is fine while v2 is published.
    named = set(Program.objects.filter(pathway_rules__pathway=pathway).values_list("code", flat=True))
    published = set(Program.objects.published().filter(code__in=named).values_list("code", flat=True))
    return sorted(named - published)


def _with_withdrawn_pathways(comment, program, user):
    """A pathway cannot stay public once its award, or every version of a program its rules name, is retired: those
    pathways go back to draft, for the registrar to change and submit again. Says which in ``comment``."""
    incomplete = models.Q(award=program)
    if not Program.objects.published().filter(code=program.code).exists():
        incomplete |= models.Q(rules__programs__code=program.code)
    withdrawn = []
    for pathway in Pathway.objects.published().filter(incomplete).distinct():
        pathway.status, pathway.is_published = Status.DRAFT, False
        pathway._history_user = user
        pathway._change_reason = f"Withdrawn: {program} was retired."
        pathway.save()
        withdrawn.append(pathway.name)
    if not withdrawn:
        return comment
    return f"{comment} Withdrew the pathway(s) it left incomplete: {', '.join(withdrawn)}.".strip()


def _changed_since_submission(program):
    submitted = program.decisions.filter(action=Decision.SUBMITTED).order_by("-decided_at", "-pk").first()
    return submitted is None or submitted.digest != substance.digest(substance.substance(program))


def pathway_after_edit(*, pathway: Pathway, user: AbstractBaseUser | None) -> list[str]:
    """After an edit of an approved or published pathway: if its award or rules are no longer what was approved,
    it goes back to review and off the public pages until approved and published again. Returns what changed."""
    with transaction.atomic():
        pathway = Pathway.objects.select_for_update().get(pk=pathway.pk)
        if pathway.status not in (Status.APPROVED, Status.PUBLISHED):
            return []
        current = pathway_substance(Pathway.objects.with_rules().get(pk=pathway.pk))
        if substance.digest(current) == pathway.approved_digest:
            return []
        changed = pathway_changes(pathway.approved_substance or {}, current) or ["its rules"]
        pathway.status, pathway.is_published = Status.IN_REVIEW, False
        pathway.submitted_by, pathway.submitted_at = user, timezone.now()
        pathway._history_user = user
        pathway._change_reason = f"Changed after approval ({', '.join(changed)}): back in review."
        pathway.save()
    return changed


def validate_pathway(*, pathway: Pathway, rules: list[RuleSpec]) -> None:
    """Check proposed ``rules`` (RuleSpec list) for ``pathway`` against every other pathway."""
    validate_pathway_structure(
        pathway.award if pathway.award_id else None, rules, pathway_graph(exclude_pathway_id=pathway.pk)
    )


@transaction.atomic
def pathway_set_rules(*, pathway: Pathway, rules: list[RuleSpec], user: AbstractBaseUser | None = None) -> Pathway:
    """Replace a saved pathway's rules with ``rules`` (RuleSpec list) after validating them; an approved or
    published pathway whose rules change goes back to review (``pathway_after_edit``)."""
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
    pathway_after_edit(pathway=pathway, user=user)
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


def decision_email(decision_id: int) -> bool:
    """Email the program's submitter an approval or a sending back, once: the row lock and ``notified_at`` make two
    runs of the task send one email. False when there is nobody to tell or it was told already."""
    with transaction.atomic():
        decision = (
            ProgramDecision.objects.select_for_update(of=("self",))
            .select_related("program__submitted_by", "decided_by")
            .get(pk=decision_id)
        )
        submitter = decision.program.submitted_by
        if decision.notified_at or submitter is None or not submitter.email:
            return False
        context = {
            "decision": decision,
            "program": decision.program,
            "submitter": submitter,
            "url": settings.REGISTRY_PUBLIC_URL + reverse("admin:catalog_program_change", args=[decision.program_id]),
        }
        with translation.override(decision.program.interface_language):
            subject = _("%(program)s: %(decision)s") % {
                "program": decision.program,
                "decision": decision.get_action_display(),
            }
            body = render_to_string("catalog/email/decision.txt", context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [submitter.email])
        decision.notified_at = timezone.now()
        decision.save(update_fields=["notified_at"])
    return True
