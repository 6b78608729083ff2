import pytest
from django.urls import reverse


@pytest.fixture
def post_program_change(registrar_client):
    """Posts a program's admin change form as it was shown, with ``changes``; returns the response."""

    def post(program, **changes):
        url = reverse("admin:catalog_program_change", args=[program.pk])
        form = registrar_client.get(url).context["adminform"].form
        data = {
            name: value for name, value in form.initial.items() if value is not None and not isinstance(value, list)
        }
        data.update({"image": "", "prerequisites": [], "tags": [], "translations": "{}"})
        data.update({"alignments-TOTAL_FORMS": "0", "alignments-INITIAL_FORMS": "0", **changes})
        return registrar_client.post(url, data)

    return post
