import pytest

pytestmark = pytest.mark.django_db


def test_the_openapi_schema_is_served_at_api_v1(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.1")
    assert schema["info"]["title"] == "Microcredential Registry API"


@pytest.mark.parametrize("url", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_api_documentation_is_served_from_local_static_files(client, url):
    page = client.get(url).content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn." not in page and "unpkg" not in page


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here", "/api/v1/programs/0.5", "/api/v1/credentials/x%0Ay/verification"]
)
def test_unknown_api_paths_answer_with_a_problem_document(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
