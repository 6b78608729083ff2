"""Building unsigned Open Badges 3.0 credentials (OpenBadgeCredential on VC Data Model 2.0) for awards."""

import calendar
import hashlib
import json
from datetime import datetime, time
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from . import keys

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
# Defines 1EdTechJsonSchemaValidator2019 (the credentialSchema type), as in 1EdTech's own examples.
OB_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
ACHIEVEMENT_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"


def absolute(path):
    return settings.REGISTRY_PUBLIC_URL + path


def credential_url(award):
    return absolute(reverse("awards:credential", kwargs={"pk": award.pk}))


def status_list_url(purpose):
    return absolute(reverse("awards:status-list", kwargs={"purpose": purpose}))


ISSUED_STATUS_LISTS = "/status/issued/"


def issued_status_list_url(did_key_of=None):
    """The revocation list of credentials issued through the VC-API (an index space apart from the awards'): the
    did:web's, or for credentials issued as a key's did:key that key's, which that did:key signs (verifiers such as
    Digital Bazaar's require a status list to have the credential's issuer)."""
    if did_key_of is not None:
        return absolute(reverse("awards:issued-key-status-list", args=[did_key_of.key_id]))
    return absolute(reverse("awards:issued-status-list"))


def revocation_entry(index, url):
    """A Bitstring Status List entry at ``index`` of the revocation list at ``url``."""
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(index),
        "statusListCredential": url,
    }


def iso(moment):
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def add_months(moment, months):
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def valid_until(program, valid_from):
    return add_months(valid_from, program.validity_months).replace(microsecond=0) if program.validity_months else None


def issuer_profile(institution):
    profile = {
        "id": keys.issuer_did(),
        "type": ["Profile"],
        "name": institution.name,
        "url": institution.url,
        "email": institution.email,
    }
    if institution.description:
        profile["description"] = institution.description
    if institution.logo:
        profile["image"] = {"id": absolute(institution.logo.url), "type": "Image"}
    return profile


def endorsement(endorsement, *, issued_at):
    """The unsigned OB 3.0 EndorsementCredential of ``endorsement``: the endorser's statement about the program's
    achievement. The registry signs it on the endorser's behalf with its own key (the profile says so)."""
    program = endorsement.program
    registry = program.institution
    with translation.override(settings.LANGUAGE_CODE):  # the signed wording does not follow the admin's language
        kind = endorsement.get_endorser_kind_display()
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": absolute(endorsement.get_absolute_url()),
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": f"{endorsement.endorser_name} endorses {program.title}",
        "issuer": {
            "id": keys.issuer_did(),
            "type": ["Profile"],
            "name": endorsement.endorser_name,
            "url": endorsement.endorser_url,
            "description": f"{kind}. This endorsement was recorded and signed "
            f"by {registry.name} on the endorser's behalf.",
        },
        "validFrom": iso(issued_at),
        "credentialSubject": {
            "id": achievement_id(program),
            "type": ["EndorsementSubject"],
            "endorsementComment": endorsement.statement,
        },
    }


def achievement_id(program):
    return absolute(program.get_absolute_url())


def validity(award, issued_at):
    """(validFrom, validUntil) of ``award`` signed at ``issued_at``: a correction keeps the period of the credential
    it replaces (correcting a name neither renews nor extends it); any other counts from its signing."""
    if award.replaces_id and award.replaces.valid_from:
        return award.replaces.valid_from, award.replaces.valid_until
    return issued_at, valid_until(award.program, issued_at)


