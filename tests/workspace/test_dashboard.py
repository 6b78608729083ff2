"""The admin's front page is the registrar's dashboard: what needs doing (each count opening the admin list of
exactly those), recent activity and batches, and the admin's models grouped by task."""

import itertools
from datetime import timedelta

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awards.models import Award, ForeignCredential, IssuanceBatch
from catalog.models import Program
from quality.models import ProgramReview
from tests.factories import (
    EnrolmentFactory,
    LearnerFactory,
    ProgramFactory,
    UserFactory,
    assessable_enrolment,
    record_pass,
)
from workspace import dashboard

pytestmark = pytest.mark.django_db
_indexes = itertools.count(1000)


def _award(status=Award.Status.ISSUED, **fields):
    enrolment = EnrolmentFactory()
    return Award.objects.create(
        learner=enrolment.learner,
        program=enrolment.program,
        enrolment=enrolment,
        status=status,
        status_list_index=next(_indexes),
        issued_at=timezone.now() if status == Award.Status.ISSUED else None,
        **fields,
    )


def _tasks(user):
    return {task.label: task for task in dashboard.registrar_dashboard(user).tasks}


def _registry_with_work(registrar):
    ProgramFactory(status=Program.Status.DRAFT, created_by=registrar)
    ProgramFactory(status=Program.Status.DRAFT)  # someone else's draft
    ProgramFactory(status=Program.Status.IN_REVIEW)
    record_pass(assessable_enrolment(), registrar, finalise=False)
    _award(Award.Status.PENDING)
    _award(Award.Status.FAILED)
    _award(certificate_error="WeasyPrint ran out of memory")
    _award(valid_until=timezone.now() + timedelta(days=20))
    _award(valid_until=timezone.now() + timedelta(days=50))
    _award(valid_until=timezone.now() + timedelta(days=50), revoked_at=timezone.now())  # revoked: not expiring
    ForeignCredential.objects.create(
        learner=LearnerFactory(), document="{}", issuer_id="did:web:other.example", issuer_name="Other",
        achievement_name="Teamwork",
    )  # fmt: skip


def test_registrar_sees_how_much_of_each_task_waits(registrar):
    _registry_with_work(registrar)

    counts = {label: task.count for label, task in _tasks(registrar).items()}

    assert counts["Your programs in draft"] == 1
    assert counts["Assessment attempts to finalise"] == 1
    assert counts["Credentials waiting to be issued"] == 1
    assert counts["Credentials that failed to issue"] == 1
    assert counts["Certificates that failed to render"] == 1
    assert counts["Credentials expiring within 30 days"] == 1
    assert counts["Credentials expiring within 60 days"] == 2
    assert counts["Credentials from other issuers awaiting recognition"] == 1


@pytest.mark.parametrize("role", ["registrar", "approver"])
def test_each_count_opens_the_admin_list_of_exactly_those(role, registrar, approver, client):
    _registry_with_work(registrar)
    user = {"registrar": registrar, "approver": approver}[role]
    client.force_login(user)

    for task in _tasks(user).values():
        if "/admin/" not in task.url:
            continue  # the quality dashboard's list of reviews due is its own page
        response = client.get(task.url)
        assert response.status_code == 200, task
        assert response.context["cl"].result_count == task.count, task


def test_approvals_waiting_are_shown_to_approvers_only(registrar, approver):
    ProgramFactory(status=Program.Status.IN_REVIEW)

    assert _tasks(approver)["Programs awaiting approval"].count == 1
    assert "Programs awaiting approval" not in _tasks(registrar)


def test_a_count_is_shown_only_to_who_may_view_its_model(db):
    catalog_only = UserFactory(username="catalog-viewer", is_staff=True)
    catalog_only.user_permissions.set(Permission.objects.filter(codename="view_program"))
    _award(Award.Status.FAILED)

    labels = set(_tasks(catalog_only))

    assert labels == {"Your programs in draft"}


def test_programs_due_for_review_follow_the_quality_dashboards_rule(registrar, approver):
    now = timezone.now()
    ProgramFactory(status=Program.Status.PUBLISHED, published_at=now - timedelta(days=400))  # interval passed
    ProgramFactory(status=Program.Status.PUBLISHED, published_at=now - timedelta(days=10))  # recently published
    reviewed = ProgramFactory(status=Program.Status.PUBLISHED, published_at=now - timedelta(days=400))
    ProgramReview.objects.create(
        program=reviewed, outcome="continue", rationale="Fine.", reviewed_by=approver,
        next_review_on=timezone.localdate() + timedelta(days=200),
    )  # fmt: skip

    assert _tasks(registrar)["Programs due for review"].count == 1


def test_recent_activity_lists_changes_to_models_the_user_may_view(registrar, approver):
    program = ProgramFactory()
    LogEntry.objects.log_actions(user_id=approver.pk, queryset=[program], action_flag=CHANGE, change_message="")
    LogEntry.objects.log_actions(user_id=approver.pk, queryset=[approver], action_flag=CHANGE, change_message="")

    activity = dashboard.registrar_dashboard(registrar).activity

    assert [entry.content_type for entry in activity] == [ContentType.objects.get_for_model(Program)]


def test_recent_batches_show_their_counts(registrar):
    batch = IssuanceBatch.objects.create(label="Autumn cohort", created_by=registrar)
    _award(batch=batch)
    _award(Award.Status.FAILED, batch=batch)

    [shown] = dashboard.registrar_dashboard(registrar).batches

    assert (shown, shown.issued, shown.failed, shown.pending) == (batch, 1, 1, 0)


def test_front_page_shows_the_dashboard(registrar_client):
    page = registrar_client.get("/admin/").content.decode()

    assert "What needs doing" in page and "Recent activity" in page
    assert "/quality/" in page  # the outcomes dashboard, in the Quality group
    assert "Import assessment results" in page


def test_navigation_groups_the_admin_by_task(rf, registrar):
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = registrar
    groups = dashboard.navigation(admin.site.get_app_list(request))
    names = {group.name: [entry["object_name"] for entry in group.models] for group in groups}

    assert names["Catalog"][:4] == ["Program", "ProgramDecision", "Rubric", "Pathway"]
    assert names["Learners & results"] == ["Learner", "Enrolment", "AssessmentAttempt"]
    assert "Award" in names["Credentials"] and "SigningKey" not in names["Credentials"]
    assert "User" not in names.get("Settings", [])  # the registrar may not manage accounts


def test_front_page_costs_the_same_queries_however_much_waits(registrar_client, registrar, django_assert_num_queries):
    with CaptureQueriesContext(connection) as empty:
        assert registrar_client.get("/admin/").status_code == 200
    _registry_with_work(registrar)
    _registry_with_work(registrar)
    IssuanceBatch.objects.create(label="Autumn cohort", created_by=registrar)

    with django_assert_num_queries(len(empty)):
        registrar_client.get("/admin/")
