"""The learner's goals page, the JSON endpoint, and "learners with your goal also took" on program pages."""

import pytest
from django.urls import reverse

from guidance.models import CareerGoal, GoalSkill
from learners.models import Enrolment
from tests.factories import (
    EnrolmentFactory,
    EscoSkillFactory,
    LearnerFactory,
    OccupationFactory,
    goal_with_skills,
    learner_user,
    published_program,
)

pytestmark = pytest.mark.django_db
POSTING = (
    "Junior data analyst wanted. You will prepare visual data, build dashboards with data visualisation software "
    "and present charts to managers."
)


@pytest.fixture
def signed_in(client, known):
    learner_user(known.learner)
    client.force_login(known.learner.user)
    return client


def test_the_goals_page_shows_gaps_and_recommendations_with_reasons(signed_in):
    page = signed_in.get(reverse("guidance:goals")).content.decode()
    assert "Skill gaps for data analyst" in page
    assert "Assessed below the passing level: “Communication” reached L1" in page
    assert "Closes 1 of 3 gaps for data analyst: communication." in page
    assert "First complete Preparing Data." in page  # the later list


def test_finding_an_occupation_and_setting_it_as_a_goal(signed_in, known):
    skill = EscoSkillFactory(name="present charts", description="Present data visually in charts.")
    occupation = OccupationFactory(label="data visualisation specialist", description="Present data in charts.")
    page = signed_in.get(reverse("guidance:goals"), {"q": "visualisation specialist"}).content.decode()
    assert "Set data visualisation specialist as a goal" in page
    response = signed_in.post(reverse("guidance:add-occupation"), {"occupation": occupation.pk})
    assert response.status_code == 302
    goal = known.learner.career_goals.get(occupation=occupation)
    assert goal.skills.values_list("skill", "source", "importance")[0] == (skill.pk, "matched", 1.0)  # closest


def test_the_same_occupation_twice_is_refused_with_a_message(signed_in, known):
    response = signed_in.post(reverse("guidance:add-occupation"), {"occupation": known.goal.occupation.pk})
    assert response.status_code == 400
    assert "is already one of your goals" in response.content.decode()


def test_an_unknown_occupation_is_a_clear_error(signed_in, known):
    response = signed_in.post(reverse("guidance:add-occupation"), {"occupation": 999999})
    assert response.status_code == 400 and "No such occupation." in response.content.decode()
    assert known.learner.career_goals.count() == 1


def test_a_pasted_posting_becomes_a_goal_of_the_skills_it_names(signed_in, known):
    wanted = EscoSkillFactory(name="data visualisation software", description="Build dashboards and charts.")
    EscoSkillFactory(name="roast malt", description="Roast malt for brewing beer.")
    response = signed_in.post(reverse("guidance:add-posting"), {"title": "Junior analyst at Acme", "posting": POSTING})
    assert response.status_code == 302
    goal = known.learner.career_goals.get(title="Junior analyst at Acme")
    assert goal.occupation is None and goal.posting == POSTING
    assert wanted.pk in set(goal.skills.values_list("skill", flat=True))
    assert "roast malt" not in set(goal.skills.values_list("skill__name", flat=True))


def test_a_short_posting_gets_a_field_error_and_saves_nothing(signed_in, known):
    response = signed_in.post(reverse("guidance:add-posting"), {"title": "Analyst", "posting": "Data analyst."})
    assert response.status_code == 400
    assert "at least 80 characters" in response.content.decode()
    assert known.learner.career_goals.count() == 1


def test_a_posting_with_no_framework_skills_in_it_saves_nothing(signed_in, known):
    text = "Zebra quokka xylophone " * 10
    response = signed_in.post(reverse("guidance:add-posting"), {"title": "Odd job", "posting": text})
    assert response.status_code == 400
    assert "No skills of the framework could be read from this text." in response.content.decode()
    assert not CareerGoal.objects.filter(title="Odd job").exists()
    assert GoalSkill.objects.filter(goal__title="Odd job").count() == 0


def test_goals_are_limited_per_learner(signed_in, known, settings):
    settings.GUIDANCE_MAX_GOALS = 1
    response = signed_in.post(reverse("guidance:add-occupation"), {"occupation": OccupationFactory().pk})
    assert response.status_code == 400 and "up to 1 goals" in response.content.decode()


def test_a_learner_removes_their_own_goal_but_not_another_s(signed_in, known):
    other = goal_with_skills(LearnerFactory(), [])
    assert signed_in.post(reverse("guidance:remove", args=[other.pk])).status_code == 404
    assert CareerGoal.objects.filter(pk=other.pk).exists()
    assert signed_in.post(reverse("guidance:remove", args=[known.goal.pk])).status_code == 302
    assert not CareerGoal.objects.filter(pk=known.goal.pk).exists()


def test_the_api_returns_the_signed_in_learner_s_own_guidance(signed_in, known):
    body = signed_in.get("/api/v1/me/guidance").json()
    assert [gap["label"] for gap in body["goals"][0]["gaps"]] == ["communication", "visualisation", "law"]
    assert body["programs"][0]["code"] == "COMMS"


def test_the_api_refuses_partner_keys_and_anonymous_callers(client, known):
    assert client.get("/api/v1/me/guidance").status_code == 403
    assert client.get("/api/v1/me/guidance", HTTP_AUTHORIZATION="Api-Key nope.nope").status_code == 403