def build(award, *, issued_at, achievements=None):
    """The unsigned credential for ``award`` as it is at ``issued_at`` (UTC).

    ``achievements``: a dict shared by awards loaded in one snapshot (a chunk of a cohort), in which each
    program's achievement is built once; the documents then share it, so nothing may modify them in place."""
    program = award.program
    valid_from, expiry = validity(award, issued_at)
    components = _components(award)  # loaded once: subject, achievement and evidence all list them
    document = {
        "@context": [VC_CONTEXT, OB_CONTEXT, OB_EXTENSIONS_CONTEXT],
        "id": credential_url(award),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": program.title,
        "description": program.summary,
        "issuer": issuer_profile(program.institution),
        "validFrom": iso(valid_from),
        "credentialSubject": _subject(award, components, achievements),
        "credentialSchema": [{"id": ACHIEVEMENT_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}],
        "credentialStatus": revocation_entry(award.status_list_index, status_list_url("revocation")),
    }
    if expiry:
        document["validUntil"] = iso(expiry)
    evidence = _evidence(award, components)
    if evidence:
        document["evidence"] = evidence
    return document


def identity_hash(email, salt):
    return "sha256$" + hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()


def _subject(award, components, achievements):
    learner = award.learner
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": identity_hash(learner.email, award.subject_salt),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": award.subject_salt,
            }
        ],
        "achievement": _shared_achievement(award, components, achievements),
    }
    credits = (
        sum((c.program.credit_value for c in components), Decimal("0")) if components else (award.program.credit_value)
    )
    if credits:
        subject["creditsEarned"] = float(credits)
    enrolment = award.enrolment
    if enrolment is not None:
        subject["activityStartDate"] = iso(datetime.combine(enrolment.enrolled_on, time.min))
        if enrolment.completed_on:
            subject["activityEndDate"] = iso(datetime.combine(enrolment.completed_on, time.min))
        if enrolment.cohort:
            subject["term"] = enrolment.cohort
    results = _results(award)
    if results:
        subject["result"] = results
    return subject


def _components(award):
    # ``selectors.awards_for_issuing`` prefetches all of what the builder reads, for a whole batch at once.
    return list(award.components.all()) if award.pk else []


def _shared_achievement(award, components, achievements):
    if achievements is None:
        return _achievement(award, components)
    key = (award.program_id, award.attempt_id is not None, tuple(c.program_id for c in components))
    if key not in achievements:
        achievements[key] = _achievement(award, components)
    return achievements[key]


def _achievement(award, components):
    program = award.program
    identifier = achievement_id(program)
    achievement = {
        "id": identifier,
        "type": ["Achievement"],
        "achievementType": program.achievement_type,
        "name": program.title,
        "description": program.description,
        "criteria": {"id": identifier, "narrative": program.criteria_narrative},
        "humanCode": program.code,
        "fieldOfStudy": program.subject.name,
        "inLanguage": program.language,
        "version": str(program.version),
    }
    if program.credit_value:
        achievement["creditsAvailable"] = float(program.credit_value)
    achievement["image"] = {"id": absolute(program.badge_url()), "type": "Image", "caption": f"{program.title} badge"}
    tags = [tag.name for tag in program.tags.all()]
    if tags:
        achievement["tag"] = tags
    alignments = [_alignment(competency) for competency in program.aligned_competencies()]
    # The program's own CTDL record, so a badge links to what a credential registry knows of it.
    alignments.append(
        {
            "type": ["Alignment"],
            "targetName": program.title,
            "targetUrl": absolute(reverse("catalog:program-ctdl", args=[program.slug])),
            "targetCode": program.ctid,
            "targetFramework": "Credential Transparency Description Language",
            "targetType": "ceterms:Credential",
        }
    )
    if alignments:
        achievement["alignment"] = alignments
    endorsements = [json.loads(e.credential) for e in program.endorsements.all() if e.credential and not e.withdrawn_at]
    if endorsements:
        achievement["endorsement"] = endorsements
    descriptions = _result_descriptions(award, identifier)
    if descriptions:
        achievement["resultDescription"] = descriptions
    if components:
        achievement["related"] = [
            {"id": achievement_id(c.program), "type": ["Related"], "version": str(c.program.version)}
            for c in components
        ]
    return achievement


