"""A large export built by a real Celery worker through a real broker."""

import csv
import io

import pytest

from tests.factories import UserFactory
from tests.integration.conftest import wait_for
from tests.workspace.lists import credential
from workspace import exports
from workspace.models import ExportJob

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_an_export_job_is_built_by_a_worker_and_its_file_lists_the_searched_rows(workers):
    registrar = UserFactory(username="registrar-export", groups=["Registrar"])
    for n in range(3):
        credential(legal_name=f"Chloé Number{n}")
    credential(legal_name="Zoe Martin")
    job = exports.export_job_start(
        user=registrar, list_export=exports.EXPORTS["awards.award"], querystring="q=chloe", file_format="csv"
    )  # committed at once (no transaction): the on-commit hook sends the task to Redis
    assert wait_for(lambda: ExportJob.objects.get(pk=job.pk).is_finished)
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total) == ("done", 3, 3)
    with job.file.open("rb") as exported:
        rows = list(csv.DictReader(io.StringIO(exported.read().decode("utf-8-sig"))))
    assert sorted(row["Learner"] for row in rows) == ["Chloé Number0", "Chloé Number1", "Chloé Number2"]
