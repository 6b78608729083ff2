import pytest
from django.core.files.storage import storages

from awards.models import Award
from learners.models import Evidence


@pytest.mark.parametrize("field", [Evidence._meta.get_field("file"), Award._meta.get_field("certificate")])
def test_private_files_use_the_private_storage_alias(field):
    assert field.storage is storages["private"]


def test_private_files_have_no_url():
    with pytest.raises(ValueError, match="no URL"):
        storages["private"].url("evidence/x/report.pdf")
