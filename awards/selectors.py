"""Reading awards: which stacked awards depend on a credential."""

from dataclasses import dataclass

from catalog.models import Pathway
from catalog.pathways import evaluate_pathway

from .models import Award


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
