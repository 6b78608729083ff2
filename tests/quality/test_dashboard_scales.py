"""Every number on the outcomes dashboard carries its scale or unit: ratings "x / 5", workload on −2…+2,
percentages with %, counts with their denominators; each chart's axes are labelled with their scale."""

import re

import pytest
from django.urls import reverse

from quality.models import SurveyResponse
from quality.templatetags.quality_units import percent, rating, share, workload
from tests.quality.dataset import known_cohort
from tests.quality.test_kpis import _answer_surveys

pytestmark = pytest.mark.django_db
URL = reverse("quality:dashboard")


@pytest.fixture
def page(registrar_client, registrar, settings):
    settings.QUALITY_MIN_GROUP_SIZE = 2
    known = known_cohort(registrar)
    _answer_surveys(known)
    html = registrar_client.get(URL, {"code": known.program.code}).content.decode()
    return known, html, " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_ratings_are_out_of_5_and_workload_is_signed_on_minus_2_to_plus_2():
    assert (rating(4.25), rating(None)) == ("4.3 / 5", "—")
    assert (workload(-0.44), workload(1), workload(0.02)) == ("−0.4", "+1.0", "0.0")


def test_percentages_round_and_shares_carry_their_counts():
    assert (percent(2 / 3), percent(0.005), percent(None)) == ("67%", "1%", "—")
    assert (share(4, 6), share(0, 0)) == ("67% (4 of 6)", "—")


def test_the_programs_table_shows_rates_with_their_counts(page):
    _, _, text = page
    assert "67% (4 of 6) 17% (1 of 6) 75% (3 of 4)" in text  # completed, withdrew, first sitting


def test_survey_figures_show_their_scales_and_how_many_responded(page):
    known, _, text = page
    invited = SurveyResponse.objects.filter(enrolment__program=known.program).count()
    assert (
        f"{known.program.code} v1 {known.program.title} 2 of {invited} responded 3.0 / 5 4.0 / 5 0.0 on −2…+2" in text
    )
    assert "Relevance 1–5 Fairness 1–5 Workload −2…+2" in text
    assert "−2 (much less than advertised) through 0 (as advertised) to +2 (much more than advertised)" in text


def test_every_chart_names_the_scale_of_its_axes(page):
    _, html, _ = page
    for axis in (
        "Completed, % of enrolments (0–100%)",
        "Passed at the first sitting, % of enrolments assessed (0–100%)",
        "% of final assessments of the criterion (0–100%)",
        "Weighted rubric total (points)",
        "Final assessments (count)",
        "Term",
    ):
        assert re.search(rf"<text [^>]*>{re.escape(axis)}</text>", html), axis
    assert html.count(">100%</text>") >= 4  # the percentage scales end at 100 %
