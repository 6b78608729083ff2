"""Find and export in Chromium: the registrar filters the credential list by an issue-date range and a program,
searches "chloe" and finds Chloé, then exports the list as CSV and XLSX and reads both files back."""

import csv
import datetime
import io

import openpyxl
import pytest

from tests.browser.conftest import assert_accessible, signed_in_context, submit, watch_csp
from tests.factories import ProgramFactory, UserFactory
from tests.workspace.lists import credential

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registrar_page(browser, live_server):
    context = signed_in_context(
        browser, live_server, UserFactory(username="registrar-x", groups=["Registrar"]), accept_downloads=True
    )
    page = context.new_page()
    violations = watch_csp(page)
    yield page
    context.close()
    assert not violations, violations


def test_the_registrar_filters_searches_and_exports_the_credential_list(registrar_page):
    page = registrar_page
    data = ProgramFactory(status="published", code="DATA-101", title="Data Analysis")
    credential(program=data, issued_on=datetime.date(2026, 10, 15), legal_name="Chloé Dubois", student_id="S-1")
    credential(program=data, issued_on=datetime.date(2026, 10, 20), legal_name="Zoe Martin")
    credential(program=data, issued_on=datetime.date(2026, 6, 1), legal_name="Chloé Ancienne")
    credential(issued_on=datetime.date(2026, 10, 16), legal_name="Chloé Autre")

    page.goto("/admin/awards/award/")
    page.get_by_label("From").fill("2026-09-01")
    page.get_by_label("To").fill("2026-12-31")
    submit(page, page.get_by_role("button", name="Filter"))
    with page.expect_navigation():
        page.locator("#changelist-filter").get_by_role("link", name="DATA-101 v1: Data Analysis").click()
    page.locator("#searchbar").fill("chloe")
    submit(page, page.locator("#changelist-search input[type=submit]"))

    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    assert "Chloé Dubois" in rows.first.inner_text()
    assert "issued_at__range__gte=2026-09-01" in page.url and "q=chloe" in page.url
    assert_accessible(page, "credential-list-found")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export this list: CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as exported:
        [row] = list(csv.DictReader(exported))
    assert (row["Learner"], row["Program code"], row["Issued on"]) == ("Chloé Dubois", "DATA-101", "2026-10-15")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export this list: XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    headers, *values = sheet.iter_rows(values_only=True)
    assert [dict(zip(headers, row, strict=True))["Student ID"] for row in values] == ["S-1"]