def test_program_pages_show_what_learners_with_the_same_goal_completed(client, known, settings):
    settings.GUIDANCE_ALSO_TOOK_MIN_LEARNERS = 2
    popular, rare = published_program(title="Popular Next Step"), published_program(title="Rare Choice")
    for taken in ([popular], [popular, rare]):
        peer = LearnerFactory()
        goal_with_skills(peer, [], occupation=known.goal.occupation)
        for program in taken:
            EnrolmentFactory(learner=peer, program=program, status=Enrolment.Status.COMPLETED)
    learner_user(known.learner)
    client.force_login(known.learner.user)
    page = client.get(known.programs["VIZ"].get_absolute_url()).content.decode()
    assert "Learners with your goal also took" in page
    assert "Popular Next Step" in page and "Rare Choice" not in page  # one learner is too few to show


def test_program_pages_show_no_peer_programs_to_visitors(client, known):
    page = client.get(known.programs["VIZ"].get_absolute_url()).content.decode()
    assert "Learners with your goal also took" not in page


def test_a_learner_drops_a_skill_read_into_their_goal_and_the_gap_goes(signed_in, known):
    known.goal.skills.filter(skill=known.skills["law"]).update(source="matched")
    page = signed_in.get(reverse("guidance:goals")).content.decode()
    assert "law is not relevant to data analyst" in page
    url = reverse("guidance:drop-skill", args=[known.goal.pk, known.skills["law"].pk])
    assert signed_in.post(url).status_code == 302
    gaps = signed_in.get("/api/v1/me/guidance").json()["goals"][0]["gaps"]
    assert "law" not in [gap["label"] for gap in gaps]


def test_a_learner_cannot_drop_a_skill_from_another_learner_s_goal(signed_in, known):
    skill = EscoSkillFactory()
    other = goal_with_skills(LearnerFactory(), [(skill, 1.0)])
    assert signed_in.post(reverse("guidance:drop-skill", args=[other.pk, skill.pk])).status_code == 404
    assert other.skills.filter(skill=skill).exists()


def test_gaps_say_why_a_skill_matters_in_words_not_as_a_percentage(signed_in):
    page = signed_in.get(reverse("guidance:goals")).content.decode()
    gaps = page.split('<table class="gaps">', 1)[1].split("</table>", 1)[0]
    assert "Why it matters" in gaps and "Essential for this occupation." in gaps
    assert "Importance" not in gaps and "%" not in gaps


def test_a_skill_several_goals_need_says_so(signed_in, known):
    goal_with_skills(known.learner, [(known.skills["law"], 1.0)], title="paralegal")
    page = signed_in.get(reverse("guidance:goals")).content.decode()
    assert "Essential for 2 of your goals." in page


def test_a_skill_read_from_a_posting_says_how_closely_it_matches(signed_in, known):
    GoalSkill.objects.filter(goal=known.goal, skill=known.skills["law"]).update(source="matched", importance=0.3)
    GoalSkill.objects.filter(goal=known.goal, skill=known.skills["visualisation"]).update(source="matched")
    CareerGoal.objects.filter(pk=known.goal.pk).update(occupation=None, posting="A posting " * 10)
    page = signed_in.get(reverse("guidance:goals")).content.decode()
    assert "Loosely related to the posting." in page  # law, 0.3
    assert "Part of what the posting asks for." in page  # visualisation, 0.6


def test_programs_that_teach_a_gap_are_links_titled_with_their_code_beside(signed_in, known):
    page = signed_in.get(reverse("guidance:goals")).content.decode()
    comms = known.programs["COMMS"]
    assert f'<a href="{comms.get_absolute_url()}">Communicating Data</a> <span class="meta">COMMS</span>' in page


def test_a_program_the_learner_is_enrolled_in_says_so(signed_in, known):
    EnrolmentFactory(learner=known.learner, program=known.programs["VIZ"], status=Enrolment.Status.IN_PROGRESS)
    page = signed_in.get(reverse("guidance:goals")).content.decode()
    viz = page.split("Visualising Data</a>", 1)[1].split("</li>", 1)[0]
    assert "you are enrolled" in viz


def test_removing_a_goal_asks_first(signed_in, known):
    page = signed_in.get(reverse("guidance:goals")).content.decode()
    confirm_url = reverse("guidance:confirm-remove", args=[known.goal.pk])
    assert f'<a href="{confirm_url}" data-dialog="remove-goal-{known.goal.pk}"' in page
    assert f'<dialog id="remove-goal-{known.goal.pk}"' in page
    question = signed_in.get(confirm_url).content.decode()
    assert "Remove the goal “data analyst”?" in question
    assert f'action="{reverse("guidance:remove", args=[known.goal.pk])}"' in question
    assert CareerGoal.objects.filter(pk=known.goal.pk).exists()  # asking removed nothing


def test_the_removal_question_is_only_for_one_s_own_goals(signed_in):
    other = goal_with_skills(LearnerFactory(), [])
    assert signed_in.get(reverse("guidance:confirm-remove", args=[other.pk])).status_code == 404


def test_the_goals_page_reads_in_french(signed_in, known):
    """Passes once the lead's locale/fr carries the proposed translations of these strings."""
    EnrolmentFactory(learner=known.learner, program=known.programs["VIZ"], status=Enrolment.Status.IN_PROGRESS)
    page = signed_in.get(reverse("guidance:goals"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Pourquoi elle compte" in page and "Essentielle pour ce métier." in page
    assert "vous y êtes inscrit·e" in page
