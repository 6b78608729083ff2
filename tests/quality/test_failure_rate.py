""" "Criteria learners fail most" is ranked by failure rate (failed ÷ assessed), not by the raw number of
failures, and only once enough assessments back the rate."""

import datetime

import pytest
from django.urls import reverse

from learners import services as learner_services
from quality import selectors
from quality.selectors import Scope, outcomes_dashboard
from tests.factories import (
    EnrolmentFactory,
    LearnerFactory,
    levels_for,
    published_program,
    results_recorded_without_awards,
    rubric_with_criteria,
)

pytestmark = pytest.mark.django_db


def _program_whose_analysis_is_failed(registrar, *, failed, assessed):
    """A published program whose Analysis criterion requires L2, assessed ``assessed`` times with ``failed``
    results at L1."""
    program = published_program()
    rubric_with_criteria(program)
    analysis = program.rubric.criteria.get(name="Analysis")
    analysis.min_level = analysis.levels.get(name="L2")
    analysis.save()
    with results_recorded_without_awards():
        for number in range(assessed):
            enrolment = EnrolmentFactory(program=program, learner=LearnerFactory(institution=program.institution))
            learner_services.attempt_record(
                enrolment=enrolment,
                assessor=registrar,
                levels=levels_for(program, Analysis=1 if number < failed else 3, Communication=3),
                assessed_on=datetime.date(2026, 11, 20),
                recorded_by=registrar,
                finalise=True,
            )
    return program


@pytest.fixture
def three_programs(registrar):
    assert selectors.FAILURE_RANKING_MIN_ASSESSED == 5
    many = _program_whose_analysis_is_failed(registrar, failed=3, assessed=10)  # most failures: 30%
    few = _program_whose_analysis_is_failed(registrar, failed=2, assessed=5)  # fewer failures: 40%
    tiny = _program_whose_analysis_is_failed(registrar, failed=1, assessed=1)  # 100%, but one assessment
    return many, few, tiny


def test_criteria_are_ranked_by_failure_rate_not_by_number_of_failures(three_programs):
    many, few, tiny = three_programs
    dashboard = outcomes_dashboard(Scope())
    ranked = [(c.program_code, c.below_required, c.scored) for c in dashboard.failing_criteria]
    assert ranked == [(few.code, 2, 5), (many.code, 3, 10)]
    assert [(c.program_code, c.below_required, c.scored) for c in dashboard.too_few_to_rank] == [(tiny.code, 1, 1)]


def test_criteria_without_a_required_level_are_not_ranked(three_programs):
    dashboard = outcomes_dashboard(Scope())
    assert {c.criterion for c in dashboard.failing_criteria + dashboard.too_few_to_rank} == {"Analysis"}


def test_the_dashboard_lists_them_in_rank_order_with_both_counts_and_the_minimum(registrar_client, three_programs):
    many, few, tiny = three_programs
    html = registrar_client.get(reverse("quality:dashboard")).content.decode()
    table = html[html.index('id="failing-table"') : html.index("</table>", html.index('id="failing-table"'))]
    assert table.index(few.code) < table.index(many.code) and tiny.code not in table
    assert '<td class="num">40%</td><td class="num">2</td><td class="num">5</td>' in table
    assert '<td class="num">30%</td><td class="num">3</td><td class="num">10</td>' in table
    assert "assessed at least 5 times" in html
    assert f"{tiny.code}: Analysis — 1 failed of 1 assessed" in html


def test_the_ranking_downloads_as_csv_in_the_same_order(registrar_client, three_programs):
    many, few, tiny = three_programs
    rows = registrar_client.get(reverse("quality:dashboard"), {"export": "failing"}).content.decode().splitlines()
    assert rows[0] == "Rank,Program,Criterion,Required level,Failed,Assessed,Failure %"
    assert rows[1:] == [
        f"1,{few.code},Analysis,L2,2,5,40.0",
        f"2,{many.code},Analysis,L2,3,10,30.0",
        f"too few to rank,{tiny.code},Analysis,L2,1,1,100.0",
    ]
