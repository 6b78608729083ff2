from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy
from django.views.generic import RedirectView

from awards import views as awards_views
from config import health
from workspace.admin_shell import staff_only_page

admin.site.site_header = gettext_lazy("Microcredential Registry — registrar")
admin.site.site_title = gettext_lazy("Registry admin")
# The registrar's lists are wide (filters on the right); the app list is one click away on the index.
admin.site.enable_nav_sidebar = False
# Staff sign in through allauth, so its rate limits (and, later, MFA) guard the accounts that sign and revoke;
# a signed-in learner is shown the way back to their own pages instead.
admin.site.login = staff_only_page(secure_admin_login(admin.site.login))

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Browsers ask for /favicon.ico where a page links no icon (JSON, the API docs); resolved per request, as the
    # static file's hashed name exists only after collectstatic.
    path("favicon.ico", RedirectView.as_view(url=lazy(static_url, str)("favicon.svg")), name="favicon"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the language switcher posts here
    path("api/v1/", include("config.api_urls")),
    path(".well-known/did.json", awards_views.did_document, name="did-document"),
    path("", include("awards.urls")),
    path("me/", include("portal.urls")),
    path("", include("partners.urls")),
    path("", include("quality.urls")),
    path("", include("guidance.urls")),
    path("", include("wallets.urls")),
    path("oauth/", include("wallets.oauth_urls")),  # django-oauth-toolkit, in its own namespace
    path("", include("catalog.urls")),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
