"""The offline evaluation (bench/guidance_evaluation.py) on a small synthetic world."""

import re

import pytest

from bench.guidance_evaluation import evaluate, report
from bench.guidance_world import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(registrar):
    return build_world(learners=40, programs=20, registrar=registrar, history=(1, 3))


def test_every_learner_has_one_held_out_program_not_in_their_record(world):
    from learners.models import Enrolment

    assert set(world.held_out) == set(world.learner_ids)
    for learner_id, code in world.held_out.items():
        assert not Enrolment.objects.filter(learner_id=learner_id, program__code=code).exists()


def test_the_report_gives_hit_rates_at_3_and_5_for_both_methods_and_the_lift(world):
    evaluation = evaluate(world)
    lines = report(evaluation).splitlines()
    assert lines[0] == "learners 40, programs 20, one held-out program each"
    assert re.fullmatch(r"method\s+hit@3\s+hit@5", lines[1])
    for line, method in zip(lines[2:4], ("recommender", "popularity"), strict=True):
        assert re.fullmatch(rf"{method}\s+[01]\.\d{{3}}\s+[01]\.\d{{3}}", line)
    assert re.fullmatch(r"lift\s+\d+\.\d×\s+\d+\.\d×", lines[4])
    for method in ("recommender", "popularity"):
        assert evaluation.rate(method, 3) <= evaluation.rate(method, 5)  # a top 5 holds the top 3
