import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from catalog.models import Competency, CreditRecognition, Pathway, Program, TransferAgreement
from demo import catalog_data as demo
from tests.factories import (
    EscoSkillFactory,
    PathwayFactory,
    ProgramFactory,
    UserFactory,
    add_rule,
    confirm_mapping,
    published_program,
    rubric_with_criteria,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_catalog(registrar, approver):
    demo.load_catalog(registrar=registrar, approver=approver)
    confirm_mapping(Competency.objects.get(code="VISL"), EscoSkillFactory(name="data visualisation software"))
    program = Program.objects.published().first()
    on = datetime.date(2026, 1, 1)
    CreditRecognition.objects.create(
        program=program, recognising_institution="Southbridge", credits=5, credit_system="ECTS", toward="BSc data",
        valid_from=on, reference="SB-1",
    )  # fmt: skip
    TransferAgreement.objects.create(
        issuer_id="did:key:z6Mk", issuer_name="Data Corp", counts_as=program, valid_from=on, reference="T-1"
    )


def _admin_models(app_label):
    return [model for model in admin.site._registry if model._meta.app_label == app_label]


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize(
    "model",
    # The approval queue is the approver's (tests/catalog/test_approval_queue.py).
    [m for m in _admin_models("catalog") if m._meta.model_name != "programapproval"],
    ids=lambda m: m._meta.model_name,
)
def test_changelist_and_change_form_load_for_registrar(registrar_client, demo_catalog, model):
    assert registrar_client.get(_url(model, "changelist")).status_code == 200
    assert registrar_client.get(_url(model, "changelist"), {"q": "data"}).status_code == 200
    instance = model.objects.order_by("pk").last()
    assert registrar_client.get(_url(model, "change", instance.pk)).status_code == 200
    assert registrar_client.get(_url(model, "history", instance.pk)).status_code == 200


@pytest.mark.parametrize(
    "model",
    # Rules are edited inside their pathway; mappings are suggested from the competency list, never added by hand.
    [
        m
        for m in _admin_models("catalog")
        if m._meta.model_name not in ("pathwayrule", "competencymapping", "programapproval", "programdecision")
    ],
    ids=lambda m: m._meta.model_name,
)
def test_add_form_loads_for_registrar(registrar_client, model):
    assert registrar_client.get(_url(model, "add")).status_code == 200


def _run_action(client, action, program):
    return client.post(_url(Program, "changelist"), {"action": action, "_selected_action": [program.pk]}, follow=True)


def _approve_in_queue(client, program):
    page = client.get(reverse("admin:catalog_programapproval_change", args=[program.pk]))
    return client.post(
        reverse("admin:catalog_programapproval_change", args=[program.pk]),
        {"_approve": "Approve", "reviewed_digest": page.context["reviewed_digest"]},
        follow=True,
    )


def test_the_program_list_offers_no_bulk_approval_an_approver_decides_in_the_queue(client, registrar, approver):
    program = ProgramFactory(created_by=registrar, status=Program.Status.IN_REVIEW)
    client.force_login(approver)
    page = client.get(_url(Program, "changelist"))
    assert "approve" not in str(page.context["action_form"].fields["action"].choices)
    _approve_in_queue(client, program)
    program.refresh_from_db()
    assert (program.status, program.approved_by) == (Program.Status.APPROVED, approver)


def test_author_approving_own_program_in_the_queue_gets_an_error_message(client):
    author = UserFactory(groups=["Registrar", "Program approver"])
    program = ProgramFactory(created_by=author, status=Program.Status.IN_REVIEW, submitted_by=author)
    client.force_login(author)
    response = _approve_in_queue(client, program)
    program.refresh_from_db()
    assert program.status == Program.Status.IN_REVIEW
    assert "another approver must" in response.content.decode()


def test_publish_action_reports_why_it_failed(registrar_client, registrar):
    program = ProgramFactory(created_by=registrar, status=Program.Status.APPROVED)
    response = _run_action(registrar_client, "publish", program)
    assert "has no assessment rubric" in response.content.decode()


def test_published_program_credential_fields_are_read_only_in_admin(registrar_client):
    program = ProgramFactory(status=Program.Status.PUBLISHED)
    rubric_with_criteria(program)
    form = registrar_client.get(_url(Program, "change", program.pk)).context["adminform"].form
    assert "title" not in form.fields
    assert "credit_value" not in form.fields
    assert "cost" in form.fields


def test_new_version_admin_action_creates_a_draft(registrar_client):
    program = ProgramFactory(status=Program.Status.PUBLISHED, code="SWE-101")
    registrar_client.post(_url(Program, "changelist"), {"action": "new_version", "_selected_action": [program.pk]})
    assert Program.objects.get(code="SWE-101", version=2).status == Program.Status.DRAFT


def _pathway_post(pathway, rules):
    data = {
        "institution": pathway.institution_id,
        "name": pathway.name,
        "slug": pathway.slug,
        "description": "",
        "award": pathway.award_id,
        "credit_toward": "",
        "is_published": "on",
        "rules-TOTAL_FORMS": len(rules),
        "rules-INITIAL_FORMS": 0,
        "rules-MIN_NUM_FORMS": 0,
        "rules-MAX_NUM_FORMS": 1000,
    }
    for index, (kind, programs, count) in enumerate(rules):
        data.update(
            {
                f"rules-{index}-order": index,
                f"rules-{index}-label": f"Rule {index}",
                f"rules-{index}-kind": kind,
                f"rules-{index}-required_count": count or "",
                f"rules-{index}-min_credits": "",
                f"rules-{index}-programs": [p.pk for p in programs],
            }
        )
    return data


def test_pathway_admin_rejects_a_cycle_with_a_message(registrar_client):
    first = PathwayFactory(award__code="CERT-A")
    second = PathwayFactory(award__code="CERT-B")
    add_rule(first, "all_of", [second.award])
    response = registrar_client.post(
        _url(Pathway, "change", second.pk), _pathway_post(second, [("all_of", [first.award], None)])
    )
    assert response.status_code == 200
    assert "cycle: CERT-B → CERT-A → CERT-B" in response.content.decode()
    assert not second.rules.exists()


def test_pathway_admin_rejects_an_impossible_n_of_rule(registrar_client):
    pathway = PathwayFactory()
    response = registrar_client.post(
        _url(Pathway, "change", pathway.pk), _pathway_post(pathway, [("n_of", [published_program()], 2)])
    )
    assert "needs 2 of only 1 components" in response.content.decode()


def test_pathway_admin_saves_valid_rules(registrar_client):
    pathway = PathwayFactory()
    programs = [published_program(), published_program()]
    response = registrar_client.post(
        _url(Pathway, "change", pathway.pk), _pathway_post(pathway, [("n_of", programs, 1)])
    )
    assert response.status_code == 302
    assert set(pathway.rules.get().programs.all()) == set(programs)


def test_catalog_change_history_shows_the_registrar(registrar_client):
    program = ProgramFactory()
    data = {f.name: getattr(program, f.attname) for f in Program._meta.fields if f.editable and f.name != "id"}
    data.update(
        {
            "image": "",
            "level": "",
            "validity_months": "",
            "title": "Renamed",
            "alignments-TOTAL_FORMS": 0,
            "alignments-INITIAL_FORMS": 0,
            "alignments-MIN_NUM_FORMS": 0,
            "alignments-MAX_NUM_FORMS": 1000,
        }
    )
    response = registrar_client.post(_url(Program, "change", program.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = program.history.latest()
    assert (latest.title, latest.history_user.username) == ("Renamed", "registrar")
    assert "Renamed" in registrar_client.get(_url(Program, "history", program.pk)).content.decode()
