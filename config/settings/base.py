"""Settings shared by every environment; values come from the environment (django-environ)."""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default=None)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# How many reverse proxies (load balancers, CDNs) in front of the web processes each append the address they got
# the request from to X-Forwarded-For. 0: clients connect directly and REMOTE_ADDR is theirs. N: the client's
# address is the Nth entry from the right (config.http.client_ip); entries further left are whatever the client
# sent, and are ignored. Set it to the real number: too high lets clients choose their address, too low makes all
# clients one (the proxy), so per-client rate limits and logs lump them together.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT  # sign-in rate limits count per client too

# The public origin of this registry: credential ids, the did:web issuer and QR codes are built from it.
REGISTRY_PUBLIC_URL = env("REGISTRY_PUBLIC_URL", default="http://localhost:8000").rstrip("/")
# Encrypts the issuer's private signing keys at rest. Production requires it from the environment.
REGISTRY_KEY_SECRET = env("REGISTRY_KEY_SECRET", default=None)
# Foreign DID documents and status lists fetched while verifying: bounded in time and size.
VERIFIER_FETCH_TIMEOUT = env.float("VERIFIER_FETCH_TIMEOUT", default=5.0)
VERIFIER_FETCH_MAX_BYTES = env.int("VERIFIER_FETCH_MAX_BYTES", default=512 * 1024)
# One verification's deadline, fetches, status list checks and JSON-LD work included: the work is checked
# against it as it goes, so a verification never holds a web worker much past it.
VERIFIER_TIME_BUDGET = env.float("VERIFIER_TIME_BUDGET", default=10.0)
# What verifying one credential may cost (awards/vc/limits.py): the JSON's shape is checked first, then the
# JSON-LD and canonicalization work is counted; past any bound the verdict is "Too complex to verify".
VERIFIER_MAX_JSON_VALUES = env.int("VERIFIER_MAX_JSON_VALUES", default=20_000)
VERIFIER_MAX_ARRAY_LENGTH = env.int("VERIFIER_MAX_ARRAY_LENGTH", default=1_000)
VERIFIER_MAX_CONTEXTS = env.int("VERIFIER_MAX_CONTEXTS", default=10)
VERIFIER_MAX_QUADS = env.int("VERIFIER_MAX_QUADS", default=20_000)
VERIFIER_MAX_BLANK_NODES = env.int("VERIFIER_MAX_BLANK_NODES", default=5_000)
VERIFIER_OPERATION_BUDGET = env.int("VERIFIER_OPERATION_BUDGET", default=500_000)
VERIFIER_CACHE_SECONDS = env.int("VERIFIER_CACHE_SECONDS", default=300)
VERIFIER_NEGATIVE_CACHE_SECONDS = env.int("VERIFIER_NEGATIVE_CACHE_SECONDS", default=60)
# Only public addresses are fetched; list networks (CIDR) to exempt, e.g. an issuer on the campus network.
VERIFIER_FETCH_ALLOWED_NETWORKS = env.list("VERIFIER_FETCH_ALLOWED_NETWORKS", default=[])
VERIFIER_FETCH_CA_FILE = env("VERIFIER_FETCH_CA_FILE", default=None)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "allauth",
    "allauth.account",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "rest_framework_api_key",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc served from our static files, no CDN
    "simple_history",
    "import_export",
    "nested_admin",
    "rangefilter",
    "catalog",
    "learners",
    "awards",
    "partners",
    "oauth2_provider",  # before wallets, whose admin module takes the token models off the admin site
    "wallets",
    "quality",
    "guidance",
    "portal",
    "workspace",
    "demo",
]

MIDDLEWARE = [
    "config.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.security.SecurityHeadersMiddleware",
    # Within the security headers (they apply to its answers), around the rest (it sees their errors too).
    "config.protocol_errors.JsonProtocolErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",  # the visitor's language: their choice, else the browser's
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",  # ETag and 304s for the API and the public pages
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers take the lock when their transaction starts, so concurrent workers queue instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 30})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
LOGIN_REDIRECT_URL = "/"
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Every sign-in, the admin's included (config/urls.py), goes through allauth and these limits. They count in
# the default cache: per process in development, shared through Redis in production (settings/production.py).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}

