"""Migration 0013 brings existing pathways into the lifecycle without leaving public what the new rule forbids."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("catalog", "0012_program_approved_substance")]
AFTER = [("catalog", "0013_pathway_lifecycle_and_program_decisions")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_published_pathways_stay_published_only_if_their_award_and_components_are():
    apps = _migrate(BEFORE)
    Institution, Program = apps.get_model("catalog", "Institution"), apps.get_model("catalog", "Program")
    Pathway, PathwayRule = apps.get_model("catalog", "Pathway"), apps.get_model("catalog", "PathwayRule")
    school = Institution.objects.create(name="Northfield", slug="northfield")
    subject = apps.get_model("catalog", "SubjectArea").objects.create(name="Data", slug="data")

    def program(code, status):
        fields = {"code": code, "slug": code.lower(), "title": code, "status": status, "effort_hours": 10}
        return Program.objects.create(institution=school, subject=subject, **fields)

    component = program("DATA-101", "published")
    sound = Pathway.objects.create(
        institution=school, name="Sound", slug="sound", award=program("CERT-1", "published"), is_published=True
    )
    PathwayRule.objects.create(pathway=sound, label="Core").programs.add(component)
    draft_award = Pathway.objects.create(
        institution=school, name="Draft award", slug="draft-award", award=program("CERT-2", "draft"), is_published=True
    )
    PathwayRule.objects.create(pathway=draft_award, label="Core").programs.add(component)
    try:
        apps = _migrate(AFTER)
        Pathway = apps.get_model("catalog", "Pathway")
        sound, draft_award = Pathway.objects.get(slug="sound"), Pathway.objects.get(slug="draft-award")
        assert (sound.status, sound.is_published, len(sound.approved_digest)) == ("published", True, 64)
        assert sound.approved_substance["rules"][0]["programs"] == ["DATA-101"]
        assert (draft_award.status, draft_award.is_published) == ("draft", False)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
