"""Deciding whether a pathway is satisfied, and checking that a pathway's rules make sense.

Components are matched by program *code*, so any version of a program counts toward a pathway.
Functions here take already-loaded pathways (``Pathway.objects.with_rules()``) and never query.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import PathwayRule

Kind = PathwayRule.Kind


@dataclass(frozen=True)
class RuleEvaluation:
    rule: PathwayRule
    satisfied: bool
    done: tuple  # component programs the learner has earned
    missing: tuple  # component programs not yet earned
    progress: float  # 0.0 – 1.0
    facts: dict  # what ``explain`` puts into words; plain data, so stored guidance can keep it in any language
    weight: int  # components this rule asks for (a credit rule counts as one), for the overall percent

    @property
    def explanation(self) -> str:
        return explain(self.facts)


@dataclass(frozen=True)
class PathwayEvaluation:
    pathway: object
    satisfied: bool
    rules: tuple

    @property
    def percent(self):
        """Share of the required components done: 3 of an all-of-3 plus 0 of a 1-of-3 is 75%."""
        total = sum(rule.weight for rule in self.rules)
        return round(100 * sum(rule.progress * rule.weight for rule in self.rules) / total) if total else 0

    @property
    def missing_rules(self):
        return tuple(rule for rule in self.rules if not rule.satisfied)

    @property
    def suggested_programs(self):
        """Programs that would move an unsatisfied rule forward, in rule order, without repeats."""
        seen = {}
        for rule in self.missing_rules:
            for program in rule.missing:
                seen.setdefault(program.code, program)
        return tuple(seen.values())


def evaluate_pathway(pathway, earned_programs) -> PathwayEvaluation:
    """Decide, for the programs a learner has earned (any versions), whether ``pathway`` is satisfied."""
    earned_by_code = {program.code: program for program in earned_programs}
    rules = tuple(_evaluate_rule(rule, earned_by_code) for rule in pathway.rules.all())
    return PathwayEvaluation(pathway=pathway, satisfied=bool(rules) and all(r.satisfied for r in rules), rules=rules)


def _evaluate_rule(rule, earned_by_code):
    components = sorted(rule.programs.all(), key=lambda program: program.code)
    done = tuple(earned_by_code[p.code] for p in components if p.code in earned_by_code)
    missing = tuple(p for p in components if p.code not in earned_by_code)
    facts = {
        "label": rule.label,
        "labels": dict(rule.label_translations),
        "kind": rule.kind,
        "missing": [p.title for p in missing],
    }

    if rule.kind == Kind.MIN_CREDITS:
        needed = rule.min_credits or Decimal("0")
        earned = sum((p.credit_value for p in done), Decimal("0"))
        satisfied = earned >= needed
        progress = float(min(earned, needed) / needed) if needed else 0.0
        facts |= {"done": _fmt(earned), "needed": _fmt(needed), "more": _fmt(max(needed - earned, 0))}
    else:
        needed = len(components) if rule.kind == Kind.ALL_OF else rule.required_count or 0
        satisfied = len(done) >= needed
        progress = min(len(done), needed) / needed if needed else 0.0
        facts |= {"done": len(done), "needed": needed, "more": max(needed - len(done), 0)}
    weight = 1 if rule.kind == Kind.MIN_CREDITS else int(needed)
    return RuleEvaluation(rule, satisfied, done, missing, progress, facts | {"satisfied": satisfied}, weight)


def explain(facts: dict) -> str:
    """A rule's state in words, in the active language: "Core: 2 of 3 required done; still needed: Statistics."."""
    names = ", ".join(facts["missing"])
    kind, satisfied = facts["kind"], facts["satisfied"]
    if kind == Kind.ALL_OF:
        text = (
            _("all %(needed)s done.")
            if satisfied
            else _("%(done)s of %(needed)s required done; still needed: %(names)s.")
        )
    elif kind == Kind.N_OF:
        text = (
            _("%(done)s of %(needed)s needed done.")
            if satisfied
            else _("%(done)s of %(needed)s needed done; choose %(more)s more of: %(names)s.")
        )
    else:
        text = (
            _("%(done)s of %(needed)s credits earned.")
            if satisfied
            else _("%(done)s of %(needed)s credits earned; %(more)s more from: %(names)s.")
        )
    # Facts stored before rules had translated labels carry no "labels".
    label = facts.get("labels", {}).get((get_language() or "").split("-")[0]) or facts["label"]
    return _("%(label)s: %(state)s") % {"label": label, "state": text % {**facts, "names": names}}


