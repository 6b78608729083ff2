"""Two languages: English and French, chosen by the visitor (switcher or browser), with programs' own text."""

import gettext
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from catalog.models import Program
from tests.factories import ProgramFactory, published_program

pytestmark = pytest.mark.django_db
CATALOG = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"


def test_a_french_browser_gets_the_catalog_in_french(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()
    assert '<html lang="fr">' in page
    assert "Trouver une microcertification" in page and "Vérifier un certificat" in page
    assert "0 programme trouvé" in page


def test_the_switcher_keeps_the_choice_for_the_next_pages(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert "Trouver une microcertification" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Find a microcredential" in client.get("/").content.decode()


def test_a_program_s_french_title_and_description_show_to_french_readers_only(client):
    program = published_program(
        title="Data Storytelling",
        description="Tell stories with data.",
        translations={"fr": {"title": "Raconter avec les données", "description": "Raconter avec des données."}},
    )
    french = client.get(program.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "<h1>Raconter avec les données</h1>" in french and "Raconter avec des données." in french
    assert "Acquis d’apprentissage" in french
    english = client.get(program.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Data Storytelling</h1>" in english


@pytest.mark.parametrize(
    "stored",
    [
        {"fr": "Raconter avec les données"},
        {"fr": ["Raconter avec les données"]},
        {"fr": None},
        {"fr": {"title": 42, "description": {"text": "…"}}},
        {"fr": {"summary": "Un résumé."}},  # no title, no description
        ["fr", "Raconter avec les données"],
        "Raconter avec les données",
    ],
)
def test_a_malformed_stored_translation_falls_back_to_the_original_text_in_french(client, stored):
    program = published_program(title="Data Storytelling", description="Tell stories with data.")
    Program.objects.filter(pk=program.pk).update(translations=stored)  # as rows saved before validation hold it
    response = client.get(program.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr")
    page = response.content.decode()
    assert response.status_code == 200 and "<h1>Data Storytelling</h1>" in page and "Tell stories with data." in page
    assert "Acquis d’apprentissage" in page


@pytest.mark.parametrize(
    ("translations", "message"),
    [
        ('{"fr": "Raconter avec les données"}', "The “fr” translation gives a title, summary or description as text"),
        ('{"fr": {"title": 42}}', "The “fr” translation gives a title, summary or description as text"),
        ('{"fr": {"titre": "Raconter"}}', "The “fr” translation gives a title, summary or description as text"),
        ('{"de": {"title": "Erzählen"}}', "“de” is not a language of this site (en, fr)."),
        ('["fr", "Raconter"]', "Give the translations by language"),
    ],
)
def test_malformed_translations_are_refused_with_a_message_on_the_field(translations, message):
    # The admin edits translations as fields side by side (tests/catalog/test_program_authoring.py); rows written
    # otherwise (API, imports) still meet the validator.
    with pytest.raises(ValidationError) as refused:
        ProgramFactory(translations=json.loads(translations)).full_clean()
    assert message in " ".join(refused.value.message_dict["translations"])


def test_well_formed_translations_pass_validation():
    program = ProgramFactory(translations={"fr": {"title": "Raconter", "summary": "", "description": "Texte."}})
    program.full_clean()


def _po_entries(text):
    """(context, message, plural, translations) for every entry of a .po file, continuation lines joined."""
    for block in text.split("\n\n"):
        fields, current = {}, None
        for line in block.splitlines():
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            unescape = lambda value: value.replace('\\"', '"').replace("\\n", "\n")  # noqa: E731
            translations = [unescape(v) for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            yield fields.get("msgctxt"), unescape(fields["msgid"]), fields.get("msgid_plural"), translations


def test_every_message_of_the_french_catalogue_is_translated_and_compiled():
    text = (CATALOG / "django.po").read_text()
    assert "#, fuzzy" not in text  # a guess by makemessages is not a translation
    entries = list(_po_entries(text))
    assert len(entries) > 90 and all(all(t) for *_, t in entries), [m for _, m, _, t in entries if not all(t)]
    compiled = gettext.GNUTranslations(open(CATALOG / "django.mo", "rb"))
    for context, message, plural, translations in entries:
        if plural:
            assert compiled.ngettext(message, plural, 1) == translations[0], message
        elif context:
            assert compiled.pgettext(context, message) == translations[0], message
        else:
            assert compiled.gettext(message) == translations[0], message


def test_the_learner_s_pages_speak_french_too(client, passed_attempt):
    from awards.models import Award
    from tests.factories import learner_user

    learner = learner_user(Award.objects.get().learner)
    client.force_login(learner.user)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/me/"})
    dashboard = client.get("/me/").content.decode()
    assert "Progression dans les parcours" in dashboard and "À propos de vos certificats" in dashboard
    credentials = client.get("/me/credentials/").content.decode()
    assert "Télécharger le fichier du certificat (Open Badges 3.0)" in credentials
    assert "Enregistrer le partage" in credentials


def test_the_goals_page_speaks_french(client, registrar):
    from tests.factories import learner_user
    from tests.guidance.dataset import known_learner

    known = known_learner(registrar)
    client.force_login(learner_user(known.learner).user)
    page = client.get("/me/goals/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Compétences manquantes pour data analyst, les plus importantes d’abord" in page
    assert "Recommandé ensuite" in page and "Évaluée sous le niveau requis :" in page


def test_choice_labels_and_pathway_pages_are_in_french(client):
    from tests.factories import PathwayFactory, add_rule

    program = published_program(delivery_mode="online", level=6)
    pathway = PathwayFactory(name="Certificat en données")
    add_rule(pathway, "min_credits", [program], min_credits=5)
    page = client.get(program.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "En ligne" in page and "CEC 6 (licence)" in page
    page = client.get(pathway.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Crédits minimum parmi" in page and "5 crédits" in page and "Donne droit à :" in page


def test_flash_messages_speak_the_learner_s_language(client, passed_attempt):
    from awards.models import Award
    from tests.factories import learner_user

    award = Award.objects.get()
    client.force_login(learner_user(award.learner).user)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/me/"})
    response = client.post(f"/me/credentials/{award.pk}/sharing/", {f"{award.pk}-sharing": "link"}, follow=True)
    assert "Le partage de « " in response.content.decode()
    assert "est désormais : Toute personne disposant du lien." in response.content.decode()
