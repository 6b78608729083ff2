"""Demo endorsements: two outside organisations vouch for data programs; credentials issued after the demo loads
carry them."""

from awards.models import Endorsement
from awards.services import endorsement_issue
from catalog.models import Program

ENDORSEMENTS = [
    ("DATA-101", "Northbridge Data Employers Forum", "employer", "https://employers.northbridge.example",
     "Graduates of this microcredential clean and reshape real data sets the way our analysts must on day one."),
    ("DATA-102", "Institute of Data Professionals", "professional_body", "https://idp.example",
     "Meets the Institute's standard for associate membership in SQL and data management."),
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
