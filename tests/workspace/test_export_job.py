"""Large exports run as a task: the registrar follows its progress and downloads the file; nobody else can."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from config import celery_app
from tests.factories import UserFactory
from tests.workspace.lists import credential
from workspace import exports, tasks
from workspace.models import ExportJob

pytestmark = pytest.mark.django_db

AWARDS = "/admin/awards/award/"


@pytest.fixture
def small_inline_limit(settings):
    settings.REGISTRY_EXPORT_INLINE_ROWS = 2


@pytest.fixture
def three_credentials():
    return [credential(legal_name=f"Chloé Number{n}") for n in range(3)] + [credential(legal_name="Zoe Martin")]


def _download(client, job):
    response = client.get(f"/admin/workspace/exportjob/{job.pk}/download/")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_a_list_above_the_limit_is_exported_by_a_task_with_progress_and_a_download(
    registrar_client, small_inline_limit, three_credentials, django_capture_on_commit_callbacks
):
    asked = registrar_client.get(f"{AWARDS}export/csv/", {"q": "chloe"})
    assert "This list has 3 rows" in asked.content.decode() and not ExportJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = registrar_client.post(f"{AWARDS}export/csv/?q=chloe")
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/workspace/exportjob/{job.pk}/progress/"
    assert (job.status, job.rows_done, job.rows_total, job.querystring) == ("done", 3, 3, "q=chloe")
    page = registrar_client.get(response["Location"]).content.decode()
    assert "3 rows exported." in page
    assert f"/admin/workspace/exportjob/{job.pk}/download/" in page
    assert sorted(row["Learner"] for row in _download(registrar_client, job)) == [
        "Chloé Number0",
        "Chloé Number1",
        "Chloé Number2",
    ]


def test_select_all_across_pages_above_the_limit_becomes_a_task_too(
    registrar_client, small_inline_limit, three_credentials, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = registrar_client.post(
            f"{AWARDS}?q=chloe",
            {"action": "export_selected_xlsx", "select_across": "1", "_selected_action": [three_credentials[0].pk]},
        )
    job = ExportJob.objects.get()
    assert response["Location"] == f"/admin/workspace/exportjob/{job.pk}/progress/"
    assert (job.file_format, job.rows_total) == ("xlsx", 3)


def test_rows_ticked_on_a_page_are_exported_at_once_even_above_the_limit(
    registrar_client, small_inline_limit, three_credentials
):
    ticked = [award.pk for award in three_credentials[:3]]
    response = registrar_client.post(AWARDS, {"action": "export_selected_csv", "_selected_action": ticked})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert not ExportJob.objects.exists()


def test_a_queued_job_page_refreshes_and_offers_no_download(registrar, registrar_client):
    job = ExportJob.objects.create(created_by=registrar, list_name="awards.award", file_format="csv")
    page = registrar_client.get(f"/admin/workspace/exportjob/{job.pk}/progress/").content.decode()
    assert 'http-equiv="refresh"' in page
    assert registrar_client.get(f"/admin/workspace/exportjob/{job.pk}/download/").status_code == 404


def _finished_job(registrar):
    credential(legal_name="Chloé Dubois")
    job = ExportJob.objects.create(created_by=registrar, list_name="awards.award", file_format="csv")
    return exports.export_job_run(job.pk)


def test_another_registrar_can_neither_see_nor_download_a_job(registrar, client):
    job = _finished_job(registrar)
    client.force_login(UserFactory(username="other", groups=["Registrar"]))
    assert client.get(f"/admin/workspace/exportjob/{job.pk}/progress/").status_code == 404
    assert client.get(f"/admin/workspace/exportjob/{job.pk}/download/").status_code == 404
    assert job not in client.get("/admin/workspace/exportjob/").context["cl"].result_list


def test_a_superuser_may_download_anyones_job(registrar, admin_client):
    job = _finished_job(registrar)
    assert [row["Learner"] for row in _download(admin_client, job)] == ["Chloé Dubois"]


def test_running_a_finished_job_again_changes_nothing(registrar):
    job = _finished_job(registrar)
    again = exports.export_job_run(job.pk)
    assert (again.file.name, again.finished_at) == (job.file.name, job.finished_at)


def test_a_job_whose_list_cannot_be_rebuilt_records_the_error(registrar):
    job = ExportJob.objects.create(
        created_by=registrar, list_name="awards.award", file_format="csv", querystring="learner__password=x"
    )
    with pytest.raises(Exception):  # noqa: B017, PT011 - the task re-raises whatever stopped it
        tasks.export_list.apply(args=[job.pk]).get()
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error


def test_files_past_their_retention_are_deleted_and_their_jobs_marked_expired(registrar):
    old, recent = _finished_job(registrar), _finished_job(registrar)
    ExportJob.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    old_file = old.file.name
    assert tasks.purge_expired_exports.apply().get() == {"expired": 1}
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, old.file.name) == ("expired", "")
    assert not old.file.storage.exists(old_file)
    assert recent.status == "done"
    assert recent.file.storage.exists(recent.file.name)


def test_export_tasks_run_on_the_maintenance_queue():
    assert celery_app.amqp.router.route({}, "workspace.tasks.export_list")["queue"].name == "maintenance"


def test_exporting_a_list_needs_the_permission_to_view_it_too(client, three_credentials):
    exporter = UserFactory(is_staff=True)
    exporter.user_permissions.add(Permission.objects.get(codename="export_awards"))
    client.force_login(exporter)
    assert client.get(f"{AWARDS}export/csv/").status_code == 403
