"""What finalising passing results will set off, answered before they are finalised (``achievements_forecast``).

It mirrors the event path: ``award_request`` gives a learner at most one credential per program version, and once
the new credentials are issued ``pathways_check`` requests the award of every pathway they complete (cascading). A
fixed number of queries however many rows an import has.
"""

from collections import defaultdict

from catalog.models import Pathway, Program
from catalog.pathways import evaluate_pathway
from learners.signals import AchievementConsequences

from .models import Award, ForeignCredential


def achievements_consequences(achievements) -> AchievementConsequences:
    """``achievements``: ``(learner_id, program_id)`` pairs about to be finalised as passes."""
    learner_ids = {learner_id for learner_id, _ in achievements}
    awards = list(Award.objects.filter(learner_id__in=learner_ids).select_related("program").defer("credential"))
    awarded = {(award.learner_id, award.program_id) for award in awards if award.renews_id is None}
    programs = Program.objects.in_bulk({program_id for _, program_id in achievements})
    gained = defaultdict(dict)  # learner → program code → program: the credentials the passes will request
    for learner_id, program_id in dict.fromkeys(achievements):
        if (learner_id, program_id) not in awarded:
            gained[learner_id][programs[program_id].code] = programs[program_id]
    if not gained:
        return AchievementConsequences()
    held = _held_programs(awards, gained.keys())
    pathways = list(Pathway.objects.published().with_rules())
    stacked = []
    for learner_id, new in gained.items():
        stacked.extend(_completed_pathways(pathways, held[learner_id], new))
    return AchievementConsequences(credentials=sum(len(new) for new in gained.values()), stacked_awards=tuple(stacked))


def _held_programs(awards, learner_ids):
    """learner → code → program of the credentials they hold or will hold: issued or pending, not revoked; and
    credentials of other issuers the registrar recognised, as the programs they count as."""
    held = defaultdict(dict)
    for award in awards:
        if award.revoked_at is None and award.status in (Award.Status.PENDING, Award.Status.ISSUED):
            held[award.learner_id][award.program.code] = award.program
    for credential in ForeignCredential.objects.filter(
        learner_id__in=list(learner_ids), status=ForeignCredential.Status.APPROVED
    ).select_related("counts_as"):
        held[credential.learner_id].setdefault(credential.counts_as.code, credential.counts_as)
    return held


def _completed_pathways(pathways, held, new):
    """Titles of the stacked awards ``new`` completes for one learner: pathways satisfied with it and not without,
    repeated until nothing more follows (a stacked award may complete a larger one)."""
    new = dict(new)
    titles = []
    progressing = True
    while progressing:
        progressing = False
        for pathway in pathways:
            code = pathway.award.code
            if code in held or code in new:
                continue
            if evaluate_pathway(pathway, [*held.values(), *new.values()]).satisfied and not (
                evaluate_pathway(pathway, held.values()).satisfied
            ):
                new[code] = pathway.award
                titles.append(pathway.award.title)
                progressing = True
    return titles