def _alignment(competency):
    entry = {
        "type": ["Alignment"],
        "targetName": competency.name,
        "targetUrl": competency.target_url or competency.framework.url,
        "targetCode": competency.code,
        "targetFramework": str(competency.framework),
        "targetType": "ceasn:Competency",
    }
    if competency.description:
        entry["targetDescription"] = competency.description
    return entry


def _rubric(award):
    if award.attempt_id is None:
        return None
    return award.program.rubric


def _result_descriptions(award, identifier):
    rubric = _rubric(award)
    if rubric is None:
        return []
    descriptions = []
    best_total = Decimal("0")
    for criterion in rubric.criteria.all():
        levels = list(criterion.levels.all())
        best_total += criterion.weight * max((level.points for level in levels), default=Decimal("0"))
        description = {
            "id": f"{identifier}#criterion-{criterion.pk}",
            "type": ["ResultDescription"],
            "name": criterion.name,
            "resultType": "RubricCriterionLevel",
            "rubricCriterionLevel": [
                {
                    "id": f"{identifier}#level-{level.pk}",
                    "type": ["RubricCriterionLevel"],
                    "name": level.name,
                    "points": _number(level.points),
                    **({"description": level.description} if level.description else {}),
                }
                for level in levels
            ],
        }
        if criterion.min_level_id:
            description["requiredLevel"] = f"{identifier}#level-{criterion.min_level_id}"
        descriptions.append(description)
    total = {
        "id": f"{identifier}#total",
        "type": ["ResultDescription"],
        "name": "Weighted rubric total",
        "resultType": "RubricScore",
        "valueMin": "0",
        "valueMax": _number(best_total),
    }
    if rubric.min_total_points is not None:
        total["requiredValue"] = _number(rubric.min_total_points)
    return descriptions + [total]


def _results(award):
    if award.attempt_id is None:
        return []
    identifier = achievement_id(award.program)
    scores = award.attempt.scores.all()
    results = [
        {
            "type": ["Result"],
            "resultDescription": f"{identifier}#criterion-{score.criterion_id}",
            "achievedLevel": f"{identifier}#level-{score.level_id}",
        }
        for score in scores
    ]
    results.append(
        {
            "type": ["Result"],
            "resultDescription": f"{identifier}#total",
            "value": _number(award.attempt.total_points),
            "status": "Completed",
        }
    )
    return results


def _evidence(award, components):
    items = []
    if award.attempt_id:
        attempt = award.attempt
        items.append(
            {
                "type": ["Evidence"],
                "name": "Rubric assessment",
                "narrative": f"Assessed on {attempt.assessed_on.isoformat()} against the published rubric; "
                f"attempt {attempt.number}.",
            }
        )
        for item in sorted(attempt.evidence.all(), key=lambda evidence: evidence.pk):
            entry = {"type": ["Evidence"], "name": item.title}
            if item.url:
                entry["id"] = item.url
            if item.description:
                entry["description"] = item.description
            items.append(entry)
    for component in components:
        items.append(
            {
                "type": ["Evidence"],
                "id": credential_url(component),
                "name": f"Component credential: {component.program.title}",
            }
        )
    for recognised in award.recognised.all():
        entry = {
            "type": ["Evidence"],
            "name": f"Recognised credential: {recognised.achievement_name} ({recognised.issuer_name})",
            "narrative": f"Issued by {recognised.issuer_name}; recognised by the registrar on "
            f"{recognised.decided_at.date().isoformat()} as {recognised.counts_as.title}"
            + (f" under agreement {recognised.agreement.reference}." if recognised.agreement_id else "."),
        }
        document_id = json.loads(recognised.document).get("id", "")
        if isinstance(document_id, str) and document_id.startswith(("http://", "https://", "urn:")):
            entry["id"] = document_id
        items.append(entry)
    if award.renews_id:
        items.append(
            {
                "type": ["Evidence"],
                "id": absolute(reverse("awards:credential", args=[award.renews_id])),
                "name": "Renews an earlier credential",
                "narrative": award.renewal_basis,
            }
        )
    return items


def _number(value):
    return f"{Decimal(value).normalize():f}"
