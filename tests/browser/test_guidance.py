"""A learner sets a career goal and reads their skill gaps and recommendations, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, signed_in_context, submit, watch_csp
from tests.factories import EscoSkillFactory, OccupationFactory, confirm_mapping, learner_user
from tests.guidance.dataset import known_learner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_set_an_occupation_goal_and_see_gaps_and_the_next_program(browser, live_server, registrar):
    known = known_learner(registrar)
    chart = EscoSkillFactory(name="present charts", description="Present data visually in charts and graphs.")
    confirm_mapping(known.competencies["viz"], chart)
    OccupationFactory(label="data visualisation specialist", description="Present data in charts and graphs.")
    learner_user(known.learner)
    context = signed_in_context(browser, live_server, known.learner.user, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    violations = watch_csp(page)

    page.goto("/me/")
    expect(page.get_by_role("heading", name="Recommended next")).to_be_visible()
    page.get_by_role("link", name="My goals", exact=True).first.click()
    expect(page.get_by_role("table", name="Skill gaps for data analyst, most important first")).to_be_visible()
    assert_accessible(page, "goals")

    page.get_by_label("Find an occupation").fill("visualisation specialist")
    submit(page, page.get_by_role("button", name="Search occupations"))
    submit(page, page.get_by_role("button", name="Set data visualisation specialist as a goal"))
    expect(page.locator(".messages")).to_contain_text("“data visualisation specialist” added to your goals.")
    gaps = page.get_by_role("table", name="Skill gaps for data visualisation specialist, most important first")
    expect(gaps.get_by_role("rowheader", name="present charts")).to_be_visible()
    recommendation = page.locator("article.recommendation", has_text="Visualising Data")
    expect(recommendation).to_contain_text("gaps for data visualisation specialist")
    assert_accessible(page, "goals-two")
    context.close()
    assert not violations, violations
