"""The learner's pages in plain words, in Chromium at desktop and phone widths: a result, My credentials, the
public credential page and the goals page."""

import datetime
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from awards import keys
from awards.models import Award
from learners import services as learner_services
from learners.models import Enrolment, Sharing
from tests.browser.conftest import assert_accessible, signed_in_context, submit, watch_csp
from tests.factories import (
    AlignmentFactory,
    CompetencyFactory,
    EnrolmentFactory,
    EscoSkillFactory,
    UserFactory,
    assessable_enrolment,
    confirm_mapping,
    learner_user,
    levels_for,
    record_pass,
)
from tests.guidance.dataset import known_learner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = pytest.mark.parametrize("width", [1280, 390])


@pytest.fixture
def learner(registrar):
    """Two credentials (one expiring, its program matched to an ESCO skill) and a failed result."""
    keys.generate_key()
    first = assessable_enrolment(program__validity_months=24, program__title="Analysing Data")
    learner = learner_user(first.learner)
    competency = CompetencyFactory(name="Data analysis")
    AlignmentFactory(program=first.program, competency=competency)
    confirm_mapping(competency, EscoSkillFactory(name="analyse data"))
    record_pass(first, registrar)
    record_pass(assessable_enrolment(learner=learner, program__title="Reporting Data"), registrar)
    Award.objects.update(sharing=Sharing.LINK)
    failed = assessable_enrolment(learner=learner, program__title="Modelling Data")
    assessor = UserFactory(username="assessor-b", first_name="Grace", last_name="Hopper")
    failed_attempt = learner_services.attempt_record(
        enrolment=failed,
        assessor=assessor,
        levels=levels_for(failed.program, Analysis=1, Communication=0),
        assessed_on=datetime.date(2026, 11, 20),
        recorded_by=registrar,
        finalise=True,
        feedback="Justify the model you chose.",
    )
    return SimpleNamespace(user=learner.user, failed_attempt=failed_attempt)


def _open(browser, live_server, user, width, **options):
    context = signed_in_context(browser, live_server, user, viewport={"width": width, "height": 900}, **options)
    page = context.new_page()
    return context, page, watch_csp(page)


def _fits_the_width(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@WIDTHS
def test_a_failed_result_explains_the_scale_the_levels_and_what_to_do_next(browser, live_server, learner, width):
    context, page, violations = _open(browser, live_server, learner.user, width)
    page.goto(f"/me/attempts/{learner.failed_attempt.pk}/")
    summary = page.locator(".result-summary")
    expect(summary).to_contain_text("1 of 6 points")  # two criteria of weight 1, levels worth 0 to 3
    expect(summary).to_contain_text("pass mark: 3 points")
    expect(summary).to_contain_text("by Grace Hopper.")
    analysis = page.locator("article.criterion-result", has_text="Analysis")
    expect(analysis).to_contain_text("weight 1")
    expect(analysis).to_contain_text("Level reached: L1 — 1 of 3 points.")
    analysis.get_by_text("All levels of “Analysis”").click()
    expect(analysis.locator("dl.levels dt")).to_have_count(4)
    next_steps = page.locator("#next-steps")
    expect(next_steps).to_contain_text("below the pass mark of 3")
    expect(next_steps).to_contain_text("You can be assessed again")
    email = learner.failed_attempt.enrolment.program.institution.email
    expect(next_steps.get_by_role("link", name=email)).to_be_visible()
    assert _fits_the_width(page)
    assert_accessible(page, f"result-failed-{width}")
    context.close()
    assert not violations, violations


@WIDTHS
def test_my_credentials_in_plain_words_with_a_link_to_copy(browser, live_server, learner, width):
    context, page, violations = _open(browser, live_server, learner.user, width)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto("/me/credentials/")
    expiring = Award.objects.get(program__title="Analysing Data")
    card = page.locator(f"#credential-{expiring.pk}")
    expect(card.get_by_role("link", name="Download the credential file (Open Badges 3.0)")).to_be_visible()
    expect(card.get_by_role("button", name="Add to a wallet app")).to_be_visible()
    expect(card.locator(".credential-dates")).to_contain_text(str(expiring.valid_until.year))
    other = page.locator("article.credential", has_text="Reporting Data")
    expect(other.locator(".credential-dates")).to_contain_text("Does not expire")

    card.get_by_role("button", name="Copy link").click()
    expect(card.get_by_role("button", name="Link copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == card.get_by_label("Public link").input_value()

    boxes = [card.bounding_box() for card in page.locator("article.credential").all()]
    assert len(boxes) == 2
    upper, lower = sorted(boxes, key=lambda box: box["y"])
    assert lower["y"] - (upper["y"] + upper["height"]) >= 12  # a visible gap between the cards
    assert _fits_the_width(page)
    assert_accessible(page, f"my-credentials-{width}")
    context.close()
    assert not violations, violations


@WIDTHS
def test_the_public_page_folds_the_issuer_did_into_technical_details(browser, live_server, learner, width):
    award = Award.objects.get(program__title="Analysing Data")
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 900})
    page = context.new_page()
    violations = watch_csp(page)
    page.goto(award.get_absolute_url())
    expect(page.locator(".verdict")).to_contain_text("Valid")
    assert "did:" not in page.locator(".verdict").inner_text()
    details = page.locator("details.technical-details")
    expect(details.get_by_text("did:web:", exact=False).first).not_to_be_visible()  # folded until asked for
    details.get_by_text("Technical details").click()
    expect(details.get_by_text("did:web:", exact=False).first).to_be_visible()
    skills = page.locator("ul.skills > li")
    expect(skills).to_have_count(1)
    expect(skills.first).to_contain_text("Data analysis")
    expect(skills.first).to_contain_text("analyse data")
    assert _fits_the_width(page)
    assert_accessible(page, f"public-credential-{width}")
    context.close()
    assert not violations, violations


@WIDTHS
def test_goals_say_why_skills_matter_link_programs_and_ask_before_removing(browser, live_server, registrar, width):
    known = known_learner(registrar)
    learner_user(known.learner)
    EnrolmentFactory(learner=known.learner, program=known.programs["VIZ"], status=Enrolment.Status.IN_PROGRESS)
    context, page, violations = _open(browser, live_server, known.learner.user, width)
    page.goto("/me/goals/")
    gaps = page.get_by_role("table", name="Skill gaps for data analyst, most important first")
    expect(gaps).to_contain_text("Essential for this occupation.")
    assert "%" not in gaps.inner_text()
    expect(gaps.get_by_role("link", name="Communicating Data").first).to_have_attribute(
        "href", known.programs["COMMS"].get_absolute_url()
    )
    expect(gaps.locator("li", has_text="Visualising Data").first).to_contain_text("you are enrolled")
    assert _fits_the_width(page)
    assert_accessible(page, f"goals-{width}")

    page.get_by_role("link", name="Remove this goal").click()
    dialog = page.get_by_role("dialog", name="Remove the goal “data analyst”?")
    expect(dialog).to_be_visible()
    assert_accessible(page, f"goals-remove-dialog-{width}")
    dialog.get_by_role("button", name="Keep it").click()
    expect(dialog).to_be_hidden()
    assert known.learner.career_goals.exists()
    page.get_by_role("link", name="Remove this goal").click()
    submit(page, dialog.get_by_role("button", name="Yes, remove it"))
    expect(page.locator(".messages")).to_contain_text("Goal removed.")
    assert not known.learner.career_goals.exists()
    context.close()
    assert not violations, violations
