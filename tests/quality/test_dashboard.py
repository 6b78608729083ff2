"""The outcomes dashboard page: staff only, filters, charts with text alternatives, CSV of every table."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import completed_cohort, learner_user
from tests.quality.dataset import known_cohort

pytestmark = pytest.mark.django_db
URL = reverse("quality:dashboard")


@pytest.fixture
def known(registrar):
    return known_cohort(registrar)


def test_the_page_shows_each_program_and_five_charts_with_text_alternatives(registrar_client, known):
    html = registrar_client.get(URL, {"code": known.program.code}).content.decode()
    assert f"{known.program.code} v1" in html and f"{known.program.code} v2" in html
    assert html.count('role="img"') == 5
    assert html.count("<title id=") == 5 and html.count("<desc id=") == 5
    assert html.count("<details><summary>Data of") == 5
    assert "67%" in html  # completion of v1: 4 of 6


def test_every_table_downloads_as_csv(registrar_client, known):
    response = registrar_client.get(URL, {"code": known.program.code, "export": "programs"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["Program", "Version", "Title", "Status", "Enrolments"]
    assert [row[1] for row in rows[1:]] == ["1", "2"] and rows[1][4:6] == ["6", "66.7"]
    for table in ("criteria", "terms", "scores", "reviews"):
        assert registrar_client.get(URL, {"export": table}).status_code == 200
    assert registrar_client.get(URL, {"export": "nope"}).status_code == 404


def test_a_bad_date_range_is_a_field_error_and_the_page_still_shows(registrar_client, known):
    response = registrar_client.get(URL, {"enrolled_from": "2027-01-01", "enrolled_to": "2026-01-01"})
    assert response.status_code == 200
    assert "before its start" in response.content.decode()


def test_the_page_runs_the_same_queries_whatever_the_number_of_learners(registrar_client, known, registrar):
    def count():
        with CaptureQueriesContext(connection) as captured:
            assert registrar_client.get(URL).status_code == 200
        return len(captured.captured_queries)

    before = count()
    completed_cohort(registrar, 15)
    assert count() == before


def test_learners_and_anonymous_visitors_are_kept_out(client, known):
    assert client.get(URL).status_code == 302
    client.force_login(learner_user().user)
    assert client.get(URL).status_code == 403


def test_comments_show_on_the_page_for_one_program_without_names(registrar_client, known, settings):
    from tests.quality.test_kpis import _answer_surveys

    settings.QUALITY_MIN_GROUP_SIZE = 2
    _answer_surveys(known)
    html = registrar_client.get(URL, {"code": known.program.code}).content.decode()
    assert "What learners wrote" in html and "Assessment felt rushed" in html
    assert known.enrolments["e3"].learner.legal_name not in html


@pytest.mark.parametrize(
    "hostile",
    [
        {"subject": "not-a-number"},
        {"pathway": "999999"},
        {"enrolled_from": "2026-13-45"},
        {"code": "X" * 500},
        {"cohort": ["a", "b"], "code": "'; DROP TABLE learners_enrolment; --"},
    ],
)
def test_hostile_filters_get_field_errors_and_the_page_still_shows(registrar_client, known, hostile):
    response = registrar_client.get(URL, hostile)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="errorlist' in html or "No program matches" in html
    assert registrar_client.get(URL, {"export": "../../etc/passwd"}).status_code == 404


def test_the_dashboard_and_its_charts_speak_french(registrar_client):
    page = registrar_client.get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Résultats des programmes" in page and "Taux de réussite par programme" in page
    assert "Aucune donnée." in page  # the charts' text alternative, with nothing to show yet
