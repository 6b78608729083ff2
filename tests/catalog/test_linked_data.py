"""The catalog as linked data: CTDL graphs for the credential registry and schema.org on program pages."""

import json
import re

import pytest
from django.conf import settings

from catalog.models import Program
from catalog.services import program_new_version
from demo import catalog_data as demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_catalog(registrar, approver):
    demo.load_catalog(registrar=registrar, approver=approver)


def _graph(client, program):
    response = client.get(f"/programs/{program.slug}/ctdl.json")
    assert response["Content-Type"] == "application/ld+json"
    return response.json()


def test_a_demo_microcredential_s_ctdl_graph(client, demo_catalog):
    program = Program.objects.published().get(code="DATA-101")
    graph = _graph(client, program)
    assert graph["@context"] == "https://credreg.net/ctdl/schema/context/json"
    credential, organisation = graph["@graph"]
    page = settings.REGISTRY_PUBLIC_URL + program.get_absolute_url()
    assert credential["@type"] == "ceterms:MicroCredential"
    assert re.fullmatch(
        r"ce-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", credential["ceterms:ctid"]
    )
    assert credential["ceterms:name"] == {"en": program.title}
    assert credential["ceterms:description"] == {"en": program.description}
    assert credential["ceterms:subjectWebpage"] == page
    assert credential["ceterms:ownedBy"] == credential["ceterms:offeredBy"] == [organisation["@id"]]
    assert credential["ceterms:credentialStatusType"]["ceterms:targetNode"] == "credentialStat:Active"
    assert program.version == 2 and program.effort_hours == 55  # the demo's second version is the published one
    duration = {"@type": "ceterms:DurationProfile", "ceterms:exactDuration": "PT55H"}
    assert credential["ceterms:estimatedDuration"] == [duration]
    assert credential["ceterms:estimatedCost"][0]["ceterms:price"] == 450.0
    assert credential["ceterms:estimatedCost"][0]["ceterms:currency"] == "EUR"
    assert credential["ceterms:creditValue"][0]["schema:value"] == 2.0
    assert credential["ceterms:creditValue"][0]["qdata:creditUnitType"][0]["ceterms:targetNode"] == "creditUnit:ECTS"
    assert credential["ceterms:audienceLevelType"][0]["ceterms:targetNode"] == "audLevel:EQF5"
    competencies = credential["ceterms:requires"][0]["ceterms:targetCompetency"]
    assert {c["ceterms:codedNotation"] for c in competencies} == set(
        program.competencies.values_list("code", flat=True)
    )
    assert organisation["@type"] == "ceterms:CredentialOrganization"
    assert organisation["ceterms:name"] == {"en": program.institution.name}


def test_a_pathway_award_lists_its_component_programs(client, demo_catalog):
    award = Program.objects.get(code="CERT-DA")
    credential = _graph(client, award)["@graph"][0]
    assert credential["@type"] == "ceterms:Certificate"
    parts = {url.rsplit("/programs/", 1)[1].split("/")[0] for url in credential["ceterms:hasPart"]}
    assert {"data-101-v1", "data-102-v1", "data-202-v1"} <= parts


def test_a_new_version_keeps_the_ctid(demo_catalog, registrar):
    program = Program.objects.published().get(code="DATA-102")
    assert program_new_version(program=program, user=registrar).ctid == program.ctid
    assert Program.objects.exclude(code="DATA-102").filter(ctid=program.ctid).count() == 0


def test_a_draft_has_no_public_ctdl(client, demo_catalog):
    draft = Program.objects.filter(status=Program.Status.DRAFT).first()
    assert client.get(f"/programs/{draft.slug}/ctdl.json").status_code == 404


def test_the_program_page_embeds_schema_org_course_and_credential(client, demo_catalog):
    program = Program.objects.published().get(code="DATA-101")
    page = client.get(program.get_absolute_url()).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL).group(1)
    course = json.loads(block)
    assert (course["@context"], course["@type"], course["courseCode"]) == ("https://schema.org", "Course", "DATA-101")
    assert course["timeRequired"] == "PT55H" and course["offers"]["price"] == "450.00"
    credential = course["educationalCredentialAwarded"]
    assert credential["@type"] == "EducationalOccupationalCredential"
    assert credential["recognizedBy"]["name"] == program.institution.name


def test_the_embedded_json_cannot_close_its_script_element(client, demo_catalog):
    program = Program.objects.published().get(code="DATA-101")
    Program.objects.filter(pk=program.pk).update(summary="</script><script>alert(1)</script>")
    page = client.get(program.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.DOTALL).group(1)
    assert json.loads(block)["description"] == "</script><script>alert(1)</script>"


def test_an_issued_credential_links_to_its_ctdl_record(passed_attempt):
    from awards.models import Award
    from tests.awards.helpers import credential_of

    award = Award.objects.get()
    record = credential_of(award)["credentialSubject"]["achievement"]["alignment"][-1]
    assert record["targetType"] == "ceterms:Credential" and record["targetCode"] == award.program.ctid
    assert record["targetUrl"].endswith(f"/programs/{award.program.slug}/ctdl.json")
