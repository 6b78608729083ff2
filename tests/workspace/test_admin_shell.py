"""The admin's shell: "View on site" opens the registry's own public address, a signed-in learner who opens the
admin is shown the way back on the site's own page, and the admin loads the registrar's stylesheet."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.sites.models import Site
from django.urls import reverse

from catalog.models import Program
from tests.factories import ProgramFactory, learner_user
from workspace.public_site import site_follows_public_url

pytestmark = pytest.mark.django_db
PUBLIC_HOST = urlsplit(settings.REGISTRY_PUBLIC_URL).netloc


def test_site_record_carries_the_registrys_public_host():
    assert Site.objects.get_current().domain == PUBLIC_HOST


def test_site_record_follows_a_changed_public_address_at_the_next_migrate(settings):
    settings.REGISTRY_PUBLIC_URL = "https://credentials.example.ac.uk"

    site_follows_public_url(sender=None)

    assert Site.objects.get_current().domain == "credentials.example.ac.uk"


def test_view_on_site_of_a_program_lands_on_the_registrys_own_host(registrar_client):
    program = ProgramFactory()
    link = admin.site.get_model_admin(Program).get_view_on_site_url(program)
    assert link in registrar_client.get(reverse("admin:catalog_program_change", args=[program.pk])).content.decode()

    response = registrar_client.get(link)

    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert (target.netloc, target.path) == (PUBLIC_HOST, program.get_absolute_url())


def test_a_learner_who_opens_the_admin_is_shown_the_way_back(client):
    client.force_login(learner_user().user)

    response = client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert [template.name for template in response.templates][0] == "workspace/staff_only.html"
    page = response.content.decode()
    assert 'href="/me/"' in page and 'href="/"' in page
    assert "not authorized" not in page


def test_an_anonymous_visitor_who_opens_the_admin_is_asked_to_sign_in(client):
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain[-1][0].startswith(settings.LOGIN_URL)
    assert response.status_code == 200


def test_staff_who_open_the_admin_login_go_to_the_admin(registrar_client):
    response = registrar_client.get("/admin/login/")

    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_admin_pages_load_the_registrars_stylesheet(registrar_client):
    page = registrar_client.get(reverse("admin:awards_award_changelist")).content.decode()

    assert "admin/css/registrar" in page
