"""The catalog as linked data: CTDL for Credential Engine's registry, and schema.org for search engines.

CTDL (Credential Transparency Description Language, https://credreg.net/ctdl/terms): each published program is
a ``@graph`` whose first node is the credential (its specific class, ``ceterms:ctid`` of the form ``ce-<uuid>``,
language-mapped name and description, owner and offerer, status, duration, cost, credits, a ``requires``
condition profile with the competencies assessed and, for a pathway's award, its component programs as
``hasPart``), followed by the organisation node.
"""

from django.conf import settings

from .models import Program

CTDL_CONTEXT = "https://credreg.net/ctdl/schema/context/json"
CREDENTIAL_CLASS = {
    Program.AchievementType.MICRO_CREDENTIAL: "ceterms:MicroCredential",
    Program.AchievementType.CERTIFICATE: "ceterms:Certificate",
    Program.AchievementType.DIPLOMA: "ceterms:Diploma",
    Program.AchievementType.MINOR: "ceterms:Certificate",  # CTDL has no minor: the closest credential class
    Program.AchievementType.BADGE: "ceterms:DigitalBadge",
}
STATUS = {Program.Status.PUBLISHED: "Active", Program.Status.RETIRED: "Deprecated"}
DELIVERY = {
    Program.DeliveryMode.ONLINE: "deliveryType:OnlineOnly",
    Program.DeliveryMode.IN_PERSON: "deliveryType:InPerson",
    Program.DeliveryMode.BLENDED: "deliveryType:BlendedDelivery",
}
CREDIT_UNIT = {
    "ECTS": "creditUnit:ECTS",
    "US-CH": "creditUnit:SemesterHour",
    "CEU": "creditUnit:ContinuingEducationUnit",
}


def _absolute(path):
    return settings.REGISTRY_PUBLIC_URL.rstrip("/") + path


def _text(program, value):
    return {program.language: value}


def organisation_id(institution):
    return _absolute(f"/ctdl/organisations/{institution.slug}")


def program_graph(program, *, components=()) -> dict:
    """The CTDL graph of a published program (``components``: a pathway award's programs)."""
    node = {
        "@id": _absolute(program.get_absolute_url()) + "#ctdl",
        "@type": CREDENTIAL_CLASS[program.achievement_type],
        "ceterms:ctid": program.ctid,
        "ceterms:name": _text(program, program.title),
        "ceterms:description": _text(program, program.description),
        "ceterms:subjectWebpage": _absolute(program.get_absolute_url()),
        "ceterms:ownedBy": [organisation_id(program.institution)],
        "ceterms:offeredBy": [organisation_id(program.institution)],
        "ceterms:credentialStatusType": {
            "@type": "ceterms:CredentialAlignmentObject",
            "ceterms:framework": "https://credreg.net/ctdl/terms/CredentialStatus",
            "ceterms:targetNode": f"credentialStat:{STATUS.get(program.status, 'Active')}",
            "ceterms:frameworkName": {"en": "Credential Status"},
            "ceterms:targetNodeName": {"en": STATUS.get(program.status, "Active")},
        },
        "ceterms:inLanguage": [program.language],
        "ceterms:image": _absolute(program.badge_url()),
        "ceterms:learningDeliveryType": [_concept(DELIVERY[program.delivery_mode])],
        "ceterms:estimatedDuration": [
            {"@type": "ceterms:DurationProfile", "ceterms:exactDuration": f"PT{program.effort_hours}H"}
        ],
        "ceterms:estimatedCost": [
            {
                "@type": "ceterms:CostProfile",
                "ceterms:price": float(program.cost),
                "ceterms:currency": program.currency,
                "ceterms:description": _text(program, "Tuition for the program and its assessment."),
            }
        ],
        "ceterms:keyword": _text_list(program, [tag.name for tag in program.tags.all()]),
        "ceterms:requires": [_condition(program)],
    }  # fmt: skip
    if program.credit_value:
        credit = {"@type": "qdata:ValueProfile", "schema:value": float(program.credit_value)}
        if program.credit_system in CREDIT_UNIT:
            credit["qdata:creditUnitType"] = [_concept(CREDIT_UNIT[program.credit_system])]
        node["ceterms:creditValue"] = [credit]
    if program.level:
        node["ceterms:audienceLevelType"] = [_concept(f"audLevel:EQF{program.level}")]
    if components:
        node["ceterms:hasPart"] = [_absolute(c.get_absolute_url()) + "#ctdl" for c in components]
    institution = program.institution
    organisation = {
        "@id": organisation_id(institution),
        "@type": "ceterms:CredentialOrganization",
        "ceterms:name": {"en": institution.name},
        "ceterms:subjectWebpage": institution.url,
        "ceterms:email": [institution.email],
    }
    return {"@context": CTDL_CONTEXT, "@id": _absolute(f"/ctdl/{program.ctid}"), "@graph": [node, organisation]}


def _concept(term):
    return {"@type": "ceterms:CredentialAlignmentObject", "ceterms:targetNode": term}


def _text_list(program, values):
    return {program.language: values}


def _condition(program):
    competencies = [a.competency for a in program.alignments.all()]
    return {
        "@type": "ceterms:ConditionProfile",
        "ceterms:description": _text(program, program.criteria_narrative),
        "ceterms:targetCompetency": [
            {
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:targetNodeName": _text(program, competency.name),
                "ceterms:targetNode": competency.target_url or competency.framework.url,
                "ceterms:codedNotation": competency.code,
                "ceterms:frameworkName": _text(program, str(competency.framework)),
            }
            for competency in competencies
        ],
    }


def schema_org(program) -> dict:
    """schema.org ``Course`` that leads to an ``EducationalOccupationalCredential``, for search engines."""
    credential = {
        "@type": "EducationalOccupationalCredential",
        "name": program.title,
        "credentialCategory": program.get_achievement_type_display(),
        "url": _absolute(program.get_absolute_url()),
        "recognizedBy": {"@type": "CollegeOrUniversity", "name": program.institution.name},
        "competencyRequired": [a.competency.name for a in program.alignments.all()],
    }
    if program.level:
        credential["educationalLevel"] = program.get_level_display()
    return {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": program.title,
        "description": program.summary,
        "courseCode": program.code,
        "url": _absolute(program.get_absolute_url()),
        "image": _absolute(program.badge_url()),
        "inLanguage": program.language,
        "provider": {
            "@type": "CollegeOrUniversity", "name": program.institution.name, "sameAs": program.institution.url
        },
        "timeRequired": f"PT{program.effort_hours}H",
        "educationalCredentialAwarded": credential,
        "offers": {
            "@type": "Offer",
            "price": str(program.cost),
            "priceCurrency": program.currency,
            "category": "Paid" if program.cost else "Free",
        },
        "hasCourseInstance": {"@type": "CourseInstance", "courseMode": program.get_delivery_mode_display()},
    }  # fmt: skip
