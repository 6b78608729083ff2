"""The registrar's admin in French: Django's own pages and the registry's words (field labels, model and app names,
choices, actions) alike. That every message of the catalogue is translated is checked in
tests/catalog/test_languages.py."""

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext

from awards.models import Award
from tests.factories import CompetencyFactory, EscoSkillFactory, ProgramFactory, confirm_mapping

pytestmark = pytest.mark.django_db
REGISTRY_APPS = ["catalog", "learners", "awards", "partners", "quality", "guidance", "wallets", "workspace"]


def _registry_models():
    for app in REGISTRY_APPS:
        for model in apps.get_app_config(app).get_models():
            if not model.__name__.startswith("Historical"):  # simple_history names them after the model
                yield model


def _fields_a_registrar_reads(model):
    """Its own fields and relations; automatic primary keys carry Django's translated "ID"."""
    return [field for field in [*model._meta.fields, *model._meta.many_to_many] if not field.auto_created]


def test_the_issued_status_and_the_issue_date_read_differently_in_french():
    with translation.override("fr"):
        assert Award.Status.ISSUED.label == "Délivré"
        assert pgettext("date", "Issued") == "Délivré le"


def test_the_credential_list_shows_french_columns_and_the_status_issued_as_delivre(registrar_client, award):
    page = registrar_client.get("/admin/awards/award/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr"' in page
    assert '<td class="field-status">Délivré</td>' in page
    assert "Délivré le" not in page.split('<td class="field-status">')[1].split("</td>")[0]
    assert ">Statut</a>" in page and ">Programme</a>" in page


def test_the_program_form_labels_its_fields_in_french(registrar_client):
    program = ProgramFactory()
    page = registrar_client.get(
        f"/admin/catalog/program/{program.pk}/change/", HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert '<label class="required" for="id_title">Titre\xa0:</label>' in page  # French puts a space before ":"
    assert "Domaine\xa0:" in page and "Titre (Français)\xa0:" in page
    assert "Modification de programme" in page


def test_the_registry_s_own_admin_actions_and_filters_speak_french(registrar_client):
    confirm_mapping(CompetencyFactory(), EscoSkillFactory())
    page = registrar_client.get("/admin/catalog/competencymapping/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Confirmer les correspondances sélectionnées" in page
    assert "Correspondances de compétences" in page and ">Confirmée</td>" in page


@pytest.mark.parametrize("app", REGISTRY_APPS)
def test_every_app_of_the_registry_has_a_translatable_name(app):
    assert isinstance(apps.get_app_config(app).verbose_name, Promise)


def test_every_model_and_field_of_the_registry_has_a_translatable_name():
    untranslatable = [
        f"{model._meta.label}.{field.name}"
        for model in _registry_models()
        for field in _fields_a_registrar_reads(model)
        if not isinstance(field.verbose_name, Promise)
    ] + [
        model._meta.label
        for model in _registry_models()
        if not isinstance(model._meta.verbose_name, Promise) or not isinstance(model._meta.verbose_name_plural, Promise)
    ]
    assert untranslatable == []


def test_every_help_text_of_the_registry_is_translatable():
    untranslatable = [
        f"{model._meta.label}.{field.name}"
        for model in _registry_models()
        for field in _fields_a_registrar_reads(model)
        if field.help_text and not isinstance(field.help_text, Promise)
    ]
    assert untranslatable == []


def test_the_partner_key_form_speaks_french_down_to_the_key_library_s_fields(registrar_client):
    page = registrar_client.get("/admin/partners/partnerapikey/add/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Ajout de clé d’API partenaire" in page
    assert "Portées" in page and "Vérification : vérification de certificats, à l’unité et par lots" in page
    assert "Un nom libre pour la clé d’API." in page and "Débit par minute" in page


def test_the_registrar_s_front_page_speaks_french(registrar_client):
    page = registrar_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Vos programmes en brouillon" in page and "Apprenants et résultats" in page
    assert "Administration du registre" in page and "Your programs in draft" not in page
