"""The learner portal in a real browser: sign-up, search, dashboard, certificates, sharing."""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from awards import keys
from awards.models import Award
from demo import catalog_data as demo
from learners import services as learner_services
from learners.models import Learner
from tests.browser.conftest import assert_accessible, screenshot, submit
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-Strong-pass-2026"


@pytest.fixture
def catalog():
    registrar = UserFactory(username="registrar-b", groups=["Registrar"])
    approver = UserFactory(username="approver-b", groups=["Program approver"])
    keys.generate_key()
    institution = demo.load_catalog(registrar=registrar, approver=approver)
    return {"registrar": registrar, "institution": institution}


def _pass(learner, code, registrar):
    from catalog.models import Program

    program = Program.objects.published().get(code=code)
    enrolment = learner_services.enrolment_create(learner=learner, program=program, cohort="2026-autumn")
    levels = {c.pk: c.levels.order_by("-points").first().pk for c in program.rubric.criteria.all()}
    learner_services.attempt_record(
        enrolment=enrolment,
        assessor=registrar,
        levels=levels,
        assessed_on=datetime.date(2026, 11, 20),
        recorded_by=registrar,
        finalise=True,
        feedback="Excellent, well-evidenced work.",
    )


def _log_in(page, email):
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    submit(page, page.get_by_role("button", name="Sign In"))


def test_sign_up_verify_email_and_see_the_linked_record(page, catalog):
    Learner.objects.create(
        institution=catalog["institution"],
        legal_name="Ada Lovelace",
        display_name="Ada",
        email="ada@example.org",
        student_id="NB-900001",
    )
    page.goto("/accounts/signup/")
    assert_accessible(page, "signup")
    page.locator("#id_email").fill("ada@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    submit(page, page.get_by_role("button", name="Sign Up"))
    assert Learner.objects.get(student_id="NB-900001").user is None  # not linked before verification
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto("/" + link.split("/", 3)[3])  # the same path on the live server
    submit(page, page.get_by_role("button", name="Confirm"))
    assert Learner.objects.get(student_id="NB-900001").user.email == "ada@example.org"
    _log_in(page, "ada@example.org")
    page.goto("/me/")
    expect(page.get_by_role("heading", name="Ada")).to_be_visible()


def test_find_a_program_with_search_and_filters(page, catalog):
    page.goto("/")
    assert_accessible(page, "catalog")
    page.get_by_role("textbox", name="Search").fill("security")
    page.locator("#id_delivery_mode").select_option("in_person")
    submit(page, page.get_by_role("button", name="Search"))
    expect(page.locator("#result-count")).to_have_text("1 program found")
    page.get_by_role("link", name="Network Defence").click()
    expect(page.get_by_role("heading", name="Assessment rubric")).to_be_visible()
    assert_accessible(page, "program-detail")


def test_dashboard_progress_certificate_download_and_sharing(page, catalog):
    user = UserFactory(username="amira", email="amira@example.org", password=PASSWORD)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    learner = Learner.objects.create(
        institution=catalog["institution"], legal_name="Amira Haddad", display_name="Amira", email=user.email, user=user
    )
    for code in ("DATA-101", "DATA-102"):
        _pass(learner, code, catalog["registrar"])
    award = Award.objects.filter(learner=learner).first()

    _log_in(page, user.email)
    page.goto("/me/")
    progress = page.locator("article.pathway-progress", has_text="Certificate in Data Analytics")
    assert progress.locator("progress").get_attribute("value") == "50"
    assert "still needed: SQL for Analysts" in progress.inner_text()
    assert_accessible(page, "dashboard")

    page.goto("/me/credentials/")
    assert_accessible(page, "credentials")
    with page.expect_download() as download:
        page.locator(f"#credential-{award.pk}").get_by_role("link", name="Download PDF certificate").click()
    assert download.value.suggested_filename.endswith("-certificate.pdf")
    assert open(download.value.path(), "rb").read(4) == b"%PDF"

    # A stranger: a separate browser context, not signed in (the holder always sees their own details).
    stranger = page.context.browser.new_context(base_url=page.url.split("/me/")[0])
    public = stranger.new_page()
    card = page.locator(f"#credential-{award.pk}")
    card.get_by_label("Who can see the details").select_option("link")
    submit(page, card.get_by_role("button", name="Save sharing"))
    public.goto(award.get_absolute_url())
    expect(public.locator(".holder")).to_have_text("Amira Haddad")
    assert_accessible(public, "public-credential")
    card = page.locator(f"#credential-{award.pk}")
    card.get_by_label("Who can see the details").select_option("private")
    submit(page, card.get_by_role("button", name="Save sharing"))
    public.reload()
    assert public.locator(".holder").count() == 0
    screenshot(public, "public-credential-private")
    stranger.close()


def test_portal_is_usable_at_phone_width(browser, live_server, catalog):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto("/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert_accessible(page, "catalog-phone")
    context.close()


def test_the_catalog_switches_to_french_and_stays_accessible(page, catalog):
    page.goto("/")
    with page.expect_navigation():  # the switcher submits as soon as a language is chosen
        page.get_by_label("Language").select_option("fr")
    expect(page.get_by_role("heading", name="Trouver une microcertification")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "fr"
    expect(page.get_by_role("button", name="Rechercher")).to_be_visible()
    assert_accessible(page, "catalog-french")
