"""Test settings: fast hashing, in-memory email, eager Celery unless a test opts into a real worker."""

from .base import *  # noqa: F403
from .base import BASE_DIR

SECRET_KEY = "test-only-secret-key-not-for-production"  # noqa: S105
DEBUG = False
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(BASE_DIR / "var" / "test.sqlite3"),
        "TEST": {"NAME": None},
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = "cache+memory://"
STATIC_ROOT = None  # tests never collect static files; WhiteNoise then skips its directory check
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
