import pytest

from config.security import SANDBOXED

pytestmark = pytest.mark.django_db


def test_portal_and_public_pages_have_a_strict_policy_without_unsafe_inline(client):
    for url in ("/", "/verify/", "/accounts/login/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy, url


def test_the_admin_relaxes_only_inline_styles(registrar_client):
    policy = registrar_client.get("/admin/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy and "script-src 'self';" in policy


def test_other_security_headers_are_set(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_uploaded_files_are_sandboxed_whatever_their_type(client):
    assert client.get("/media/programs/badge.html")["Content-Security-Policy"] == SANDBOXED
