"""Staff sign in through allauth (rate-limited) and each role sees only what it is for."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from awards.models import Award
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_with_verified_email(registrar):
    EmailAddress.objects.create(user=registrar, email=registrar.email, verified=True, primary=True)
    return registrar


def _login(client, email, password, next_url="/admin/"):
    return client.post(f"/accounts/login/?next={next_url}", {"login": email, "password": password})


def test_the_admin_login_page_sends_staff_to_the_rate_limited_sign_in(client):
    response = client.get("/admin/login/?next=/admin/awards/award/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=%2Fadmin%2Fawards%2Faward%2F")


def test_posting_credentials_to_the_admin_login_signs_nobody_in(client, staff_with_verified_email):
    client.post("/admin/login/", {"username": "registrar", "password": "correct-horse-battery"})
    assert client.get("/admin/").status_code == 302


def test_staff_sign_in_through_allauth_reaches_the_admin(client, staff_with_verified_email):
    response = _login(client, staff_with_verified_email.email, "correct-horse-battery")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_right_password_is_refused_after_five_wrong_ones(client, staff_with_verified_email):
    for _ in range(5):
        response = _login(client, staff_with_verified_email.email, "wrong-password")
        assert response.status_code == 200
    response = _login(client, staff_with_verified_email.email, "correct-horse-battery")
    assert client.get("/admin/").status_code == 302  # still not signed in
    assert "Too many failed login attempts" in response.content.decode()


def test_the_program_approver_role_holds_catalog_program_review_and_occupation_permissions_only():
    approver_group = Group.objects.get(name="Program approver")
    apps = set(approver_group.permissions.values_list("content_type__app_label", flat=True))
    assert apps == {"catalog", "quality", "guidance"}
    guidance = approver_group.permissions.filter(content_type__app_label="guidance")
    assert list(guidance.values_list("codename", flat=True)) == ["view_occupation"]
    quality = approver_group.permissions.filter(content_type__app_label="quality")
    assert sorted(quality.values_list("codename", flat=True)) == [
        "add_programreview",
        "view_outcomes",
        "view_programreview",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/awards/award/",
        "/admin/learners/learner/",
        "/admin/learners/assessmentattempt/",
        "/admin/learners/enrolment/",
    ],
)
def test_program_approver_cannot_open_learner_or_award_records(client, approver, url):
    client.force_login(approver)
    assert client.get(url).status_code == 403


def test_program_approver_cannot_open_a_private_credential_in_the_admin(client, approver, passed_attempt):
    award = Award.objects.get()
    client.force_login(approver)
    assert client.get(f"/admin/awards/award/{award.pk}/change/").status_code == 403
    assert award.learner.email not in client.get("/admin/").content.decode()


def test_registrar_opens_learner_and_award_records(registrar_client, passed_attempt):
    award = Award.objects.get()
    assert registrar_client.get(f"/admin/awards/award/{award.pk}/change/").status_code == 200
    assert registrar_client.get("/admin/learners/learner/").status_code == 200


def test_a_staff_account_without_a_role_sees_no_records(client, passed_attempt):
    client.force_login(UserFactory(is_staff=True))
    assert client.get("/admin/awards/award/").status_code == 403


def test_migrate_takes_away_permissions_an_app_no_longer_declares():
    from django.apps import apps
    from django.contrib.auth.models import Permission

    from config.roles import sync_app_roles

    approver_group = Group.objects.get(name="Program approver")
    approver_group.permissions.add(Permission.objects.get(codename="view_award"))  # as an older release granted
    sync_app_roles(sender=apps.get_app_config("awards"))
    assert not approver_group.permissions.filter(codename="view_award").exists()
    assert approver_group.permissions.filter(codename="approve_program").exists()  # other apps' untouched


def test_sign_up_is_rate_limited_per_ip(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    statuses = [
        client.post("/accounts/signup/", {"email": f"new{i}@example.org", "password1": "a-Strong-pass-2026",
                                          "password2": "a-Strong-pass-2026"}).status_code
        for i in range(3)
    ]  # fmt: skip
    assert statuses[:2] == [302, 302] and statuses[2] == 429


def test_password_reset_is_rate_limited_per_address(client, staff_with_verified_email):
    for _ in range(5):
        assert client.post("/accounts/password/reset/", {"email": staff_with_verified_email.email}).status_code == 302
    assert client.post("/accounts/password/reset/", {"email": staff_with_verified_email.email}).status_code == 429
