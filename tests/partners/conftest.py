import pytest
from django.test import Client

from awards.models import Award
from learners.models import Sharing
from partners import services
from partners.models import PartnerOrganisation


@pytest.fixture
def partner(db):
    return PartnerOrganisation.objects.create(name="Acme Hiring", contact_email="hr@acme.example")


@pytest.fixture
def other_partner(db):
    return PartnerOrganisation.objects.create(name="Globex Talent", contact_email="people@globex.example")


def key_for(organisation, scopes=("catalog", "verify", "talent"), **options):
    key, secret = services.api_key_create(organisation=organisation, name="ATS", scopes=scopes, **options)
    return key, secret


@pytest.fixture
def api(partner):
    """A client that sends the partner's key with every request."""
    _, secret = key_for(partner)
    return Client(HTTP_AUTHORIZATION=f"Api-Key {secret}")


@pytest.fixture
def discoverable(award):
    """The award's learner opted into discovery and marked the credential discoverable."""
    services.talent_profile_set(learner=award.learner, discoverable=True, headline="Data analyst")
    Award.objects.filter(pk=award.pk).update(sharing=Sharing.DISCOVERABLE)
    return award
