"""The indexes behind the catalog's lists, filters and skill search exist on both databases (their effect is
measured at 100 to 10,000 programs by ``bench/web_load.py``)."""

import pytest
from django.db import connection

from catalog.models import Competency, Program
from tests.factories import SkillFrameworkFactory

pytestmark = pytest.mark.django_db


def _indexes(table):
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


@pytest.mark.parametrize(
    "name, columns",
    [
        ("program_catalog_by_title", ["status", "title"]),
        ("program_catalog_by_update", ["status", "updated_at"]),
        ("program_catalog_by_level", ["status", "level", "title"]),
    ],
)
def test_the_catalog_lists_have_their_indexes(name, columns):
    assert _indexes("catalog_program")[name]["columns"] == columns


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only")
def test_skill_search_has_a_trigram_index_the_planner_can_use():
    from catalog.filters import ProgramFilter

    assert _indexes("catalog_competency")["competency_name_trgm"]["type"] == "gin"
    framework = SkillFrameworkFactory()
    Competency.objects.bulk_create(
        Competency(framework=framework, code=f"S{n}", name=f"skill {n} of work {n % 97}") for n in range(3000)
    )
    # The catalog search matches competency names with exactly this condition (UPPER(name) LIKE '%…%')...
    search = str(ProgramFilter({"q": "statistics"}, queryset=Program.objects.all()).qs.query)
    assert 'UPPER(U1."name"::text) LIKE UPPER(%statistics%)' in search
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE catalog_competency")
        # ...and with sequential and plain index scans off, only an index on the condition itself can answer it.
        # (Which table a whole search plan starts from depends on statistics other tests leave behind.)
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = Competency.objects.filter(name__icontains="statistics").explain()
    assert "competency_name_trgm" in plan


def test_the_work_queue_sweep_has_its_index():
    assert _indexes("awards_award")["award_work_queue"]["columns"] == ["status", "last_dispatched_at"]
