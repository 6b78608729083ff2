from decimal import Decimal

import pytest

from catalog.rubrics import RubricScoringError, rubric_problems, score_rubric
from catalog.selectors import rubric_with_levels
from tests.factories import ProgramFactory, RubricFactory, rubric_with_criteria

pytestmark = pytest.mark.django_db


def _choose(rubric, **points_by_criterion):
    """Map criterion pk → pk of the level named L<points>."""
    chosen = {}
    for criterion in rubric.criteria.all():
        if criterion.name in points_by_criterion:
            level = next(lv for lv in criterion.levels.all() if lv.name == f"L{points_by_criterion[criterion.name]}")
            chosen[criterion.pk] = level.pk
    return chosen


def _loaded(**kwargs):
    return rubric_with_levels(rubric_with_criteria(**kwargs).program)


def test_total_is_weighted_sum_of_chosen_level_points():
    rubric = _loaded(criteria=(("Analysis", 2), ("Communication", "0.5")), min_total=Decimal("1"))
    score = score_rubric(rubric, _choose(rubric, Analysis=3, Communication=2))
    assert score.total == Decimal("7")  # 2 × 3 + 0.5 × 2
    assert score.max_total == Decimal("7.5")


def test_total_equal_to_pass_mark_passes():
    rubric = _loaded(min_total=Decimal("3"))
    score = score_rubric(rubric, _choose(rubric, Analysis=2, Communication=1))
    assert score.total == Decimal("3")
    assert score.passed


def test_total_just_below_pass_mark_fails_with_reason():
    rubric = _loaded(min_total=Decimal("3"))
    score = score_rubric(rubric, _choose(rubric, Analysis=1, Communication=1))
    assert not score.passed
    assert "below the pass mark 3" in score.reasons[0]


def test_level_below_criterion_minimum_fails_even_with_high_total():
    rubric = rubric_with_criteria(min_total=Decimal("1"))
    analysis = rubric.criteria.get(name="Analysis")
    analysis.min_level = analysis.levels.get(name="L2")
    analysis.save()
    rubric = rubric_with_levels(rubric.program)
    score = score_rubric(rubric, _choose(rubric, Analysis=1, Communication=3))
    assert not score.passed
    assert score.reasons == ("“Analysis” is below the minimum level “L2”.",)


def test_level_at_criterion_minimum_passes():
    rubric = rubric_with_criteria(min_total=None)
    analysis = rubric.criteria.get(name="Analysis")
    analysis.min_level = analysis.levels.get(name="L2")
    analysis.save()
    rubric = rubric_with_levels(rubric.program)
    assert score_rubric(rubric, _choose(rubric, Analysis=2, Communication=0)).passed


def test_missing_criterion_is_an_error_naming_it():
    rubric = _loaded()
    chosen = _choose(rubric, Analysis=3)
    with pytest.raises(RubricScoringError) as error:
        score_rubric(rubric, chosen)
    communication = rubric.criteria.get(name="Communication")
    assert error.value.errors == {communication.pk: "Choose a level for “Communication”."}


def test_level_of_another_criterion_is_rejected():
    rubric = _loaded()
    analysis, communication = rubric.criteria.all()
    chosen = {analysis.pk: communication.levels.all()[0].pk, communication.pk: communication.levels.all()[0].pk}
    with pytest.raises(RubricScoringError, match="not one of the levels of “Analysis”"):
        score_rubric(rubric, chosen)


def test_criterion_from_another_rubric_is_rejected():
    rubric = _loaded()
    other = _loaded()
    chosen = {**_choose(rubric, Analysis=3, Communication=3), **_choose(other, Analysis=3)}
    with pytest.raises(RubricScoringError, match="is not part of this rubric"):
        score_rubric(rubric, chosen)


def test_per_criterion_results_keep_rubric_order():
    rubric = _loaded(criteria=(("B first", 1), ("A second", 1)))
    score = score_rubric(rubric, _choose(rubric, **{"B first": 1, "A second": 3}))
    assert [r.criterion.name for r in score.results] == ["B first", "A second"]
    assert [r.weighted_points for r in score.results] == [Decimal("1"), Decimal("3")]


def test_scoring_a_loaded_rubric_runs_no_queries(django_assert_num_queries):
    rubric = _loaded()
    chosen = _choose(rubric, Analysis=2, Communication=2)
    with django_assert_num_queries(0):
        score_rubric(rubric, chosen)


def test_rubric_without_pass_rule_is_a_problem():
    rubric = _loaded(min_total=None)
    assert rubric_problems(rubric) == ["Set a pass rule: a minimum total, a minimum level on some criterion, or both."]


def test_pass_mark_above_highest_total_is_impossible():
    rubric = _loaded(min_total=Decimal("7"))
    assert rubric_problems(rubric) == ["The pass mark 7 is above the highest possible total 6."]


def test_rubric_without_criteria_is_a_problem():
    rubric = rubric_with_levels(RubricFactory(program=ProgramFactory()).program)
    assert rubric_problems(rubric) == ["The rubric has no criteria."]


def test_complete_rubric_has_no_problems():
    assert rubric_problems(_loaded()) == []
