import pytest
from django.core import mail

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_password_reset_sends_an_email(client):
    UserFactory(email="reset@example.org")
    response = client.post("/accounts/password/reset/", {"email": "reset@example.org"})
    assert response.status_code == 302
    assert "/accounts/password/reset/key/" in mail.outbox[-1].body


def test_change_email_page_is_available_to_a_logged_in_user(client):
    client.force_login(UserFactory())
    response = client.get("/accounts/email/")
    assert response.status_code == 200 and "Email" in response.content.decode()


def test_login_page_uses_the_site_layout(client):
    assert 'class="skip-link"' in client.get("/accounts/login/").content.decode()
