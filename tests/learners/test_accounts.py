import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed

from learners.models import Learner
from tests.factories import InstitutionFactory, LearnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _confirm(user, email):
    primary = not EmailAddress.objects.filter(user=user, primary=True).exists()
    address = EmailAddress.objects.create(user=user, email=email, verified=True, primary=primary)
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)


def test_staff_created_record_is_linked_when_the_same_email_is_verified():
    record = LearnerFactory(email="ada@example.org")
    user = UserFactory(email="ada@example.org")
    _confirm(user, "Ada@Example.org")
    record.refresh_from_db()
    assert record.user == user


def test_unverified_signup_with_the_same_email_links_nothing(client):
    record = LearnerFactory(email="grace@example.org")
    response = client.post(
        "/accounts/signup/",
        {"email": "grace@example.org", "password1": "a-Strong-pass-123", "password2": "a-Strong-pass-123"},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.user is None


def test_verified_email_without_a_record_creates_one():
    InstitutionFactory()
    user = UserFactory(email="new@example.org")
    _confirm(user, "new@example.org")
    assert Learner.objects.get(user=user).email == "new@example.org"


def test_a_user_already_linked_keeps_their_record():
    record = LearnerFactory(email="one@example.org")
    user = UserFactory(email="one@example.org")
    _confirm(user, "one@example.org")
    LearnerFactory(email="two@example.org", institution=record.institution)
    _confirm(user, "two@example.org")
    assert Learner.objects.get(user=user) == record
