"""The registrar's lists filter by date (presets and any range), program, pathway, status and cohort."""

import datetime

import pytest

from learners.admin_filters import term_of
from tests.factories import PathwayFactory, ProgramFactory, add_rule
from tests.workspace.lists import credential, passed_attempt

pytestmark = pytest.mark.django_db

AWARDS = "/admin/awards/award/"


def _shown(client, url, params):
    response = client.get(url, params)
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


@pytest.mark.parametrize(
    "day, term",
    [
        (datetime.date(2026, 12, 7), ("autumn", datetime.date(2026, 9, 1), datetime.date(2026, 12, 31))),
        (datetime.date(2027, 1, 1), ("spring", datetime.date(2027, 1, 1), datetime.date(2027, 4, 30))),
        (datetime.date(2026, 8, 31), ("summer", datetime.date(2026, 5, 1), datetime.date(2026, 8, 31))),
    ],
)
def test_terms_are_four_calendar_months(day, term):
    assert term_of(day) == term


def test_credentials_filter_by_an_issue_date_range(registrar_client):
    inside = credential(issued_on=datetime.date(2026, 10, 15))
    credential(issued_on=datetime.date(2026, 8, 31))
    credential(issued_on=datetime.date(2026, 11, 1))
    params = {"issued_at__range__gte": "2026-09-01", "issued_at__range__lte": "2026-10-31"}
    assert _shown(registrar_client, AWARDS, params) == {inside}


def test_the_date_filter_offers_this_and_last_month_and_term(registrar_client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: datetime.date(2026, 12, 7))
    response = registrar_client.get(AWARDS)
    links = _date_filter(response).choices(response.context["cl"])
    choices = {choice["display"]: choice["query_string"] for choice in links if "display" in choice}
    assert "issued_at__range__gte=2026-11-01&issued_at__range__lte=2026-11-30" in choices["Last month"]
    assert "issued_at__range__gte=2026-09-01&issued_at__range__lte=2026-12-31" in choices["This term (autumn 2026)"]
    assert "issued_at__range__gte=2026-05-01&issued_at__range__lte=2026-08-31" in choices["Last term (summer 2026)"]
    assert "issued_at__range__gte=2026-12-01" in choices["This month"]


def _date_filter(response):
    from learners.admin_filters import DatePresetsFilter

    return next(spec for spec in response.context["cl"].filter_specs if isinstance(spec, DatePresetsFilter))


def test_credentials_filter_by_program(registrar_client):
    chosen = credential()
    credential()
    assert _shown(registrar_client, AWARDS, {"program__id__exact": chosen.program_id}) == {chosen}


def test_credentials_filter_by_cohort_through_their_enrolment(registrar_client):
    spring = credential(cohort="2027-spring")
    credential(cohort="2026-autumn")
    assert _shown(registrar_client, AWARDS, {"enrolment__cohort": "2027-spring"}) == {spring}


def test_credentials_filter_by_pathway_counting_any_version_and_the_pathways_own_award(registrar_client):
    component = ProgramFactory(status="published", code="DATA-101", version=2)
    older_version = ProgramFactory(status="retired", code="DATA-101", version=1, institution=component.institution)
    pathway = PathwayFactory()
    add_rule(pathway, "all_of", [component])
    of_component, of_older_version = credential(program=component), credential(program=older_version)
    stacked = credential(program=pathway.award)
    credential()
    shown = _shown(registrar_client, AWARDS, {"pathway": pathway.pk})
    assert shown == {of_component, of_older_version, stacked}


def test_credentials_filter_by_status(registrar_client):
    issued = credential()
    pending = credential()
    pending.status = "pending"
    pending.save()
    assert _shown(registrar_client, AWARDS, {"status__exact": "issued"}) == {issued}


def test_enrolments_filter_by_enrolment_date_and_pathway(registrar_client):
    pathway = PathwayFactory()
    in_pathway = credential(issued_on=datetime.date(2026, 10, 1)).enrolment
    add_rule(pathway, "all_of", [in_pathway.program])
    credential()
    url = "/admin/learners/enrolment/"
    assert _shown(registrar_client, url, {"pathway": pathway.pk}) == {in_pathway}
    range_ = {"enrolled_on__range__gte": "2026-09-01", "enrolled_on__range__lte": "2026-09-30"}
    assert in_pathway in _shown(registrar_client, url, range_)
    assert not _shown(registrar_client, url, {"enrolled_on__range__gte": "2026-10-01"})


def test_attempts_filter_by_assessment_date_and_pathway(registrar, registrar_client):
    attempt = passed_attempt(registrar)
    other = passed_attempt(registrar)
    pathway = PathwayFactory()
    add_rule(pathway, "all_of", [attempt.enrolment.program])
    url = "/admin/learners/assessmentattempt/"
    assert _shown(registrar_client, url, {"pathway": pathway.pk}) == {attempt}
    day = attempt.assessed_on.isoformat()
    assert _shown(registrar_client, url, {"assessed_on__range__gte": day, "assessed_on__range__lte": day}) == {
        attempt,
        other,
    }
    assert not _shown(registrar_client, url, {"assessed_on__range__lte": "2020-01-01"})
