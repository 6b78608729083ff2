"""The registrar exports exactly the list they see — filtered and searched — as CSV or XLSX, formula-safe."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission

from awards.models import Award
from tests.factories import UserFactory
from tests.workspace.lists import credential, passed_attempt

pytestmark = pytest.mark.django_db

AWARDS = "/admin/awards/award/"
OCTOBER = {"issued_at__range__gte": "2026-10-01", "issued_at__range__lte": "2026-10-31"}


def _csv_rows(response):
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _xlsx_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    headers, *rows = sheet.iter_rows(values_only=True)
    return [dict(zip(headers, row, strict=True)) for row in rows]


def test_the_credential_list_exports_its_filtered_rows_as_csv(registrar_client):
    chloe = credential(issued_on=datetime.date(2026, 10, 15), legal_name="Chloé Dubois", student_id="S-1")
    credential(issued_on=datetime.date(2026, 11, 15))
    response = registrar_client.get(f"{AWARDS}export/csv/", OCTOBER)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="credentials-')
    [row] = _csv_rows(response)
    assert row["Credential ID"] == str(chloe.pk)
    assert row["Learner"] == "Chloé Dubois"
    assert row["Student ID"] == "S-1"
    assert row["Program code"] == chloe.program.code
    assert row["Cohort"] == "2026-autumn"
    assert row["Standing"] == "valid"
    assert row["Issued on"] == "2026-10-15"
    assert row["Credits"] == "2.00"
    assert row["Public URL"] == f"https://registry.example.edu/credentials/{chloe.pk}/"


def test_the_credential_list_exports_its_searched_rows_as_xlsx_with_dates_and_numbers(registrar_client):
    credential(issued_on=datetime.date(2026, 10, 15), legal_name="Chloé Dubois")
    credential(legal_name="Zoe Martin")
    response = registrar_client.get(f"{AWARDS}export/xlsx/", {"q": "chloe"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    [row] = _xlsx_rows(response)
    assert row["Learner"] == "Chloé Dubois"
    assert row["Issued on"].date() == datetime.date(2026, 10, 15)
    assert row["Credits"] == Decimal("2") or row["Credits"] == 2


def test_cells_that_look_like_formulas_are_escaped(registrar_client):
    credential(legal_name='=HYPERLINK("http://evil.example","x")')
    [row] = _xlsx_rows(registrar_client.get(f"{AWARDS}export/xlsx/"))
    assert row["Learner"] == '\'=HYPERLINK("http://evil.example","x")'
    [row] = _csv_rows(registrar_client.get(f"{AWARDS}export/csv/"))
    assert row["Learner"].startswith("'=")


def test_the_list_offers_export_links_that_keep_its_filters(registrar_client):
    response = registrar_client.get(AWARDS, {"q": "chloe"})
    assert response.context["list_export_links"] == [
        ("CSV", f"{AWARDS}export/csv/?q=chloe"),
        ("XLSX", f"{AWARDS}export/xlsx/?q=chloe"),
    ]
    assert f'href="{AWARDS}export/csv/?q=chloe"' in response.content.decode()


def test_the_export_action_exports_only_the_selected_rows(registrar_client):
    chosen = credential(legal_name="Chloé Dubois")
    credential(legal_name="Zoe Martin")
    response = registrar_client.post(AWARDS, {"action": "export_selected_csv", "_selected_action": [chosen.pk]})
    assert [row["Learner"] for row in _csv_rows(response)] == ["Chloé Dubois"]


def test_staff_without_the_export_permission_get_no_export(client):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_award"))
    client.force_login(staff)
    response = client.get(AWARDS)
    assert "list_export_links" not in response.context
    assert "export_selected_csv" not in admin.site.get_model_admin(Award).get_actions(response.wsgi_request)
    assert client.get(f"{AWARDS}export/csv/").status_code == 403


def test_an_unknown_format_is_not_found(registrar_client):
    assert registrar_client.get(f"{AWARDS}export/pdf/").status_code == 404


def test_the_enrolment_list_exports_learners_programs_cohorts_and_dates(registrar_client):
    enrolment = credential(legal_name="Chloé Dubois").enrolment
    [row] = _csv_rows(registrar_client.get("/admin/learners/enrolment/export/csv/"))
    assert row["Learner"] == "Chloé Dubois"
    assert row["Program title"] == enrolment.program.title
    assert row["Program version"] == "1"
    assert row["Status"] == "Enrolled"
    assert row["Enrolled on"] == "2026-09-01"


def test_the_attempt_list_exports_scores_and_pass(registrar, registrar_client):
    passed_attempt(registrar, learner__legal_name="Chloé Dubois")
    [row] = _csv_rows(registrar_client.get("/admin/learners/assessmentattempt/export/csv/"))
    assert row["Learner"] == "Chloé Dubois"
    assert row["Status"] == "Final"
    assert row["Passed"] == "yes"
    assert row["Total points"] == "6.00"
    assert row["Criterion scores"] == "Analysis: L3; Communication: L3"


def test_an_attempt_export_takes_the_same_queries_for_more_rows(registrar, registrar_client, django_assert_num_queries):
    passed_attempt(registrar)
    url = "/admin/learners/assessmentattempt/export/csv/"
    registrar_client.get(url)
    with django_assert_num_queries(QUERIES_OF_AN_ATTEMPT_EXPORT):
        registrar_client.get(url)
    for _ in range(3):
        passed_attempt(registrar)
    with django_assert_num_queries(QUERIES_OF_AN_ATTEMPT_EXPORT):
        assert len(_csv_rows(registrar_client.get(url))) == 4


# Session, user, permissions, the changelist's counts and filters' choices, then the export's count, rows and scores.
QUERIES_OF_AN_ATTEMPT_EXPORT = 13


def test_the_registrar_role_may_export_all_three_lists(registrar):
    assert registrar.has_perms(["workspace.export_awards", "workspace.export_enrolments", "workspace.export_attempts"])
