"""Demo learners with results at every stage, some one program short of a pathway. Idempotent."""

import datetime
import random

from django.db import transaction

from catalog.models import Institution, Program
from learners import services
from learners.models import Enrolment, Learner, Sharing
from partners.services import talent_profile_set

FIRST = [
    "Amira",
    "Ben",
    "Chloé",
    "Dmitri",
    "Eun-ji",
    "Farah",
    "Gabriel",
    "Hana",
    "Ines",
    "Jonas",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Oskar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tomás",
    "Uma",
    "Viktor",
    "Wen",
    "Yusuf",
]
LAST = [
    "Haddad",
    "Okafor",
    "Martin",
    "Ivanov",
    "Park",
    "Rahman",
    "Silva",
    "Sato",
    "García",
    "Berg",
    "Mensah",
    "Novak",
    "Rossi",
    "Karimi",
    "Lund",
    "Sharma",
    "Murphy",
    "Costa",
    "Nieminen",
    "Reyes",
    "Patel",
    "Horvat",
    "Zhang",
    "Demir",
]
# What the generated learners completed, by profile: the last entry of each plan is left in progress.
HEADLINES = {
    "SWE": "Junior software engineer",
    "DATA": "Data analyst",
    "CYB": "Security analyst",
    "BUS": "Project coordinator",
}
PLANS = [
    ["SWE-101", "SWE-201", "DATA-202"],  # completes the software certificate
    ["DATA-101", "DATA-102", "DATA-202", "DATA-301"],  # completes the data analytics certificate
    ["DATA-101", "DATA-102", "DATA-201", "DATA-202"],  # one core program short (last left in progress)
    ["CYB-101", "CYB-201", "CYB-202"],  # completes cybersecurity
    ["BUS-101", "BUS-102"],
    # Both certificates and a professional module: the nested diploma is awarded by stacking.
    ["DATA-101", "DATA-102", "DATA-202", "DATA-201", "SWE-101", "SWE-201", "BUS-101"],
]


@transaction.atomic
def load_learners(*, registrar, learner_user):
    institution = Institution.objects.get(slug="northbridge")
    programs = {p.code: p for p in Program.objects.published()}
    rng = random.Random(2026)
    demo = _learner(institution, "NB-000001", "Amira Haddad", learner_user.email, user=learner_user)
    # The demo learner: data analytics core done, the elective still a draft → one short of the certificate.
    for code in ("DATA-101", "DATA-102", "DATA-202"):
        _assess(demo, programs[code], registrar, passing=True, finalise=True)
    _assess(demo, programs["DATA-201"], registrar, passing=True, finalise=False)
    _assess(demo, programs["CYB-101"], registrar, passing=False, finalise=True)
    corrected = _assess(demo, programs["SWE-101"], registrar, passing=False, finalise=True)
    if corrected is not None:
        services.attempt_record(
            enrolment=corrected.enrolment,
            assessor=registrar,
            levels=_levels(programs["SWE-101"], True),
            assessed_on=corrected.assessed_on,
            recorded_by=registrar,
            supersedes=corrected,
            correction_reason="Moderation found the first marker applied last year's rubric.",
            feedback="Re-marked after moderation: a solid pass.",
        )
    for index in range(1, len(FIRST)):
        name = f"{FIRST[index]} {LAST[index]}"
        plan = PLANS[index % len(PLANS)]
        # Every third learner lets partner employers find them (talent search in the partner API).
        sharing = Sharing.DISCOVERABLE if index % 3 == 0 else Sharing.LINK
        learner = _learner(
            institution,
            f"NB-{index + 1:06d}",
            name,
            f"{FIRST[index].lower()}.{index}@demo.example.org",
            sharing=sharing,
        )
        if sharing == Sharing.DISCOVERABLE:
            talent_profile_set(learner=learner, discoverable=True, headline=HEADLINES[plan[0].split("-")[0]])
        for position, code in enumerate(plan):
            last = position == len(plan) - 1
            in_progress = last and index % 4 == 0
            _assess(learner, programs[code], registrar, passing=rng.random() > 0.1 or last, finalise=not in_progress)
    return demo


def _learner(institution, student_id, name, email, user=None, sharing=Sharing.LINK):
    learner, _ = Learner.objects.update_or_create(
        institution=institution,
        student_id=student_id,
        defaults={
            "legal_name": name,
            "display_name": name.split()[0],
            "email": email,
            "user": user,
            "default_sharing": sharing,
        },
    )
    return learner


def _levels(program, passing):
    """The highest level on every criterion for a pass, the lowest for a fail."""
    pick = max if passing else min
    return {c.pk: pick(c.levels.all(), key=lambda level: level.points).pk for c in program.rubric.criteria.all()}


def _assess(learner, program, registrar, *, passing, finalise):
    if Enrolment.objects.filter(learner=learner, program__code=program.code).exists():
        return None
    enrolled_on = datetime.date(2026, 9, 1)
    enrolment = services.enrolment_create(
        learner=learner, program=program, cohort="2026-autumn", enrolled_on=enrolled_on
    )
    return services.attempt_record(
        enrolment=enrolment,
        assessor=registrar,
        levels=_levels(program, passing),
        assessed_on=enrolled_on + datetime.timedelta(days=60),
        recorded_by=registrar,
        finalise=finalise,
        feedback="Strong, well-evidenced work." if passing else "Not yet: revisit the rubric's first criterion.",
        evidence=[
            services.EvidenceSpec(
                title="Capstone project",
                url=f"https://portfolio.example.org/{learner.student_id}/{program.code.lower()}",
            )
        ],
    )
