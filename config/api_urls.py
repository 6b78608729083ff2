"""The versioned REST API under /api/v1/: the OpenAPI schema and its documentation, then each app's ``api``
module (its read-only views beside its services and selectors) as the partner API adds them.
"""

from django.urls import path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from awards import api as awards_api
from catalog import api as catalog_api
from guidance import api as guidance_api
from partners import api as partners_api

app_name = "api"


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
@authentication_classes([])
@throttle_classes([])
def not_found(request, path=""):
    """Anything under /api/v1/ that no route matches: a problem document, not Django's HTML page."""
    raise NotFound("There is no such resource in this API.")


router = SimpleRouter(trailing_slash=False)
catalog_api.register(router)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    *router.urls,
    *awards_api.urlpatterns,
    *partners_api.urlpatterns,
    *guidance_api.urlpatterns,
    re_path(r"^(?P<path>[\s\S]*)$", not_found, name="not-found"),  # last: problem details for unknown paths
]