LANGUAGE_CODE = "en"
# The public pages and the portal speak English and French (locale/); the admin follows Django's own catalogs.
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
# Evidence and certificates: never served by URL, only through permission-checked views.
PRIVATE_MEDIA_ROOT = env.path("DJANGO_PRIVATE_MEDIA_ROOT", default=VAR_DIR / "private")
PRIVATE_STORAGE = {"BACKEND": "config.storages.PrivateFileSystemStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="registry@localhost")

# django-import-export's own exports get the same protection as config/spreadsheets.py gives ours.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
# No result backend by default: tasks record their outcome in the database.
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ACKS_LATE = True
# Fail fast when the broker is down: the award stays pending and beat's re-dispatch sweep sends it later.
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# One queue per kind of work, so a burst of PDF renders never delays signing; start workers per queue with -Q.
REGISTRY_CELERY_QUEUES = ["signing", "certificates", "notifications", "maintenance"]
CELERY_TASK_DEFAULT_QUEUE = "maintenance"
CELERY_TASK_ROUTES = {
    "awards.tasks.issue_award": {"queue": "signing"},
    "awards.tasks.issue_awards": {"queue": "signing"},
    "awards.tasks.render_certificate": {"queue": "certificates"},
    "awards.tasks.queue_certificates": {"queue": "certificates"},
    "partners.tasks.deliver_webhook": {"queue": "notifications"},
    "quality.tasks.email_survey_invitation": {"queue": "notifications"},
    "quality.tasks.email_follow_up": {"queue": "notifications"},
    "awards.tasks.email_notices": {"queue": "notifications"},
    "workspace.tasks.export_list": {"queue": "maintenance"},
    "catalog.tasks.email_submitter_decision": {"queue": "notifications"},
}
# Celery beat: recovery and housekeeping that must not depend on anyone remembering a command.
# A killed worker's unacknowledged task comes back after the visibility timeout; beat's sweep covers the rest.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_BEAT_SCHEDULE = {
    "redispatch-stale-work": {
        "task": "awards.tasks.redispatch_stale_work",
        "schedule": env.float("REGISTRY_REDISPATCH_EVERY_SECONDS", default=300.0),
        "kwargs": {"older_than_seconds": env.float("REGISTRY_REDISPATCH_AFTER_SECONDS", default=300.0)},
    },
    "purge-expired-shares": {"task": "partners.tasks.purge_expired_shares", "schedule": 24 * 3600.0},
    "redispatch-unsent-webhooks": {
        "task": "partners.tasks.redispatch_unsent_webhooks",
        "schedule": env.float("REGISTRY_REDISPATCH_EVERY_SECONDS", default=300.0),
        "kwargs": {"older_than_seconds": env.float("REGISTRY_REDISPATCH_AFTER_SECONDS", default=300.0)},
    },
    "invite-outcome-follow-ups": {"task": "quality.tasks.invite_outcome_follow_ups", "schedule": 24 * 3600.0},
    "send-expiry-reminders": {"task": "awards.tasks.send_expiry_reminders", "schedule": 24 * 3600.0},
    "purge-expired-wallet-secrets": {"task": "wallets.tasks.purge_expired_secrets", "schedule": 3600.0},
    "purge-expired-exports": {"task": "workspace.tasks.purge_expired_exports", "schedule": 24 * 3600.0},
}
# Admin list exports (workspace.exports): up to this many rows the file is answered at once, above it a worker
# builds it and the registrar follows its progress; finished files are deleted after the retention period.
REGISTRY_EXPORT_INLINE_ROWS = env.int("REGISTRY_EXPORT_INLINE_ROWS", default=2000)
REGISTRY_EXPORT_RETENTION = timedelta(days=env.int("REGISTRY_EXPORT_RETENTION_DAYS", default=7))
# Program quality: learner-reported figures are shown only for groups at least this large (anonymity), and a
# published program is due for review this many months after publication or its last review.
QUALITY_MIN_GROUP_SIZE = env.int("QUALITY_MIN_GROUP_SIZE", default=5)
QUALITY_REVIEW_INTERVAL_MONTHS = env.int("QUALITY_REVIEW_INTERVAL_MONTHS", default=12)
# The skills framework the catalog's competencies are mapped to (suggestions, alignments, guidance).
SKILL_REFERENCE_FRAMEWORK = "ESCO"
# Learner guidance: goals per learner; how many skills a goal read from text keeps and how close they must be
# (TF-IDF cosine); how many programs are recommended; from what share of a pathway a learner is nudged; and the
# longest a stored recommendation is served (changes to results, goals and the catalog discard it sooner).
GUIDANCE_MAX_GOALS = env.int("GUIDANCE_MAX_GOALS", default=3)

