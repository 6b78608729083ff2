import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from catalog.models import Competency, Pathway, PathwayRule, Program, Rubric, SkillFramework, SubjectArea
from learners.models import AssessmentAttempt, Enrolment, Learner
from learners.selectors import learner_progress

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Program,
            Competency,
            SkillFramework,
            SubjectArea,
            Pathway,
            PathwayRule,
            Rubric,
            Learner,
            Enrolment,
            AssessmentAttempt,
        )
    } | {"users": get_user_model().objects.count()}


def test_demo_data_command_is_idempotent(settings):
    settings.DEBUG = True
    call_command("load_demo_data")
    first = _counts()
    call_command("load_demo_data")
    assert _counts() == first


def test_demo_catalog_is_rich_enough(settings):
    settings.DEBUG = True
    call_command("load_demo_data")
    microcredentials = Program.objects.published().filter(awarded_by_pathway__isnull=True)
    assert microcredentials.count() >= 10
    assert SubjectArea.objects.filter(programs__in=microcredentials).distinct().count() >= 3
    assert Competency.objects.count() >= 30
    assert SkillFramework.objects.filter(competencies__isnull=False).distinct().count() >= 2
    assert not Program.objects.filter(awarded_by_pathway__isnull=True, rubric__isnull=True).exists()
    assert Pathway.objects.published().count() >= 3
    assert PathwayRule.objects.filter(kind="n_of").exists()
    award_codes = set(Pathway.objects.values_list("award__code", flat=True))
    assert PathwayRule.objects.filter(programs__code__in=award_codes).exists(), "one pathway nests another"


def test_demo_logins_work(settings, client):
    settings.DEBUG = True
    call_command("load_demo_data")
    assert client.login(username="registrar", password="registrar-demo")
    assert client.get("/admin/catalog/program/").status_code == 200


def test_demo_data_refuses_to_run_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing"):
        call_command("load_demo_data")


def test_demo_learners_have_results_at_every_stage(settings):
    settings.DEBUG = True
    call_command("load_demo_data")
    statuses = set(Enrolment.objects.values_list("status", flat=True))
    assert {"completed", "in_progress", "failed"} <= statuses
    assert AssessmentAttempt.objects.filter(status="draft").exists()
    assert AssessmentAttempt.objects.filter(status="superseded").exists()
    demo_learner = Learner.objects.get(user__username="learner")
    progress = {evaluation.pathway.award.code: evaluation for evaluation in learner_progress(demo_learner)}
    data_analytics = progress["CERT-DA"]
    assert not data_analytics.satisfied
    assert [rule.satisfied for rule in data_analytics.rules] == [True, False]
    assert data_analytics.rules[1].rule.required_count == 1 and not data_analytics.rules[1].done, "one elective short"


def test_demo_partner_can_find_discoverable_learners(settings, django_capture_on_commit_callbacks, capsys):
    from partners.models import PartnerAPIKey
    from partners.selectors import talent_search

    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data")
    assert "Authorization: Api-Key " in capsys.readouterr().out
    assert PartnerAPIKey.objects.get().scope_set == {"catalog", "verify", "talent"}
    assert talent_search().count() >= 3


def test_the_demo_has_outcomes_to_show_and_a_partner_member(settings, client):
    from quality.selectors import Scope, outcomes_dashboard

    settings.DEBUG = True
    call_command("load_demo_data")
    dashboard = outcomes_dashboard(Scope())
    assert any(row.relevance is not None for row in dashboard.programs)  # enough answers to pass the threshold
    assert "DATA-101" in {row.program.code for row in dashboard.due_for_review}
    assert client.login(username="learner", password="learner-demo")
    assert "Your feedback is wanted" in client.get("/me/").content.decode()  # the demo learner can try a survey
    assert client.login(username="hiring", password="employer-demo")
    assert client.get("/partner/feedback/").content.decode().count(">Rate</a>") == 3


def test_the_demo_learner_has_a_goal_with_gaps_and_recommendations(settings, client):
    from catalog.models import CompetencyMapping

    settings.DEBUG = True
    call_command("load_demo_data")
    assert CompetencyMapping.objects.filter(status="confirmed").count() >= 20
    assert CompetencyMapping.objects.filter(status="suggested").exists()  # left for the registrar to review
    assert client.login(username="learner", password="learner-demo")
    guidance = client.get("/api/v1/me/guidance").json()
    assert [goal["title"] for goal in guidance["goals"]] == ["data analyst"]
    assert guidance["goals"][0]["gaps"] and guidance["programs"]
    assert all(program["reasons"] for program in guidance["programs"])
    page = client.get("/me/goals/").content.decode()
    assert "Skill gaps for data analyst" in page and "Recommended next" in page
    pages = [client.get(p.get_absolute_url()).content.decode() for p in Program.objects.published()[:5]]
    assert any("Learners with your goal also took" in page for page in pages)  # twelve graduates share the goal


def test_the_demo_has_signed_endorsements_on_its_program_pages(settings, client):
    from awards.models import Endorsement

    settings.DEBUG = True
    call_command("load_demo_data")
    call_command("load_demo_data")  # again: nothing is signed twice
    assert Endorsement.objects.exclude(credential="").count() == 2
    program = Program.objects.published().get(code="DATA-101")
    page = client.get(program.get_absolute_url()).content.decode()
    assert "Northbridge Data Employers Forum" in page and "5 ECTS toward BSc Business Analytics" in page


def test_the_summary_file_keeps_the_logins_and_the_api_key_made_on_the_first_load(settings, tmp_path):
    settings.DEBUG = True
    summary = tmp_path / "var" / "demo-logins.txt"
    call_command("load_demo_data", summary_file=summary)
    first = summary.read_text()
    assert "  Learner            learner@demo.northbridge.example.edu / learner-demo\n" in first
    assert "Authorization: Api-Key " in first
    assert summary.stat().st_mode & 0o777 == 0o600
    call_command("load_demo_data", summary_file=summary)  # makes no new key, so the first one's line stays
    assert summary.read_text() == first
