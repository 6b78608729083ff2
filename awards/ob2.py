"""Open Badges 2.0 documents for consumers that read only 2.0: a hosted Assertion per award, its BadgeClass and
Issuer, and the issuer's revocation list (https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/).

The recipient is the learner's e-mail address, salted and hashed exactly as in the OB 3.0 credential.
"""

from django.urls import reverse

from .credentials import absolute, identity_hash, iso

CONTEXT = "https://w3id.org/openbadges/v2"


def issuer_url():
    return absolute(reverse("awards:ob2-issuer"))


def badge_class_url(program):
    return absolute(reverse("awards:ob2-badge-class", args=[program.slug]))


def assertion_url(award):
    return absolute(reverse("awards:ob2-assertion", args=[award.pk]))


def issuer(institution) -> dict:
    document = {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": issuer_url(),
        "name": institution.name,
        "url": institution.url,
        "email": institution.email,
        "revocationList": absolute(reverse("awards:ob2-revocations")),
    }
    if institution.description:
        document["description"] = institution.description
    if institution.logo:
        document["image"] = absolute(institution.logo.url)
    return document


def badge_class(program) -> dict:
    document = {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": badge_class_url(program),
        "name": program.title,
        "description": program.summary,
        "image": absolute(program.png_badge_url()),
        "criteria": {"id": absolute(program.get_absolute_url()), "narrative": program.criteria_narrative},
        "issuer": issuer_url(),
        "tags": [tag.name for tag in program.tags.all()],
    }
    alignment = [
        {
            "targetName": c.name,
            "targetUrl": c.target_url or c.framework.url,
            "targetCode": c.code,
            "targetFramework": str(c.framework),
        }
        for c in program.aligned_competencies()
    ]
    if alignment:
        document["alignment"] = alignment
    return document


def _image(program):
    return absolute(program.png_badge_url())  # a PNG: some 2.0 consumers read no SVG


def assertion(award) -> dict:
    """The hosted assertion; a revoked or suspended award answers only that it is revoked, with the public reason."""
    if award.is_revoked or award.is_suspended:
        reason = award.revocation_public_reason if award.is_revoked else award.suspension_public_reason
        return {
            "@context": CONTEXT,
            "type": "Assertion",
            "id": assertion_url(award),
            "revoked": True,
            "revocationReason": reason
            or ("Revoked by the issuer." if award.is_revoked else "Suspended by the issuer."),
        }
    document = {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": assertion_url(award),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": award.subject_salt,
            "identity": identity_hash(award.learner.email, award.subject_salt),
        },
        "badge": badge_class_url(award.program),
        "issuedOn": iso(award.issued_at),
        "verification": {"type": "hosted"},
        "evidence": absolute(award.get_absolute_url()),
    }
    if award.valid_until:
        document["expires"] = iso(award.valid_until)
    return document


def revocation_list(institution, awards) -> dict:
    return {
        "@context": CONTEXT,
        "type": "RevocationList",
        "id": absolute(reverse("awards:ob2-revocations")),
        "issuer": issuer_url(),
        "revokedAssertions": [
            {"id": assertion_url(award), "revocationReason": award.revocation_public_reason or "Revoked by the issuer."}
            for award in awards
        ],
    }
