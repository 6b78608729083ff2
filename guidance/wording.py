"""Guidance in words, in the active language.

``recommend`` keeps reasons, evidence and what a pathway still needs as facts; ``describe`` turns a payload of
facts into the sentences the portal and the API show, so one stored payload serves every language.
"""

import copy
from collections import Counter
from decimal import Decimal

from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.pathways import explain

SHOWN_SKILLS = 3  # a reason names this many skills, then "N more"
CLOSE_MATCH, PARTIAL_MATCH = 0.75, 0.4  # a skill read from text: its similarity relative to the closest one


def describe(payload: dict) -> dict:
    """A copy of ``payload`` with every fact replaced by its sentence, and each goal skill's ``why``: why it
    matters, in words rather than its importance figure."""
    described = copy.deepcopy(payload)
    goals = described.get("goals", [])
    wanted_by, essential_in = Counter(), Counter()
    for goal in goals:
        for skill in goal["gaps"] + goal["met_skills"]:
            wanted_by[skill["id"]] += 1
            essential_in[skill["id"]] += skill["source"] == "essential"
    for goal in goals:
        for skill in goal["gaps"] + goal["met_skills"]:
            skill["evidence"] = _evidence(skill["evidence"])
            skill["why"] = _why(skill, goal, wanted_by[skill["id"]], essential_in[skill["id"]])
    for program in described.get("programs", []) + described.get("later", []):
        program["reasons"] = [_reason(fact) for fact in program["reasons"]]
    for nudge in described.get("nudges", []):
        nudge["text"] = _("You are %(percent)s%% of the way to %(pathway)s.") % nudge
        nudge["still_needed"] = [explain(facts) for facts in nudge["still_needed"]]
    return described


def _evidence(fact: dict) -> str:
    match fact["say"]:
        case "met":
            return _("“%(criterion)s” at %(level)s in %(program)s") % fact
        case "completed":
            return _("completed %(program)s") % fact
        case "below":
            return _("“%(criterion)s” reached %(level)s") % fact
        case "not_demonstrated":
            return _("not demonstrated yet")
    raise ValueError(f"No words for evidence {fact!r}")


def _why(skill: dict, goal: dict, wanted_by: int, essential_in: int) -> str:
    """Why a skill of ``goal`` matters: what the framework says of it for the occupation, or how closely the text
    read names it; and how many of the learner's goals ask for it, when more than this one do."""
    if essential_in > 1:
        return ngettext(
            "Essential for %(count)s of your goals.", "Essential for %(count)s of your goals.", essential_in
        ) % {"count": essential_in}
    if skill["source"] == "essential":
        why = _("Essential for this occupation.")
    elif skill["source"] == "optional":
        why = _("Useful for this occupation, though not essential.")
    elif goal["occupation"]:
        why = _match(
            skill["importance"],
            close=_("Close to the heart of the occupation's description."),
            partial=_("Part of the occupation's description."),
            loose=_("Loosely related to the occupation's description."),
        )
    else:
        why = _match(
            skill["importance"],
            close=_("Close to the heart of the posting."),
            partial=_("Part of what the posting asks for."),
            loose=_("Loosely related to the posting."),
        )
    if wanted_by > 1:
        why += " " + ngettext(
            "Often asked for: %(count)s of your goals need it.",
            "Often asked for: %(count)s of your goals need it.",
            wanted_by,
        ) % {"count": wanted_by}
    return why


def _match(importance: float, *, close: str, partial: str, loose: str) -> str:
    if importance >= CLOSE_MATCH:
        return close
    return partial if importance >= PARTIAL_MATCH else loose


def _reason(fact: dict) -> str:
    match fact["say"]:
        case "closes":
            skills = fact["skills"]
            shown = skills[:SHOWN_SKILLS]
            if len(skills) > SHOWN_SKILLS:
                shown.append(_("%(count)s more") % {"count": len(skills) - SHOWN_SKILLS})
            return ngettext(
                "Closes %(count)s of %(of)s gap for %(goal)s: %(skills)s.",
                "Closes %(count)s of %(of)s gaps for %(goal)s: %(skills)s.",
                fact["of"],
            ) % {"count": len(skills), "of": fact["of"], "goal": fact["goal"], "skills": get_text_list(shown, _("and"))}
        case "counts_toward":
            return _("Counts toward your %(pathway)s (%(percent)s%% done).") % fact
        case "builds_on":
            return _("Builds on %(programs)s.") % {"programs": get_text_list(fact["programs"], _("and"))}
        case "first_complete":
            return _("First complete %(programs)s.") % {"programs": get_text_list(fact["programs"], _("and"))}
        case "failed":
            return _("You attempted it before without passing; another attempt can close the gap.")
        case "withdrawn":
            return _("You started it before and withdrew.")
        case "effort" if not Decimal(fact["cost"]):
            return _("%(hours)s hours, free.") % fact
        case "effort":
            return _("%(hours)s hours, %(cost)s %(currency)s.") % fact
    raise ValueError(f"No words for reason {fact!r}")
