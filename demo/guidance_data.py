"""The ESCO excerpt, the registrar's crosswalk from the demo competencies to ESCO skills (some confirmed, the
rest left as suggestions to review in the admin), and a career goal for the demo learner."""

from django.utils import timezone

from catalog.models import Competency, CompetencyMapping
from catalog.services import suggest_mappings
from guidance import services
from guidance.esco import EXCERPT
from guidance.models import Occupation
from learners.models import Enrolment, Learner

ESCO_SKILL = "http://data.europa.eu/esco/skill/"
CONFIRMED = {
    "DAAN": ["97bd1c21-66b2-4b7e-ad0f-e3cda590e378", "1e77e42a-181f-4b48-8e74-201ce50ffc29"],
    "VISL": ["c0326e27-5fa8-4dca-aecb-ed89ab491513", "65e58886-bd1e-4c5b-8ca5-8d9b353c8aa1",
             "c3e36d05-8ae8-447f-bb2b-6f9409f85389"],
    "BINT": ["143769cb-b61e-47d8-a61e-eedfbec1016c"],
    "DATM": ["07889c08-7220-47c8-96f7-6068fbea00dc", "a571ae14-3e16-4fd3-a615-5646e0b0b696"],
    "DTAN": ["fd6d2981-3d4a-4ce2-9741-cfc98c5b74bd", "3ec2e4d6-7000-4905-bf1a-c5b1679416de"],
    "DBDS": ["6c08403c-a5bb-4868-b8c2-b7d039c0e511", "84f58e3d-8669-4d83-8c1d-5dd1e73a654f"],
    "DATS": ["edebd83d-35f6-4ed5-a940-6c203d178c01", "68ef0e4d-5542-4e64-84f4-752cce5a3c22"],
    "MLNG": ["3a2d5b45-56e4-4f5a-a55a-4a4a65afdc43", "25f0ea33-b4a2-4f31-b7b4-7d20e827b180"],
    "BURM": ["6eff134b-e34f-4d6e-a6e8-5e47cf2228d0"],
    "PRMG": ["7111b95d-0ce3-441a-9d92-4c75d05c4388"],
    "SWDN": ["8ff015a0-98ea-4d80-a23e-1f68110a919e", "3bddfd7c-ab6d-40c2-883d-5e97fb7640ba"],
    "SCTY": ["86d2e2ea-1ba2-4aa6-b465-8a1f9abc81b8", "fe1c2b32-7fe9-4668-affa-07ff658a68cf"],
    "NGA-03": ["a5b0cd5c-e13a-4ab3-8d93-4d242adcfb01"],
    "NGA-06": ["6360a934-cc87-4954-9656-b32db20592e3"],
    "NGA-09": ["3e23db60-0c3d-498a-a6ac-ffbed0ecb033"],
    "NGA-01": ["c32ad607-0c4d-4e34-b73f-668298f7bf13"],
    "BUAN": ["27ed854c-15b8-4ba2-90e9-ae888a219703"],
}  # fmt: skip
DEMO_GOAL = "data analyst"
PEERS = 12


def load_guidance(*, registrar, learner_user):
    if not Occupation.objects.exists():
        services.import_esco(skills=EXCERPT / "skills.csv", occupations=EXCERPT / "occupations.csv", version="1.2.0")
    esco = services.esco_framework("1.2.0")
    own = list(Competency.objects.exclude(framework=esco))
    skills = {c.target_url: c for c in Competency.objects.filter(framework=esco)}
    by_code = {c.code: c for c in own}
    now = timezone.now()
    for code, uuids in CONFIRMED.items():
        for uuid in uuids:
            CompetencyMapping.objects.update_or_create(
                competency=by_code[code],
                skill=skills[ESCO_SKILL + uuid],
                defaults={"status": "confirmed", "decided_by": registrar, "decided_at": now},
            )
    suggest_mappings(competencies=own, framework=esco)
    occupation = Occupation.objects.get(label=DEMO_GOAL)
    # The demo learner, and enough graduates with the same goal for "learners with your goal also took".
    graduates = Learner.objects.filter(enrolments__status=Enrolment.Status.COMPLETED, user=None).distinct()
    for learner in [learner_user.learner, *graduates.order_by("pk")[:PEERS]]:
        if not learner.career_goals.filter(occupation=occupation).exists():
            services.add_occupation_goal(learner=learner, occupation=occupation)
