import pytest
from django.urls import reverse

from catalog.models import Program
from demo import catalog_data as demo

pytestmark = pytest.mark.django_db
LIST = reverse("catalog:program-list")


@pytest.fixture
def catalog(registrar, approver):
    demo.load_catalog(registrar=registrar, approver=approver)


def _titles(response):
    return [program.title for program in response.context["page"]]


def test_catalog_lists_published_microcredentials_only(client, catalog):
    titles = _titles(client.get(LIST))
    assert "Data Wrangling with Python" in titles
    assert "Deep Learning in Practice" not in titles  # a draft
    assert "Certificate in Data Analytics" not in titles  # a pathway award, listed under pathways


def test_search_covers_titles_descriptions_and_competencies(client, catalog):
    assert _titles(client.get(LIST, {"q": "penetration"})) == ["Ethical Hacking and Penetration Testing"]
    assert "Machine Learning Foundations" in _titles(client.get(LIST, {"q": "Machine learning"}))
    assert set(_titles(client.get(LIST, {"q": "visualisation"}))) == {"Data Visualisation and Storytelling"}


@pytest.mark.parametrize(
    ("params", "check"),
    [
        ({"delivery_mode": "in_person"}, lambda p: p.delivery_mode == "in_person"),
        ({"level": "6"}, lambda p: p.level == 6),
        ({"cost_max": "400"}, lambda p: p.cost <= 400),
        ({"cost_min": "500", "cost_max": "700"}, lambda p: 500 <= p.cost <= 700),
        ({"hours_max": "40"}, lambda p: p.effort_hours <= 40),
        ({"credits_min": "3"}, lambda p: p.credit_value >= 3),
    ],
)
def test_filters_narrow_the_list(client, catalog, params, check):
    programs = list(client.get(LIST, params).context["page"])
    assert programs and all(check(program) for program in programs)
    assert len(programs) < Program.objects.published().filter(awarded_by_pathway__isnull=True).count()


def test_subject_and_skill_filters(client, catalog):
    subject = Program.objects.get(code="CYB-101", version=1).subject
    assert all(p.subject == subject for p in client.get(LIST, {"subject": subject.pk}).context["page"])
    competency = Program.objects.get(code="CYB-202").competencies.get(code="PENT")
    assert _titles(client.get(LIST, {"competency": competency.pk})) == ["Ethical Hacking and Penetration Testing"]


def test_invalid_filter_value_is_reported_beside_the_field(client, catalog):
    response = client.get(LIST, {"cost_max": "cheap"})
    assert response.context["filter"].form.errors["cost_max"] == ["Enter a number."]


def test_pagination(client, catalog):
    first = client.get(LIST)
    assert first.context["page"].paginator.num_pages == 2
    assert len(client.get(LIST, {"page": 2}).context["page"]) >= 1


def test_catalog_list_query_count_is_constant(client, catalog, django_assert_num_queries):
    from tests.factories import ProgramFactory

    # subject and skill choices, count, page, pathways — never one per program
    with django_assert_num_queries(5):
        client.get(LIST, {"page": 2})
    for _ in range(4):
        ProgramFactory(status=Program.Status.PUBLISHED)
    with django_assert_num_queries(5):
        client.get(LIST, {"page": 2})


def test_program_detail_shows_rubric_outcomes_and_pathways(client, catalog):
    program = Program.objects.get(code="DATA-102")
    content = client.get(program.get_absolute_url()).content.decode()
    assert "Chooses appropriate statistical tests" in content  # a rubric criterion
    assert "Exemplary" in content  # one of its levels
    assert "Certificate in Data Analytics" in content  # stacks into


def test_pathway_detail_shows_its_rules(client, catalog):
    from catalog.models import Pathway

    content = client.get(Pathway.objects.get(slug="cert-da").get_absolute_url()).content.decode()
    assert "Elective" in content and "N of 1" in content and "SQL for Analysts" in content
