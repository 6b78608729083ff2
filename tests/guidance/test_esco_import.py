import textwrap

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.esco_download import skill_uri, write_esco_download
from catalog.models import Competency
from guidance import services
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


def test_a_file_without_the_esco_columns_is_refused_before_anything_is_written(tmp_path):
    wrong = _write(tmp_path / "skills.csv", "id,description\nsql,use SQL Write queries.\n")
    expected = r"expected the ESCO columns conceptUri, preferredLabel, found description, id"
    with pytest.raises(CommandError, match=expected):
        call_command("import_esco", "--skills", str(wrong), "--occupations", str(EXCERPT / "occupations.csv"))
    assert not Competency.objects.filter(framework__name="ESCO").exists()
    assert not Occupation.objects.exists()


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        call_command("import_esco", "--skills", str(tmp_path / "nope.csv"))


def test_labels_lose_the_stray_spaces_of_the_download(tmp_path):
    skills = _write(
        tmp_path / "skills_en.csv",
        "\ufeffconceptUri,preferredLabel,altLabels,description\n"
        'http://data.europa.eu/esco/skill/s-1,"assess\u00a0candidates","evaluate  candidates\n\n",Assess.\n',
    )
    occupations = _write(tmp_path / "occupations_en.csv", "conceptUri,preferredLabel\n")
    services.import_esco(skills=skills, occupations=occupations, version="1.2.0")
    skill = Competency.objects.get(target_url="http://data.europa.eu/esco/skill/s-1")
    assert (skill.name, skill.alt_labels) == ("assess candidates", "evaluate candidates")


def test_relations_dropped_from_the_file_are_removed_and_changed_ones_updated(official, tmp_path):
    skills, occupations, relations = official
    services.import_esco(skills=skills, occupations=occupations, relations=relations, version="1.2.0")
    changed = _write(
        tmp_path / "changed_relations.csv",
        """\
        occupationUri,relationType,skillType,skillUri
        http://data.europa.eu/esco/occupation/o-analyst,optional,skill/competence,http://data.europa.eu/esco/skill/s-sql
        """,
    )
    services.import_esco(skills=skills, occupations=occupations, relations=changed, version="1.2.0")
    assert list(OccupationSkill.objects.values_list("skill__name", "relation")) == [("use SQL", "optional")]


@pytest.fixture(scope="module")
def full_download(tmp_path_factory):
    """ESCO 1.2.0's size in the official layout: 13,939 skills, 3,039 occupations, 129,004 relations."""
    return write_esco_download(tmp_path_factory.mktemp("esco"))


def _import(download):
    return services.import_esco(
        skills=download.skills, occupations=download.occupations, relations=download.relations, version="1.2.0"
    )


def test_the_full_official_download_loads_in_bulk_and_a_second_import_writes_nothing(full_download):
    """One test, as the full-size import takes most of a minute: loading it in batches, then loading it again."""
    with CaptureQueriesContext(connection) as captured:
        report = _import(full_download)
    assert (report.skills_added, report.occupations_added, report.relations) == (13_939, 3_039, 129_004)
    assert Competency.objects.filter(framework__name="ESCO").count() == 13_939
    assert Occupation.objects.count() == 3_039
    assert OccupationSkill.objects.filter(relation="optional").count() == 43_912
    # Batches of 500–1,000 rows: one query per row would be over 146,000.
    assert len(captured) < 1_000
    assert Competency.objects.get(target_url=skill_uri(50)).name == "tool 50 (computer programming)"
    assert Competency.objects.get(target_url=skill_uri(97)).name == "advise on databases 97"

    relation_ids = set(OccupationSkill.objects.values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as captured:
        report = _import(full_download)
    assert str(report) == ("Skills: 0 added, 0 updated. Occupations: 0 added, 0 updated. Relations: 129004.")
    writes = [q["sql"] for q in captured if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert all("guidance_learnerguidance" in sql for sql in writes)  # only the cached guidance is let go
    assert set(OccupationSkill.objects.values_list("pk", flat=True)) == relation_ids