# Wallets: offers are single-use and short-lived; OpenID4VCI tokens and nonces live briefly; five wrong PINs end
# an offer (a six-digit PIN then has a 1 in 200,000 chance of being guessed).
WALLET_OFFER_LIFETIME = timedelta(minutes=env.int("WALLET_OFFER_MINUTES", default=10))
WALLET_TOKEN_LIFETIME = timedelta(minutes=5)
WALLET_TX_CODE_ATTEMPTS = 5
WALLET_ISSUER_NAME = env("WALLET_ISSUER_NAME", default="Microcredential Registry")
WALLET_LCW_REQUEST_URL = env("WALLET_LCW_REQUEST_URL", default="https://lcw.app/request.html")
# Nothing is delivered until the learner approves the wallet's DID on their offer page
# (docs/decisions/0008-wallet-offer-binding.md). The wallet's request waits this long for the decision (keep it
# below gunicorn's --timeout, 30 s), looking every WALLET_APPROVAL_POLL; at most WALLET_APPROVAL_MAX_WAITING
# requests wait at once (each holds a web worker, so keep it below the web tier's workers or threads; counted in
# the default cache, so shared by every process through Redis in production), the others are answered at once and
# ask again.
WALLET_APPROVAL_WAIT = timedelta(seconds=env.int("WALLET_APPROVAL_WAIT_SECONDS", default=20))
WALLET_APPROVAL_POLL = timedelta(seconds=1)
WALLET_APPROVAL_MAX_WAITING = env.int("WALLET_APPROVAL_MAX_WAITING", default=2)
# Offers a learner may have open (open, waiting for approval or approved) at once: enough for a few wallets, and
# one account cannot make offers without end to keep wallets' requests waiting.
WALLET_OFFERS_PER_LEARNER = env.int("WALLET_OFFERS_PER_LEARNER", default=5)
# An OpenID4VCI c_nonce is signed, not stored: it carries its expiry, and is recorded only when a proof uses it.
WALLET_NONCE_LIFETIME = timedelta(minutes=5)

