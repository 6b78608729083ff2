import pytest

from awards import checks, keys


def test_a_missing_or_reused_key_secret_fails_the_deploy_check(settings):
    settings.REGISTRY_KEY_SECRET = settings.SECRET_KEY
    assert [e.id for e in checks.key_secret_is_configured(None)] == ["awards.E001"]
    settings.REGISTRY_KEY_SECRET = None
    assert [e.id for e in checks.key_secret_is_configured(None)] == ["awards.E001"]
    settings.REGISTRY_KEY_SECRET = "x" * 40
    assert checks.key_secret_is_configured(None) == []


def test_a_plain_http_public_url_fails_the_deploy_check(settings):
    settings.REGISTRY_PUBLIC_URL = "http://registry.example.edu"
    assert [e.id for e in checks.public_url_is_https(None)] == ["awards.E002"]


@pytest.mark.django_db
def test_the_database_check_warns_until_a_signing_key_exists():
    assert [e.id for e in checks.an_active_signing_key_exists(None, databases=["default"])] == ["awards.W001"]
    keys.generate_key()
    assert checks.an_active_signing_key_exists(None, databases=["default"]) == []
