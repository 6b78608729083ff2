import textwrap

import pytest
from django.core.management import CommandError, call_command

from catalog.models import Competency
from guidance import esco, services
from guidance.esco import EXCERPT
from guidance.models import Occupation, OccupationSkill
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db
DATA_ANALYST = "http://data.europa.eu/esco/occupation/d3edb8f8-3a06-47a0-8fb9-9b212c006aa2"
DATA_ANALYTICS = "http://data.europa.eu/esco/skill/97bd1c21-66b2-4b7e-ad0f-e3cda590e378"


def test_the_shipped_excerpt_loads_every_skill_and_occupation(capsys):
    call_command("import_esco")
    assert "Skills: 1349 added, 0 updated. Occupations: 97 added, 0 updated." in capsys.readouterr().out
    assert Competency.objects.filter(framework__name="ESCO", framework__version="1.2.0").count() == 1349
    skill = Competency.objects.get(target_url=DATA_ANALYTICS)
    assert (skill.name, skill.code) == ("data analytics", "97bd1c21-66b2-4b7e-ad0f-e3cda590e378")
    assert skill.description.startswith("The science of analysing and making decisions based on raw data")
    occupation = Occupation.objects.get(uri=DATA_ANALYST)
    assert occupation.label == "data analyst"
    assert occupation.description.startswith("Data analysts import, inspect, clean")


def test_importing_again_changes_nothing(capsys):
    call_command("import_esco")
    call_command("import_esco")
    assert "Skills: 0 added, 0 updated. Occupations: 0 added, 0 updated." in capsys.readouterr().out
    assert Occupation.objects.count() == 97


def _write(path, text):
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


@pytest.fixture
def official(tmp_path):
    skills = _write(
        tmp_path / "skills_en.csv",
        """\
        conceptType,conceptUri,skillType,preferredLabel,altLabels,description
        KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/s-sql,skill/competence,use SQL,"write SQL
        query databases",Write queries.
        KnowledgeSkillCompetence,http://data.europa.eu/esco/skill/s-stats,knowledge,statistics,,The study of data.
        """,
    )
    occupations = _write(
        tmp_path / "occupations_en.csv",
        """\
        conceptType,conceptUri,iscoGroup,preferredLabel,altLabels,description
        Occupation,http://data.europa.eu/esco/occupation/o-analyst,2511,data analyst,data specialist,Analyses data.
        """,
    )
    relations = _write(
        tmp_path / "occupationSkillRelations_en.csv",
        """\
        occupationUri,relationType,skillType,skillUri
        http://data.europa.eu/esco/occupation/o-analyst,essential,skill/competence,http://data.europa.eu/esco/skill/s-sql
        http://data.europa.eu/esco/occupation/o-analyst,optional,knowledge,http://data.europa.eu/esco/skill/s-stats
        http://data.europa.eu/esco/occupation/o-analyst,essential,knowledge,http://data.europa.eu/esco/skill/unknown
        """,
    )
    return skills, occupations, relations


def test_the_official_layout_keeps_exact_labels_and_alternative_labels(official):
    skills, occupations, relations = official
    report = services.import_esco(skills=skills, occupations=occupations, relations=relations, version="1.2.0")
    assert (report.skills_added, report.occupations_added, report.relations) == (2, 1, 2)  # unknown skill left out
    sql = Competency.objects.get(target_url="http://data.europa.eu/esco/skill/s-sql")
    assert (sql.name, sql.alt_labels, sql.description) == ("use SQL", "write SQL\nquery databases", "Write queries.")
    relations = OccupationSkill.objects.order_by("skill__name").values_list("skill__name", "relation")
    assert list(relations) == [("statistics", "optional"), ("use SQL", "essential")]


def test_a_goal_on_an_occupation_with_relations_takes_its_essential_and_optional_skills(official):
    skills, occupations, relations = official
    services.import_esco(skills=skills, occupations=occupations, relations=relations, version="1.2.0")
    goal = services.add_occupation_goal(learner=LearnerFactory(), occupation=Occupation.objects.get())
    profile = goal.skills.order_by("-importance").values_list("skill__name", "importance", "source")
    assert list(profile) == [("use SQL", 1.0, "essential"), ("statistics", 0.5, "optional")]


def test_a_file_in_neither_layout_is_refused_before_anything_is_written(tmp_path):
    wrong = _write(tmp_path / "skills.csv", "name,text\nsql,Write queries.\n")
    with pytest.raises(CommandError, match=r"expected ESCO columns .* found name, text"):
        call_command("import_esco", "--skills", str(wrong), "--occupations", str(EXCERPT / "occupations.csv"))
    assert not Competency.objects.filter(framework__name="ESCO").exists()
    assert not Occupation.objects.exists()


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        call_command("import_esco", "--skills", str(tmp_path / "nope.csv"))


@pytest.mark.parametrize(
    ("text", "label", "description"),
    [
        (
            "manage musical staff manage staff of music direct musical staff Assign and manage staff tasks.",
            "manage musical staff",
            "Assign and manage staff tasks.",
        ),
        (
            "identify statistical patterns determine statistical patterns Analyse statistical data in order to find "
            "patterns.",
            "identify statistical patterns",
            "Analyse statistical data in order to find patterns.",
        ),
        (
            "evaluate schools of fish evaluating schools of fish Assess fish.",
            "evaluate schools of fish",
            "Assess fish.",
        ),
        ("data analytics The science of analysing raw data.", "data analytics", "The science of analysing raw data."),
    ],
)
def test_the_preferred_label_is_read_back_from_joined_text(text, label, description):
    concept = esco._from_joined_text("http://data.europa.eu/esco/skill/x", text, "skill")
    assert (concept.label, concept.description) == (label, description)


def test_an_occupation_label_is_read_from_its_plural_in_the_description():
    text = "data analyst data warehousing analyst business data analyst Data analysts import and inspect data."
    concept = esco._from_joined_text("http://data.europa.eu/esco/occupation/x", text, "occupation")
    assert (concept.label, concept.alt_labels) == ("data analyst", "data warehousing analyst business data analyst")