# The 1EdTech Open Badges 3.0 / CLR 2.0 REST APIs: django-oauth-toolkit with the specifications' scopes, the
# authorisation code grant with PKCE (S256 only), open client registration (RFC 7591, rate-limited per address),
# tokens stored hashed, refresh tokens rotated.
OAUTH2_PROVIDER = {
    "SCOPES": {
        "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly": _("Read your Open Badges credentials"),
        "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.readonly": _("Read your name and email address"),
        "https://purl.imsglobal.org/spec/clr/v2p0/scope/credential.readonly": _(
            "Read your Comprehensive Learner Record"
        ),
        "https://purl.imsglobal.org/spec/clr/v2p0/scope/profile.readonly": _("Read your name and email address (CLR)"),
        "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.upsert": _(
            "Add Open Badges credentials other issuers gave you to your record here"
        ),
        "https://purl.imsglobal.org/spec/ob/v3p0/scope/profile.update": _("Change the name this registry calls you by"),
        "https://purl.imsglobal.org/spec/clr/v2p0/scope/credential.upsert": _(
            "Add Comprehensive Learner Records other issuers gave you to your record here"
        ),
        "https://purl.imsglobal.org/spec/clr/v2p0/scope/profile.update": _(
            "Change the name this registry calls you by (CLR)"
        ),
        # Every platform receives a refresh token (RFC 6749 §6), so the 1EdTech registrations' offline_access asks
        # for nothing more; granting it, and naming it on the consent page, tells the learner so.
        "offline_access": _("Keep this access between your visits, until you withdraw it"),
    },
    "DEFAULT_SCOPES": ["https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly"],
    "PKCE_REQUIRED": True,
    # RFC 9700 (OAuth 2.0 Security BCP) throughout: no implicit or password grant, S256 only, tokens only in the
    # Authorization header, the `iss` response parameter, hashed tokens, refresh token replay revokes the family.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    # Only the authorisation code and refresh token grants: no client credentials, password or device code grant,
    # whose tokens act for no learner. The validator revokes what a replayed code was exchanged for.
    "OAUTH2_SERVER_CLASS": "oauthlib.oauth2.WebApplicationServer",
    "OAUTH2_VALIDATOR_CLASS": "wallets.oauth_server.Validator",
    "OAUTH2_GRANT_TYPES_SUPPORTED": ["authorization_code", "refresh_token"],
    "OAUTH2_RESPONSE_TYPES_SUPPORTED": ["code"],
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "REFRESH_TOKEN_EXPIRE_SECONDS": 90 * 24 * 3600,
    "ROTATE_REFRESH_TOKEN": True,
    "DCR_ENABLED": True,
    "DCR_REGISTRATION_PERMISSION_CLASSES": ("oauth2_provider.dcr.AllowAllDCRPermission",),
}
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"  # named so migrations can depend on it
IMS_REGISTRATIONS_PER_HOUR = env.int("IMS_REGISTRATIONS_PER_HOUR", default=20)
GUIDANCE_PROFILE_SIZE = env.int("GUIDANCE_PROFILE_SIZE", default=15)
GUIDANCE_MATCH_THRESHOLD = env.float("GUIDANCE_MATCH_THRESHOLD", default=0.08)
GUIDANCE_MIN_POSTING_LENGTH = 80
GUIDANCE_MAX_RECOMMENDATIONS = env.int("GUIDANCE_MAX_RECOMMENDATIONS", default=5)
GUIDANCE_NUDGE_PERCENT = env.int("GUIDANCE_NUDGE_PERCENT", default=50)
GUIDANCE_CACHE_MAX_AGE = timedelta(hours=env.int("GUIDANCE_CACHE_MAX_AGE_HOURS", default=6))
GUIDANCE_ALSO_TOOK_MIN_LEARNERS = env.int("GUIDANCE_ALSO_TOOK_MIN_LEARNERS", default=3)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Partners authenticate with `Authorization: Api-Key <key>`; a session reaches only the learner's own
    # endpoints (/api/v1/me/…), which say so themselves.
    "DEFAULT_AUTHENTICATION_CLASSES": ["partners.authentication.PartnerKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["config.api.HasKey"],  # public endpoints say AllowAny themselves
    "DEFAULT_THROTTLE_CLASSES": [
        "config.api.AnonymousRateThrottle",
        "config.api.KeyRateThrottle",
        "config.api.KeyDailyQuota",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_ANONYMOUS_RATE", default="60/min"),
        "user": env("API_LEARNER_RATE", default="120/min"),
    },
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "config.api.Cursor",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["config.api.UntrustedJSONParser"],
    "EXCEPTION_HANDLER": "config.api.problem_details_handler",
    # Without it DRF keys anonymous rate limits on the whole X-Forwarded-For header, which clients write.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Batch verification: one deadline and one operation budget for the whole batch (100 of this registry's
# credentials cost about 65,000 operations, and the first contexts a fresh process reads about 150,000).
VERIFIER_BATCH_TIME_BUDGET = env.float("VERIFIER_BATCH_TIME_BUDGET", default=20.0)
VERIFIER_BATCH_OPERATION_BUDGET = env.int("VERIFIER_BATCH_OPERATION_BUDGET", default=2_000_000)
# Partner webhooks go through the same outbound guard as the verifier's fetches.
WEBHOOK_TIMEOUT = env.float("WEBHOOK_TIMEOUT", default=5.0)
WEBHOOK_ALLOWED_NETWORKS = env.list("WEBHOOK_ALLOWED_NETWORKS", default=[])
WEBHOOK_CA_FILE = env("WEBHOOK_CA_FILE", default=None)
# The share page (/shared/<token>/): pages each client may open a minute, and how long one client's reads of one
# share make a single entry in the learner's "Who looked".
SHARE_PAGE_VIEWS_PER_MINUTE = env.int("SHARE_PAGE_VIEWS_PER_MINUTE", default=30)
SHARE_ACCESS_LOG_MINUTES = env.int("SHARE_ACCESS_LOG_MINUTES", default=60)
SPECTACULAR_SETTINGS = {
    "TITLE": "Microcredential Registry API",
    "DESCRIPTION": (
        "Read-only API for partner employers. Catalog endpoints and the verification of one credential are "
        "public; everything else needs `Authorization: Api-Key <key>` with the right scope (catalog, verify, "
        "talent). Errors are RFC 9457 problem details (`application/problem+json`)."
    ),
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.document_problems",
    ],
}

# Every log line carries the request id (config/request_id.py), in the web process and the tasks it queued.
# DJANGO_LOG_FORMAT=json gives one JSON object per line (production's default).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.request_id.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "config.request_id.JSONFormatter"},
        # Control characters in a record (a did:web with %0a, a header, a URL) are escaped: one record, one line.
        "text": {
            "class": "config.log_safety.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": env("DJANGO_LOG_FORMAT", default="text"),
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own handlers (its console one prints records unescaped when DEBUG) give way to the one above.
        "django": {"level": "INFO"},
        # WeasyPrint reports every rendering step at INFO; its warnings (a missing image, a bad CSS rule) still show.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
