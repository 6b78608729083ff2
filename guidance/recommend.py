"""Skill gaps, next programs and pathway nudges, worked out from ``GuidanceInputs`` without touching the database.

A goal's skill is *met* when the learner reached a criterion's passing level on a competency that
demonstrates it (the skill itself, or an institution competency staff mapped to it), or completed a program
aligned to such a competency; *below* when it was assessed but never at the passing level; *missing* otherwise.
Programs are ranked by the importance of the gaps they close, then by the pathways they move forward, then by
effort and cost; every recommendation carries its reasons.

Reasons, evidence and nudges are kept as facts (``{"say": ..., **values}``), not sentences: stored guidance is
shared by every language the learner reads in, and ``wording.describe`` puts it into words when it is served.
"""

from dataclasses import dataclass

from django.conf import settings

from .selectors import GuidanceInputs, guidance_inputs

MET, BELOW, MISSING = "met", "below", "missing"
PATHWAY_WEIGHT = 0.5  # a started pathway counts as much as half an essential skill


@dataclass(frozen=True)
class SkillState:
    status: str
    evidence: dict  # a fact for ``wording.describe``


def compute_guidance(learner) -> dict:
    return recommend(guidance_inputs(learner))


def recommend(inputs: GuidanceInputs) -> dict:
    states = {skill_id: _skill_state(competencies, inputs) for skill_id, competencies in inputs.equivalents.items()}
    teachers = _teachers(inputs)
    goals = [_goal(goal, states, teachers) for goal in inputs.goals]
    programs, later = _rank_programs(inputs, goals)
    return {
        "goals": goals,
        "programs": programs[: settings.GUIDANCE_MAX_RECOMMENDATIONS],
        "later": later[: settings.GUIDANCE_MAX_RECOMMENDATIONS],
        "nudges": _nudges(inputs),
    }


def _skill_state(competencies, inputs) -> SkillState:
    scores = [score for score in inputs.scores if score.competency_ids & competencies]
    met = [score for score in scores if score.met]
    if met:
        best = max(met, key=lambda score: score.points / (score.max_points or 1))
        return SkillState(
            MET, {"say": "met", "criterion": best.criterion, "level": best.level, "program": best.program_title}
        )
    completed = sorted({title for c in competencies for title in inputs.completed_alignments.get(c, ())})
    if completed:
        return SkillState(MET, {"say": "completed", "program": completed[0]})
    if scores:
        best = max(scores, key=lambda score: score.points)
        return SkillState(BELOW, {"say": "below", "criterion": best.criterion, "level": best.level})
    return SkillState(MISSING, {"say": "not_demonstrated"})


def _teachers(inputs) -> dict:
    """Target skill id -> codes of catalog programs that teach or assess a competency demonstrating it."""
    return {
        skill_id: sorted(p.code for p in inputs.programs if inputs.teaches.get(p.pk, set()) & competencies)
        for skill_id, competencies in inputs.equivalents.items()
    }


def _goal(goal, states, teachers) -> dict:
    skills = []
    for goal_skill in goal.skills.all():
        state = states[goal_skill.skill_id]
        skills.append(
            {
                "id": goal_skill.skill_id,
                "label": goal_skill.skill.name,
                "uri": goal_skill.skill.target_url,
                "importance": goal_skill.importance,
                "source": goal_skill.source,
                "status": state.status,
                "evidence": state.evidence,
                "taught_by": teachers[goal_skill.skill_id],
            }
        )
    skills.sort(key=lambda s: (s["status"] == MET, -s["importance"], s["label"]))
    gaps = [s for s in skills if s["status"] != MET]
    return {
        "id": goal.pk,
        "title": goal.title,
        "occupation": goal.occupation.uri if goal.occupation_id else None,
        "skills": len(skills),
        "met": len(skills) - len(gaps),
        "gaps": gaps,
        "met_skills": [s for s in skills if s["status"] == MET],
        "not_taught": sum(1 for s in gaps if not s["taught_by"]),
    }


def _rank_programs(inputs, goals):
    pathways_by_code = {}
    for evaluation in inputs.progress:
        for program in evaluation.suggested_programs:
            pathways_by_code.setdefault(program.code, []).append(evaluation)
    ranked, later = [], []
    for program in inputs.programs:
        if program.code in inputs.completed_codes or program.code in inputs.active_codes:
            continue
        closes = [(goal, [gap for gap in goal["gaps"] if program.code in gap["taught_by"]]) for goal in goals]
        closes = [(goal, gaps) for goal, gaps in closes if gaps]
        pathways = pathways_by_code.get(program.code, [])
        if not closes and not pathways:
            continue
        importance = {}  # a skill two goals share counts once, at its larger importance
        for _, gaps in closes:
            for gap in gaps:
                importance[gap["id"]] = max(importance.get(gap["id"], 0), gap["importance"])
        weight = sum(importance.values())
        entry = {
            "code": program.code,
            "title": program.title,
            "url": program.get_absolute_url(),
            "score": round(weight + PATHWAY_WEIGHT * len(pathways), 3),
            "effort_hours": program.effort_hours,
            "cost": str(program.cost),
            "currency": program.currency,
            "closes": sorted({gap["label"] for _, gaps in closes for gap in gaps}),
            "reasons": _reasons(program, closes, pathways, inputs.ended_codes.get(program.code)),
        }
        missing = [p for p in program.prerequisites.all() if p.code not in inputs.completed_codes]
        if missing:
            entry["needs"] = [p.title for p in missing]
            entry["reasons"].append({"say": "first_complete", "programs": entry["needs"]})
            later.append(entry)
        else:
            ranked.append(entry)
    order = lambda e: (-e["score"], e["effort_hours"], float(e["cost"]), e["code"])  # noqa: E731
    return sorted(ranked, key=order), sorted(later, key=order)


def _reasons(program, closes, pathways, ended=None) -> list[dict]:
    reasons = [
        {"say": "closes", "goal": goal["title"], "of": len(goal["gaps"]), "skills": [gap["label"] for gap in gaps]}
        for goal, gaps in closes
    ]
    reasons += [
        {"say": "counts_toward", "pathway": evaluation.pathway.name, "percent": evaluation.percent}
        for evaluation in pathways
    ]
    prerequisites = [p.title for p in program.prerequisites.all()]
    if prerequisites:
        reasons.append({"say": "builds_on", "programs": prerequisites})
    if ended:
        reasons.append({"say": ended})  # "failed" or "withdrawn"
    reasons.append(
        {"say": "effort", "hours": program.effort_hours, "cost": str(program.cost), "currency": program.currency}
    )
    return reasons


def _nudges(inputs) -> list[dict]:
    nudges = [
        {
            "pathway": evaluation.pathway.name,
            "url": evaluation.pathway.get_absolute_url(),
            "percent": evaluation.percent,
            "still_needed": [rule.facts for rule in evaluation.missing_rules],
        }
        for evaluation in inputs.progress
        if evaluation.percent >= settings.GUIDANCE_NUDGE_PERCENT
    ]
    return sorted(nudges, key=lambda n: (-n["percent"], n["pathway"]))
