"""Baked badges (the credential inside its image) and the hosted Open Badges 2.0 documents."""

import json

import pytest
from django.urls import reverse

from awards import baking, ob2, services
from awards.credentials import identity_hash
from tests.awards.helpers import did_public_key
from tests.vc import independent_verifier

pytestmark = pytest.mark.django_db


@pytest.fixture
def holder(client, award):
    client.force_login(award.learner.user)
    return client


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_a_baked_ob3_badge_gives_back_the_identical_signed_credential(holder, award, kind, client):
    response = holder.get(reverse(f"portal:download-badge-{kind}", args=[award.pk]))
    assert response["Content-Disposition"].endswith(f'-badge.{kind}"')
    extracted = baking.extract_png(response.content) if kind == "png" else baking.extract_svg(response.content.decode())
    assert extracted == json.loads(award.credential)
    key = did_public_key(client, extracted["proof"]["verificationMethod"])
    assert independent_verifier.verify(extracted, key)  # the image alone is enough to verify


def test_the_baked_svg_is_still_the_badge_with_the_ob3_namespace(holder, award):
    svg = holder.get(reverse("portal:download-badge-svg", args=[award.pk])).content.decode()
    assert 'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in svg
    assert "<openbadges:credential>" in svg and "<polygon" in svg


def test_baking_twice_keeps_one_credential():
    from tests.catalog.test_badges import _png

    once = baking.bake_png(_png(), {"n": 1})
    assert baking.extract_png(baking.bake_png(once, {"n": 2})) == {"n": 2}


def test_an_image_without_a_badge_says_so():
    from tests.catalog.test_badges import _png

    with pytest.raises(baking.NotBaked):
        baking.extract_png(_png())


def test_the_ob2_png_carries_the_hosted_assertion(holder, award):
    png = holder.get(reverse("portal:download-badge-ob2", args=[award.pk])).content
    assertion = baking.extract_png(png, keyword=baking.OB2_PNG_KEYWORD)
    assert assertion["id"].endswith(f"/ob2/assertions/{award.pk}")
    assert assertion["recipient"]["identity"] == identity_hash(award.learner.email, award.subject_salt)


def test_another_learner_cannot_download_the_baked_badge(client, award):
    from tests.factories import learner_user

    client.force_login(learner_user().user)
    assert client.get(reverse("portal:download-badge-png", args=[award.pk])).status_code == 404


def test_the_hosted_assertion_links_badge_class_and_issuer(client, award):
    assertion = client.get(reverse("awards:ob2-assertion", args=[award.pk])).json()
    assert assertion["@context"] == ob2.CONTEXT and assertion["type"] == "Assertion"
    assert assertion["verification"] == {"type": "hosted"}
    assert assertion["recipient"]["type"] == "email" and assertion["recipient"]["hashed"] is True
    assert award.learner.email not in json.dumps(assertion)
    badge = client.get(assertion["badge"].split("testserver", 1)[-1]).json()
    assert (badge["type"], badge["name"]) == ("BadgeClass", award.program.title)
    assert badge["criteria"]["narrative"] == award.program.criteria_narrative and badge["image"].endswith(".png")
    assert badge["alignment"][0]["targetName"] == award.program.competencies.first().name
    issuer = client.get(badge["issuer"].split("testserver", 1)[-1]).json()
    assert issuer["type"] == "Issuer" and issuer["url"]
    assert issuer["revocationList"].endswith("/ob2/revocations")


def test_a_revoked_award_s_assertion_is_gone_and_listed_as_revoked(client, award, registrar):
    services.award_revoke(award=award, user=registrar, reason="Misconduct", public_reason="Academic misconduct")
    response = client.get(reverse("awards:ob2-assertion", args=[award.pk]))
    assert response.status_code == 410
    assert response.json() == {
        "@context": ob2.CONTEXT,
        "type": "Assertion",
        "id": f"{ob2.assertion_url(award)}",
        "revoked": True,
        "revocationReason": "Academic misconduct",
    }
    revoked = client.get(reverse("awards:ob2-revocations")).json()["revokedAssertions"]
    assert revoked == [{"id": ob2.assertion_url(award), "revocationReason": "Academic misconduct"}]
