import pytest

from catalog.filters import ProgramFilter
from tests.factories import SubjectAreaFactory

pytestmark = pytest.mark.django_db


def test_refinements_count_the_filters_in_use_besides_the_search_words():
    subject = SubjectAreaFactory()
    filters = ProgramFilter({"q": "data", "subject": subject.pk, "delivery_mode": "online", "cost_max": ""})
    assert filters.refinements == 2


def test_no_refinements_without_filters_or_with_invalid_ones():
    assert ProgramFilter(None).refinements == 0
    assert ProgramFilter({"cost_max": "cheap", "level": "6"}).refinements == 0
