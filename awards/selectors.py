"""Reading awards: who may see what of a credential, a holder's credentials, stacked awards' dependencies."""

from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Prefetch, Q, QuerySet

from catalog.models import Criterion, Pathway, Program
from catalog.pathways import evaluate_pathway
from catalog.selectors import alignments_with_matches
from learners.models import Learner, Sharing
from learners.selectors import earned_programs, learner_progress

from .models import Award, ForeignCredential, Notice


@dataclass(frozen=True)
class Dependent:
    award: Award  # a stacked award built, directly or through nesting, on the credential being withdrawn
    built_on: Award  # the component of ``award`` that is withdrawn (or itself depends on it)
    still_holds: bool  # would its pathway still be satisfied by the learner's other credentials?


def award_dependents(award: Award) -> list[Dependent]:
    """Every stacked award that depends on ``award``, nearest first, and whether its pathway still holds.

    Dependents are assumed withdrawn too when judging the awards that nest them, as the default policy
    suspends them all (docs/decisions/0003-stacked-awards-follow-their-components.md).
    """
    standing = list(
        Award.objects.in_good_standing()
        .filter(learner_id=award.learner_id, suspended_at__isnull=True)
        .select_related("program")
    )
    pathways = {pathway.award.code: pathway for pathway in Pathway.objects.with_rules()}
    lost, queue, dependents = {award.pk}, [award], []
    while queue:
        current = queue.pop(0)
        for stacked in current.stacked_into.in_good_standing().select_related("program", "learner"):
            if stacked.pk in lost:
                continue
            pathway = pathways.get(stacked.program.code)
            remaining = [other.program for other in standing if other.pk not in lost]
            holds = pathway is not None and evaluate_pathway(pathway, remaining).satisfied
            dependents.append(Dependent(stacked, current, holds))
            lost.add(stacked.pk)
            queue.append(stacked)
    return dependents


@dataclass(frozen=True)
class Visibility:
    """What one viewer may see of one credential. Every surface (public page, portal, API) asks this."""

    details: bool  # the holder's name, results, evidence, components and the signed JSON
    is_holder: bool
    reason: str  # why, for pages that explain it


def credential_visibility(award: Award, user: AbstractBaseUser | None = None) -> Visibility:
    """The holder and registry staff see everything; anyone else sees details only if the holder shares them.

    The verdict (valid, revoked…) is public whatever the sharing: it protects the people relying on it.
    """
    is_holder = user is not None and user.is_authenticated and award.learner.user_id == user.pk
    if is_holder:
        return Visibility(details=True, is_holder=True, reason="You hold this credential.")
    if user is not None and user.is_authenticated and user.is_staff and user.has_perm("awards.view_award"):
        return Visibility(details=True, is_holder=False, reason="Shown to registry staff.")
    if award.sharing != Sharing.PRIVATE:
        return Visibility(details=True, is_holder=False, reason="The holder shares this credential.")
    return Visibility(details=False, is_holder=False, reason="The holder keeps the details private.")


@dataclass(frozen=True)
class AwardRelations:
    """What the registrar's page of one credential links to."""

    components: list  # the awards it was stacked from
    stacked_into: list  # the stacked awards built on it
    replaces: Award | None  # the credential it corrects
    replacement: Award | None  # the corrected credential that replaced it
    renews: Award | None
    renewal: Award | None
    latest_notice: Notice | None  # what the learner was last told about it


def award_relations(award: Award) -> AwardRelations:
    """A fixed number of queries, whatever the award."""
    related = Award.objects.select_related("program", "learner")
    return AwardRelations(
        components=list(award.components.select_related("program", "learner")),
        stacked_into=list(award.stacked_into.select_related("program", "learner")),
        replaces=related.filter(replaced_by=award).first(),
        replacement=related.filter(replaces=award).first(),
        renews=related.filter(renewed_by=award).first(),
        renewal=related.filter(renews=award).first(),
        latest_notice=award.notices.order_by("-created_at", "-pk").first(),
    )


def issuing_outcome(award_ids) -> dict:
    """How many of these awards are issued, failed and still pending (one query)."""
    return Award.objects.filter(pk__in=list(award_ids)).aggregate(
        issued=Count("pk", filter=Q(status=Award.Status.ISSUED)),
        failed=Count("pk", filter=Q(status=Award.Status.FAILED)),
        pending=Count("pk", filter=Q(status=Award.Status.PENDING)),
    )


def award_replacement(award: Award) -> Award | None:
    """The corrected credential that replaced ``award`` (``award_reissue``), if any."""
    return Award.objects.filter(replaces=award).only("pk", "status").first()


def holder_awards(learner: Learner) -> QuerySet[Award]:
    """The learner's issued credentials, newest first, with what their pages show (a credential replaced by a
    corrected one is not theirs to show any more: its public page links to the correction)."""
    return (
        Award.objects.issued()
        .filter(learner=learner, replaced_by__isnull=True)
        .select_related("program__institution", "program__subject")
        .order_by("-issued_at")
    )


def awards_for_issuing(award_ids) -> QuerySet[Award]:
    """The awards with everything their credentials say loaded in a fixed number of queries, however many."""
    return (
        Award.objects.filter(pk__in=award_ids)
        .select_related("learner", "enrolment", "attempt", "replaces")
        .prefetch_related(
            # Prefetched, not joined: a chunk's awards share one Program instance (usually one program), so its
            # tags, alignments and rubric are loaded and built into objects once, not once per award.
            Prefetch("program", queryset=Program.objects.select_related("institution", "subject", "rubric")),
            Prefetch("components", queryset=Award.objects.select_related("program")),
            "program__tags",
            "program__endorsements",
            Prefetch("recognised", queryset=ForeignCredential.objects.select_related("counts_as", "agreement")),
            Prefetch("program__alignments", queryset=alignments_with_matches()),
            Prefetch("program__rubric__criteria", queryset=Criterion.objects.prefetch_related("levels")),
            "attempt__scores",
            "attempt__evidence",
        )
    )


def pathway_progress(learner: Learner, recognised: list | None = None) -> list:
    """Pathway progress counting the programs the learner completed here and what the registrar recognised.

    The one definition of "how far along" for the portal, the learner record and guidance alike.
    """
    recognised = recognised_credentials(learner) if recognised is None else recognised
    return learner_progress(learner, earned=[*earned_programs(learner), *(c.counts_as for c in recognised)])


def recognised_credentials(learner: Learner) -> list:
    """Credentials of other issuers the registrar recognised for ``learner``, with the programs they count as."""
    return list(
        ForeignCredential.objects.filter(learner=learner, status=ForeignCredential.Status.APPROVED)
        .select_related("counts_as", "agreement")
        .order_by("decided_at")
    )
