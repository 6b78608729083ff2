"""A learner's Comprehensive Learner Record as a signed CLR 2.0 ClrCredential.

It embeds every signed credential in good standing and states stacking with associations: each component
achievement ``isPartOf`` the pathway award it counted toward, and ``isChildOf`` it.
"""

import json
import secrets

from django.urls import reverse
from django.utils import timezone

from . import credentials, keys
from .models import Award
from .selectors import recognised_credentials
from .vc import data_integrity

CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
CLR_SCHEMA = "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json"


def learner_awards(learner):
    return list(
        Award.objects.in_good_standing()
        .filter(learner=learner)
        .select_related("program__institution")
        .prefetch_related("components__program", "program__credit_recognitions")
        .order_by("issued_at")
    )


def build(learner, awards, *, issued_at, recognised=()):
    """The CLR: the learner's credentials in good standing, the credentials of other issuers the registrar
    recognised, and each achievement other institutions give credit for (``otherIdentifier`` entries)."""
    embedded = [json.loads(award.credential) for award in awards] + [json.loads(c.document) for c in recognised]
    associations = []
    for award in awards:
        parent = credentials.achievement_id(award.program)
        for component in award.components.all():
            child = credentials.achievement_id(component.program)
            associations += [
                {"type": "Association", "associationType": "isPartOf", "sourceId": child, "targetId": parent},
                {"type": "Association", "associationType": "isChildOf", "sourceId": child, "targetId": parent},
            ]
    institution = awards[0].program.institution if awards else learner.institution
    salt = secrets.token_hex(16)
    subject = {
        "type": ["ClrSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": credentials.identity_hash(learner.email, salt),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": salt,
            }
        ],
        "verifiableCredential": embedded,
    }
    if associations:
        subject["association"] = associations
    credited = _credited_achievements(awards, issued_at.date())
    if credited:
        subject["achievement"] = credited
    return {
        "@context": [credentials.VC_CONTEXT, CLR_CONTEXT, credentials.OB_CONTEXT, credentials.OB_EXTENSIONS_CONTEXT],
        "id": credentials.absolute(reverse("portal:my-clr")) + f"#{learner.pk}-{issued_at:%Y%m%d%H%M%S}",
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": credentials.issuer_profile(institution),
        "validFrom": credentials.iso(issued_at),
        "name": f"Comprehensive Learner Record — {learner.legal_name}",
        "credentialSubject": subject,
        "credentialSchema": [{"id": CLR_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
    }


def _credited_achievements(awards, on):
    achievements = []
    for award in awards:
        entries = [
            {
                "type": "IdentifierEntry",
                "identifier": f"{r.credits.normalize()} {r.credit_system} toward {r.toward} at "
                f"{r.recognising_institution} (agreement {r.reference})",
                "identifierType": "ext:CreditRecognition",
            }
            for r in award.program.credit_recognitions.all()
            if r.in_force(on)
        ]
        if entries:
            program = award.program
            achievements.append(
                {
                    "id": credentials.achievement_id(program),
                    "type": ["Achievement"],
                    "name": program.title,
                    "description": program.summary,
                    "criteria": {"narrative": program.criteria_narrative},
                    "otherIdentifier": entries,
                }
            )
    return achievements


def signed_clr(learner, holder_id: str | None = None):
    """The learner's CLR signed now; bound to ``holder_id`` (a wallet's DID) as its ``credentialSubject.id`` when
    given."""
    issued_at = timezone.now()
    document = build(learner, learner_awards(learner), issued_at=issued_at, recognised=recognised_credentials(learner))
    if holder_id:
        document["credentialSubject"] = {"id": holder_id, **document["credentialSubject"]}
    key = keys.active_key()
    return data_integrity.sign(
        document,
        private_key=keys.private_key(key),
        verification_method=keys.verification_method(key),
        created=credentials.iso(issued_at),
    )
