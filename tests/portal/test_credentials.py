import json

import pytest
from django.test import Client
from django.urls import reverse

from awards import clr
from awards.models import Award
from learners.models import Sharing
from tests.awards.helpers import schema_errors
from tests.factories import UserFactory, learner_user, record_pass
from tests.vc import independent_verifier

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(award, client):
    client.force_login(award.learner.user)
    return client


def test_my_credentials_lists_status_downloads_and_linkedin(owner, award):
    content = owner.get(reverse("portal:my-credentials")).content.decode()
    assert award.program.title in content and "Valid" in content
    assert reverse("portal:download-certificate", args=[award.pk]) in content
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in content
    assert f"certId={award.pk}" in content


def test_owner_downloads_pdf_and_json(owner, award):
    pdf = owner.get(reverse("portal:download-certificate", args=[award.pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    data = owner.get(reverse("portal:download-credential", args=[award.pk]))
    assert data.content.decode() == award.credential


def test_another_learner_cannot_reach_my_credential_files(award, client):
    from tests.factories import LearnerFactory

    client.force_login(learner_user(LearnerFactory()).user)
    for name in ("download-certificate", "download-credential"):
        assert client.get(reverse(f"portal:{name}", args=[award.pk])).status_code == 404
    response = client.post(reverse("portal:update-sharing", args=[award.pk]), {f"{award.pk}-sharing": "link"})
    assert response.status_code == 404


def test_anonymous_visitor_is_asked_to_log_in(award, client):
    response = client.get(reverse("portal:download-certificate", args=[award.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_turning_sharing_off_hides_personal_details_at_once(owner, award):
    public = Client()
    owner.post(reverse("portal:update-sharing", args=[award.pk]), {f"{award.pk}-sharing": Sharing.LINK})
    assert award.learner.legal_name in public.get(award.get_absolute_url()).content.decode()
    owner.post(reverse("portal:update-sharing", args=[award.pk]), {f"{award.pk}-sharing": Sharing.PRIVATE})
    assert award.learner.legal_name not in public.get(award.get_absolute_url()).content.decode()


def test_a_private_credential_shows_its_details_to_its_holder_and_staff_only(owner, award, registrar):
    from awards.selectors import credential_visibility

    assert award.sharing == Sharing.PRIVATE
    assert award.learner.legal_name in owner.get(award.get_absolute_url()).content.decode()
    assert credential_visibility(award, registrar).details
    assert not credential_visibility(award, learner_user().user).details
    assert not credential_visibility(award, UserFactory(is_staff=True)).details  # staff without the permission
    assert not credential_visibility(award, None).details
    public = Client()
    assert award.learner.legal_name not in public.get(award.get_absolute_url()).content.decode()
    assert public.get(award.get_absolute_url(), HTTP_ACCEPT="application/ld+json").status_code == 404


def test_invalid_sharing_choice_changes_nothing(owner, award):
    owner.post(reverse("portal:update-sharing", args=[award.pk]), {f"{award.pk}-sharing": "everyone"})
    award.refresh_from_db()
    assert award.sharing == Sharing.PRIVATE


def test_clr_download_is_a_signed_schema_valid_clr(owner, award):
    document = json.loads(owner.get(reverse("portal:my-clr")).content)
    assert document["type"] == ["VerifiableCredential", "ClrCredential"]
    assert schema_errors(document, "clr_v2p0_clrcredential_schema.json") == []
    assert document["credentialSubject"]["verifiableCredential"] == [json.loads(award.credential)]
    assert independent_verifier.verify(document, award.signing_key.public_key_multibase)


def test_clr_expresses_stacking_with_associations(award):
    from awards.services import award_request
    from tests.factories import PathwayFactory

    pathway = PathwayFactory()
    stacked, _ = award_request(learner=award.learner, program=pathway.award, components=[award])
    Award.objects.filter(pk=stacked.pk).update(status="issued", credential=award.credential)
    document = clr.build(award.learner, clr.learner_awards(award.learner), issued_at=award.issued_at)
    kinds = {
        (a["associationType"], a["sourceId"].rsplit("/", 2)[-2], a["targetId"].rsplit("/", 2)[-2])
        for a in document["credentialSubject"]["association"]
    }
    child, parent = award.program.slug, pathway.award.slug
    assert kinds == {("isPartOf", child, parent), ("isChildOf", child, parent)}


def test_learner_record_groups_achievements_by_pathway(owner, award):
    content = owner.get(reverse("portal:learner-record")).content.decode()
    assert award.program.title in content and "Download as a signed CLR 2.0 credential" in content


def test_my_credentials_query_count_is_constant(
    owner, award, django_assert_num_queries, registrar, django_capture_on_commit_callbacks
):
    # the session, the user, the learner, the credentials, the credentials from other issuers
    with django_assert_num_queries(5):
        owner.get(reverse("portal:my-credentials"))

    from tests.factories import assessable_enrolment

    for _ in range(3):
        enrolment = assessable_enrolment(learner=award.learner)
        with django_capture_on_commit_callbacks(execute=True):
            record_pass(enrolment, registrar)
    with django_assert_num_queries(5):
        owner.get(reverse("portal:my-credentials"))


def test_staff_without_a_learner_record_gets_404(client):
    client.force_login(UserFactory())
    assert client.get(reverse("portal:my-credentials")).status_code == 404


def test_my_credentials_lists_credentials_from_other_issuers_in_the_same_queries(
    owner, award, django_assert_num_queries
):
    from awards import transfer
    from tests.awards.helpers import foreign_credential

    uploaded = transfer.foreign_credential_upload(learner=award.learner, text=json.dumps(foreign_credential()))
    sent, _created = transfer.foreign_credential_receive(
        learner=award.learner, text=json.dumps(foreign_credential()), kind="achievement", platform="Example Backpack"
    )
    with django_assert_num_queries(5):
        content = owner.get(reverse("portal:my-credentials")).content.decode()
    assert f'id="foreign-credential-{uploaded.pk}"' in content and f'id="foreign-credential-{sent.pk}"' in content
    assert "sent by Example Backpack" in content and "uploaded by you" in content and "Example Corp" in content
