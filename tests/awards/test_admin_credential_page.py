"""The credential's page in the admin: a readable summary with buttons for what the registrar may do now, the
signed JSON folded away, and issuing that says what came of it."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import services
from awards.models import Award, IssuanceBatch, Notice
from tests.factories import UserFactory, completed_cohort

pytestmark = pytest.mark.django_db


def _page(client, award):
    return client.get(reverse("admin:awards_award_change", args=[award.pk])).content.decode()


def _messages(response):
    return [str(message) for message in response.context["messages"]]


def test_the_page_summarises_learner_program_standing_verdict_and_certificate(registrar_client, award):
    page = _page(registrar_client, award)
    assert reverse("admin:learners_learner_change", args=[award.learner_id]) in page
    assert reverse("admin:catalog_program_change", args=[award.program_id]) in page
    assert award.learner.legal_name in page and f"{award.program.code} v{award.program.version}" in page
    assert 'id="credential-verdict"><strong class="verdict-valid">Valid</strong>' in page
    assert 'id="credential-certificate">Ready<' in page
    assert f'<a href="{award.get_absolute_url()}">' in page


def test_the_signed_json_sits_indented_and_escaped_in_a_collapsed_section(registrar_client, award):
    page = _page(registrar_client, award)
    folded = page[page.index('<details id="signed-credential"') :]
    assert "<details" in folded and " open" not in folded[: folded.index(">")]
    assert "\n  &quot;@context&quot;: [" in folded  # indented, and quotes escaped


def test_a_revoked_credential_shows_who_revoked_it_why_and_the_verifiers_verdict(registrar_client, registrar, award):
    services.award_revoke(award=award, user=registrar, reason="Plagiarism confirmed", public_reason="Issued in error.")
    page = _page(registrar_client, award)
    assert "Plagiarism confirmed" in page and "Issued in error." in page
    assert 'class="verdict-invalid">Revoked</strong>' in page


def test_the_registrar_sees_the_buttons_for_a_valid_credential(registrar_client, award):
    page = _page(registrar_client, award)
    for label in (
        "Revoke…", "Suspend…", "Re-send the learner&#x27;s notice", "Re-issue after a correction…",
        "Download PDF certificate", "Download signed credential (JSON)", "Open public page",
    ):  # fmt: skip
        assert label in page, label
    assert "Reinstate…" not in page and "Issue again" not in page


def test_a_suspended_credential_offers_reinstatement_instead_of_suspension(registrar_client, registrar, award):
    services.award_suspend(award=award, user=registrar, reason="Under investigation")
    page = _page(registrar_client, award)
    assert "Reinstate…" in page and "Suspend…" not in page


def test_staff_who_may_only_view_see_no_action_buttons(client, award):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_award"))
    client.force_login(viewer)
    page = _page(client, award)
    assert "Open public page" in page
    assert "Revoke…" not in page and "Re-issue" not in page and "Download PDF certificate" not in page


def test_the_page_takes_the_same_number_of_queries_for_a_stacked_award(
    registrar_client, award, django_assert_num_queries
):
    url = reverse("admin:awards_award_change", args=[award.pk])
    registrar_client.get(url)  # warm the caches (the status lists, the signing key)
    with CaptureQueriesContext(connection) as plain:
        registrar_client.get(url)
    stacked = Award.objects.create(learner=award.learner, program=award.program, status="issued", renews=award,
                                   status_list_index=5, credential=award.credential, signing_key=award.signing_key,
                                   certificate=award.certificate.name)  # fmt: skip
    stacked.components.add(award)
    with django_assert_num_queries(len(plain)):
        registrar_client.get(reverse("admin:awards_award_change", args=[stacked.pk]))


def test_revoking_from_the_page_asks_the_reason_then_returns_to_the_page(registrar_client, award):
    url = reverse("admin:awards_award_revoke", args=[award.pk])
    assert "Internal reason" in registrar_client.get(url).content.decode()
    response = registrar_client.post(url, {"apply": "1", "reason": "Plagiarism confirmed", "public_reason": ""})
    assert response.status_code == 302 and response["Location"] == reverse("admin:awards_award_change", args=[award.pk])
    award.refresh_from_db()
    assert award.is_revoked and award.revocation_reason == "Plagiarism confirmed"


def test_resending_the_notice_queues_its_email_again_and_is_logged(
    registrar_client, registrar, award, django_capture_on_commit_callbacks
):
    notice = Notice.objects.get(award=award)
    with django_capture_on_commit_callbacks(execute=True):
        response = registrar_client.post(reverse("admin:awards_award_resend_notice", args=[award.pk]), follow=True)
    assert any("Credential issued" in message for message in _messages(response))
    notice.refresh_from_db()
    assert notice.emailed_at is not None  # sent again by the (eager) notifications task
    entry = LogEntry.objects.get(object_id=str(award.pk))
    assert entry.user == registrar and "Re-sent the learner's notice" in entry.get_change_message()


def test_issue_again_from_the_page_says_what_became_of_it(registrar_client, award):
    Award.objects.filter(pk=award.pk).update(status="failed", error="Signing service down")
    response = registrar_client.post(reverse("admin:awards_award_retry", args=[award.pk]), follow=True)
    # The test's transaction defers the worker: the message says it is queued, truthfully.
    assert "0 credentials issued, 0 failed; 1 queued for issuing." in " ".join(_messages(response))


def test_issuing_a_cohort_reports_its_outcome_and_the_batch_page_the_final_counts(
    registrar_client, registrar, signing_key, django_capture_on_commit_callbacks
):
    cohort = completed_cohort(registrar, 3)
    with django_capture_on_commit_callbacks(execute=True):
        response = registrar_client.post(
            reverse("admin:learners_enrolment_changelist"),
            {"action": "issue_credentials", "_selected_action": [enrolment.pk for enrolment in cohort]},
        )
    assert any("3 queued for issuing" in message for message in _messages(registrar_client.get(response["Location"])))
    batch = IssuanceBatch.objects.get()
    page = registrar_client.get(reverse("admin:awards_issuancebatch_progress", args=[batch.pk])).content.decode()
    assert "3 credentials issued, 0 failed." in page