def pathway_substance(pathway) -> dict:
    """What an approver approves in a pathway: its award and its rules, as plain JSON (components by code, since
    any version counts). Its name, description and credit note are presentation, edited without approval."""
    return {
        "award": f"{pathway.award.code} v{pathway.award.version}" if pathway.award_id else None,
        "rules": [
            {
                "label": rule.label,
                "kind": rule.kind,
                "required_count": rule.required_count,
                "min_credits": None if rule.min_credits is None else _fmt(rule.min_credits),
                "programs": sorted({program.code for program in rule.programs.all()}),
            }
            for rule in sorted(pathway.rules.all(), key=lambda rule: (rule.order, rule.pk))
        ],
    }


def pathway_changes(approved: dict, current: dict) -> list[str]:
    """What differs between two pathway substances, in a registrar's words: "award", "rule “Core”"."""
    changed = ["award"] if approved.get("award") != current["award"] else []
    old_rules = {rule["label"]: rule for rule in approved.get("rules", [])}
    new_rules = {rule["label"]: rule for rule in current["rules"]}
    for label in sorted(old_rules.keys() | new_rules.keys()):
        if old_rules.get(label) != new_rules.get(label):
            changed.append(f"rule “{label}”")
    return changed


def _fmt(amount):
    return f"{Decimal(amount).normalize():f}"


@dataclass(frozen=True)
class RuleSpec:
    """A proposed rule, before it is saved (the admin validates rules and their programs together)."""

    label: str
    kind: str
    programs: tuple
    required_count: int | None = None
    min_credits: Decimal | None = None
    label_translations: dict = field(default_factory=dict)


def validate_pathway_structure(award, rules, other_pathways_graph):
    """Raise ValidationError unless ``rules`` can be satisfied and create no cycle.

    ``other_pathways_graph`` maps each *other* pathway's award code to the codes of its components
    (``selectors.pathway_graph``); together with this pathway's edges it must stay acyclic.
    """
    errors = []
    if not rules:
        errors.append("A pathway needs at least one rule.")
    for rule in rules:
        errors.extend(_rule_problems(rule))
    component_codes = {program.code for rule in rules for program in rule.programs}
    if award is not None:
        if award.code in component_codes:
            errors.append(f"The pathway cannot include its own award “{award.title}” as a component.")
        else:
            graph = {**other_pathways_graph, award.code: component_codes}
            cycle = _find_cycle(graph, award.code)
            if cycle:
                errors.append("These pathways would include each other in a cycle: " + " → ".join(cycle) + ".")
    if errors:
        raise ValidationError(errors)


def _rule_problems(rule):
    count = len(rule.programs)
    if count == 0:
        return [f"“{rule.label}” has no components: add at least one program."]
    if rule.kind == Kind.N_OF:
        if not rule.required_count:
            return [f"“{rule.label}”: say how many components are needed."]
        if rule.required_count > count:
            return [f"“{rule.label}” needs {rule.required_count} of only {count} components, which is impossible."]
    if rule.kind == Kind.MIN_CREDITS:
        if not rule.min_credits or rule.min_credits <= 0:
            return [f"“{rule.label}”: set the minimum credits (more than 0)."]
        available = sum((program.credit_value for program in rule.programs), Decimal("0"))
        if rule.min_credits > available:
            return [
                f"“{rule.label}” needs {_fmt(rule.min_credits)} credits but its components offer only "
                f"{_fmt(available)}, which is impossible."
            ]
    return []


def _find_cycle(graph, start):
    """Return the codes along a path from ``start`` back to itself, or None."""
    stack = [(start, (start,))]
    visited = set()
    while stack:
        node, path = stack.pop()
        for child in graph.get(node, ()):
            if child == start:
                return list(path) + [start]
            if child not in visited:
                visited.add(child)
                stack.append((child, path + (child,)))
    return None
