from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from catalog.models import Pathway, PathwayRule
from catalog.pathways import RuleSpec, evaluate_pathway
from catalog.services import pathway_set_rules, validate_pathway
from tests.factories import PathwayFactory, ProgramFactory, add_rule

pytestmark = pytest.mark.django_db
Kind = PathwayRule.Kind


def _loaded(pathway):
    return Pathway.objects.with_rules().get(pk=pathway.pk)


@pytest.fixture
def programs():
    return [ProgramFactory(code=f"P-{i}", title=f"Program {i}", credit_value=Decimal(i)) for i in range(1, 6)]


def test_all_of_is_satisfied_only_when_every_component_is_earned(programs):
    pathway = PathwayFactory()
    add_rule(pathway, Kind.ALL_OF, programs[:3], label="Core")
    partial = evaluate_pathway(_loaded(pathway), programs[:2])
    complete = evaluate_pathway(_loaded(pathway), programs[:3])
    assert not partial.satisfied
    assert partial.rules[0].missing == (programs[2],)
    assert partial.rules[0].explanation == "Core: 2 of 3 required done; still needed: Program 3."
    assert complete.satisfied
    assert complete.percent == 100


def test_n_of_m_explains_how_many_more_to_choose(programs):
    pathway = PathwayFactory()
    add_rule(pathway, Kind.N_OF, programs[:4], label="Electives", required_count=3)
    evaluation = evaluate_pathway(_loaded(pathway), [programs[0], programs[1]])
    assert not evaluation.satisfied
    assert evaluation.rules[0].explanation == ("Electives: 2 of 3 needed done; choose 1 more of: Program 3, Program 4.")
    assert evaluation.percent == 67


def test_n_of_m_is_satisfied_by_any_n(programs):
    pathway = PathwayFactory()
    add_rule(pathway, Kind.N_OF, programs[:4], required_count=2)
    assert evaluate_pathway(_loaded(pathway), [programs[1], programs[3]]).satisfied


def test_min_credits_sums_credits_of_earned_components(programs):
    pathway = PathwayFactory()
    add_rule(pathway, Kind.MIN_CREDITS, programs, label="Credits", min_credits=Decimal("7"))
    short = evaluate_pathway(_loaded(pathway), [programs[0], programs[4]])  # 1 + 5 credits
    enough = evaluate_pathway(_loaded(pathway), [programs[1], programs[4]])  # 2 + 5 credits
    assert not short.satisfied
    assert short.rules[0].explanation.startswith("Credits: 6 of 7 credits earned; 1 more from:")
    assert enough.satisfied


def test_percent_weighs_rules_by_the_components_they_ask_for(programs):
    pathway = PathwayFactory()
    add_rule(pathway, Kind.ALL_OF, programs[:3])
    add_rule(pathway, Kind.N_OF, programs[3:], required_count=1)
    assert evaluate_pathway(_loaded(pathway), programs[:3]).percent == 75


def test_every_rule_must_hold(programs):
    pathway = PathwayFactory()
    add_rule(pathway, Kind.ALL_OF, programs[:2])
    add_rule(pathway, Kind.N_OF, programs[2:], required_count=1)
    assert not evaluate_pathway(_loaded(pathway), programs[:2]).satisfied
    assert evaluate_pathway(_loaded(pathway), programs[:3]).satisfied


def test_any_version_of_a_component_counts(programs):
    pathway = PathwayFactory()
    add_rule(pathway, Kind.ALL_OF, [programs[0]])
    newer = ProgramFactory(code=programs[0].code, version=2, credit_value=Decimal("3"))
    evaluation = evaluate_pathway(_loaded(pathway), [newer])
    assert evaluation.satisfied
    assert evaluation.rules[0].done == (newer,)


def test_nested_pathway_counts_the_inner_award(programs):
    inner = PathwayFactory()
    add_rule(inner, Kind.ALL_OF, programs[:2])
    outer = PathwayFactory()
    add_rule(outer, Kind.ALL_OF, [inner.award, programs[2]])
    assert not evaluate_pathway(_loaded(outer), programs[:3]).satisfied
    assert evaluate_pathway(_loaded(outer), [inner.award, programs[2]]).satisfied


