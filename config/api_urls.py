"""The versioned REST API under /api/v1/: the OpenAPI schema and its documentation, then each app's ``api``
module (its read-only views beside its services and selectors) as the partner API adds them.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from awards import api as awards_api
from catalog import api as catalog_api
from partners import api as partners_api

app_name = "api"

router = SimpleRouter(trailing_slash=False)
catalog_api.register(router)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    *router.urls,
    *awards_api.urlpatterns,
    *partners_api.urlpatterns,
]
