"""Demo recognition: two outside organisations endorse data programs (credentials issued after the demo loads
carry them), and two institutions give credit for a program and for the data analytics certificate."""

import datetime

from awards.models import Endorsement
from awards.services import endorsement_issue
from catalog.models import CreditRecognition, Program

ENDORSEMENTS = [
    ("DATA-101", "Northbridge Data Employers Forum", "employer", "https://employers.northbridge.example",
     "Graduates of this microcredential clean and reshape real data sets the way our analysts must on day one."),
    ("DATA-102", "Institute of Data Professionals", "professional_body", "https://idp.example",
     "Meets the Institute's standard for associate membership in SQL and data management."),
]  # fmt: skip


RECOGNITIONS = [
    ("DATA-101", "Southbridge College", "https://southbridge.example.edu", 5, "BSc Business Analytics", "SB-2026-11"),
    ("CERT-DA", "Eastport University", "https://eastport.example.edu", 15, "MSc Data Science", "EP-CDA-3"),
]  # fmt: skip


def load_recognition(*, registrar):
    for code, name, kind, url, statement in ENDORSEMENTS:
        program = Program.objects.published().get(code=code)
        endorsement, created = Endorsement.objects.get_or_create(
            program=program,
            endorser_name=name,
            defaults={"endorser_kind": kind, "endorser_url": url, "statement": statement, "recorded_by": registrar},
        )
        if not endorsement.credential:
            endorsement_issue(endorsement=endorsement, user=registrar)
    for code, name, url, credits, toward, reference in RECOGNITIONS:
        CreditRecognition.objects.update_or_create(
            program=Program.objects.filter(code=code).order_by("-version").first(),
            reference=reference,
            defaults={"recognising_institution": name, "recognising_url": url, "credits": credits,
                      "credit_system": "ECTS", "toward": toward, "valid_from": datetime.date(2026, 1, 1)},
        )  # fmt: skip
