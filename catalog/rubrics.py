"""Scoring a set of chosen rubric levels against the rubric's pass rule.

Everything here works on a rubric whose criteria and levels are already loaded
(``selectors.rubric_with_levels``), so scoring many attempts costs no extra queries.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal


class RubricScoringError(ValueError):
    """The chosen levels do not fit the rubric. ``errors`` maps a criterion pk (or None) to a message."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(errors.values()))


@dataclass(frozen=True)
class CriterionResult:
    criterion: object
    level: object
    weighted_points: Decimal
    meets_minimum: bool


@dataclass(frozen=True)
class RubricScore:
    total: Decimal
    max_total: Decimal
    passed: bool
    results: tuple
    reasons: tuple  # why the attempt did not pass; empty when it passed


def max_total(rubric):
    return sum(
        (criterion.weight * max((level.points for level in criterion.levels.all()), default=Decimal("0")))
        for criterion in rubric.criteria.all()
    ) or Decimal("0")


def score_rubric(rubric, chosen_levels: Mapping[int, int]) -> RubricScore:
    """Score ``chosen_levels`` (criterion pk → level pk) and apply the pass rule.

    The weighted total is Σ weight × level points. The attempt passes when the total reaches
    ``min_total_points`` (a tie passes) and every criterion reaches its minimum level, if it has one.
    Every criterion must have exactly one chosen level that belongs to it.
    """
    criteria = list(rubric.criteria.all())
    errors = {}
    known = {criterion.pk for criterion in criteria}
    for criterion_pk in set(chosen_levels) - known:
        errors[criterion_pk] = f"Criterion #{criterion_pk} is not part of this rubric."

    results = []
    reasons = []
    for criterion in criteria:
        levels = {level.pk: level for level in criterion.levels.all()}
        level_pk = chosen_levels.get(criterion.pk)
        if level_pk is None:
            errors[criterion.pk] = f"Choose a level for “{criterion.name}”."
            continue
        level = levels.get(_as_pk(level_pk))
        if level is None:
            errors[criterion.pk] = f"The chosen level is not one of the levels of “{criterion.name}”."
            continue
        minimum = levels.get(criterion.min_level_id)
        meets_minimum = minimum is None or level.points >= minimum.points
        if not meets_minimum:
            reasons.append(f"“{criterion.name}” is below the minimum level “{minimum.name}”.")
        results.append(CriterionResult(criterion, level, criterion.weight * level.points, meets_minimum))

    if errors:
        raise RubricScoringError(errors)

    total = sum((result.weighted_points for result in results), Decimal("0"))
    if rubric.min_total_points is not None and total < rubric.min_total_points:
        reasons.insert(
            0, f"Total {total.normalize():f} is below the pass mark {rubric.min_total_points.normalize():f}."
        )
    return RubricScore(
        total=total,
        max_total=max_total(rubric),
        passed=not reasons,
        results=tuple(results),
        reasons=tuple(reasons),
    )


def _as_pk(level):
    return getattr(level, "pk", level)


def rubric_problems(rubric):
    """Reasons this rubric cannot assess anyone yet; empty when it is complete and passable."""
    criteria = list(rubric.criteria.all())
    if not criteria:
        return ["The rubric has no criteria."]
    problems = [f"“{criterion.name}” has no levels." for criterion in criteria if not criterion.levels.all()]
    has_minimum_level = any(criterion.min_level_id for criterion in criteria)
    if rubric.min_total_points is None and not has_minimum_level:
        problems.append("Set a pass rule: a minimum total, a minimum level on some criterion, or both.")
    if rubric.min_total_points is not None and not problems:
        reachable = max_total(rubric)
        if rubric.min_total_points > reachable:
            problems.append(
                f"The pass mark {rubric.min_total_points.normalize():f} is above the highest possible total "
                f"{reachable.normalize():f}."
            )
    return problems