def test_learner_with_nothing_earned_has_zero_progress(programs):
    pathway = PathwayFactory()
    add_rule(pathway, Kind.ALL_OF, programs[:2])
    evaluation = evaluate_pathway(_loaded(pathway), [])
    assert evaluation.percent == 0
    assert evaluation.suggested_programs == tuple(programs[:2])


def test_evaluating_a_loaded_pathway_runs_no_queries(programs, django_assert_num_queries):
    pathway = PathwayFactory()
    add_rule(pathway, Kind.ALL_OF, programs[:2])
    add_rule(pathway, Kind.MIN_CREDITS, programs[2:], min_credits=Decimal("3"))
    loaded = _loaded(pathway)
    with django_assert_num_queries(0):
        evaluate_pathway(loaded, programs[:3])


def test_pathway_including_its_own_award_is_rejected(programs):
    pathway = PathwayFactory()
    with pytest.raises(ValidationError, match="cannot include its own award"):
        validate_pathway(pathway=pathway, rules=[RuleSpec("Core", Kind.ALL_OF, (pathway.award, programs[0]))])


def test_pathways_including_each_other_are_rejected_as_a_cycle(programs):
    first = PathwayFactory(award__code="CERT-A")
    second = PathwayFactory(award__code="CERT-B")
    add_rule(first, Kind.ALL_OF, [second.award, programs[0]])
    with pytest.raises(ValidationError) as error:
        validate_pathway(pathway=second, rules=[RuleSpec("Core", Kind.ALL_OF, (first.award,))])
    assert error.value.messages == ["These pathways would include each other in a cycle: CERT-B → CERT-A → CERT-B."]


def test_longer_cycle_through_three_pathways_is_rejected(programs):
    a, b, c = (PathwayFactory(award__code=code) for code in ("CERT-A", "CERT-B", "CERT-C"))
    add_rule(a, Kind.ALL_OF, [b.award])
    add_rule(b, Kind.ALL_OF, [c.award])
    with pytest.raises(ValidationError, match="CERT-C → CERT-A → CERT-B → CERT-C"):
        validate_pathway(pathway=c, rules=[RuleSpec("Core", Kind.ALL_OF, (a.award,))])


def test_nesting_without_a_cycle_is_accepted(programs):
    inner = PathwayFactory()
    add_rule(inner, Kind.ALL_OF, programs[:2])
    outer = PathwayFactory()
    validate_pathway(pathway=outer, rules=[RuleSpec("Core", Kind.ALL_OF, (inner.award, programs[3]))])


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (RuleSpec("Electives", Kind.N_OF, (), required_count=1), "“Electives” has no components"),
        (RuleSpec("Electives", Kind.N_OF, ("P1", "P2"), required_count=None), "say how many components"),
        (RuleSpec("Electives", Kind.N_OF, ("P1", "P2"), required_count=3), "needs 3 of only 2 components"),
        (RuleSpec("Credits", Kind.MIN_CREDITS, ("P1", "P2"), min_credits=Decimal("4")), "offer only 3"),
        (RuleSpec("Credits", Kind.MIN_CREDITS, ("P1",), min_credits=None), "set the minimum credits"),
    ],
)
def test_impossible_rules_are_rejected_with_a_clear_message(programs, spec, message):
    by_name = {"P1": programs[0], "P2": programs[1]}  # 1 and 2 credits
    spec = RuleSpec(
        spec.label, spec.kind, tuple(by_name[p] for p in spec.programs), spec.required_count, spec.min_credits
    )
    with pytest.raises(ValidationError, match=message):
        validate_pathway(pathway=PathwayFactory(), rules=[spec])


def test_pathway_without_rules_is_rejected():
    with pytest.raises(ValidationError, match="at least one rule"):
        validate_pathway(pathway=PathwayFactory(), rules=[])


def test_set_rules_replaces_rules_and_keeps_nothing_on_error(programs):
    pathway = PathwayFactory()
    pathway_set_rules(pathway=pathway, rules=[RuleSpec("Core", Kind.ALL_OF, tuple(programs[:2]))])
    with pytest.raises(ValidationError):
        pathway_set_rules(pathway=pathway, rules=[RuleSpec("Core", Kind.N_OF, (programs[0],), required_count=2)])
    rule = pathway.rules.get()
    assert (rule.kind, set(rule.programs.all())) == (Kind.ALL_OF, set(programs[:2]))
