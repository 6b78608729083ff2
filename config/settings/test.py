"""Test settings: fast hashing, in-memory email, eager Celery unless a test opts into a real worker.

Integration tests start a real Celery worker with this module and the variables below, pointing it at the
file-backed test database and a real Redis.
"""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, PRIVATE_STORAGE, STORAGES, env

SECRET_KEY = "test-only-secret-key-not-for-production"  # noqa: S105
REGISTRY_KEY_SECRET = "test-only-key-encryption-secret"  # noqa: S105
REGISTRY_PUBLIC_URL = "https://registry.example.edu"
DEBUG = False
(BASE_DIR / "var").mkdir(exist_ok=True)  # the file-backed test database lives there; absent in a fresh clone
_SQLITE_OPTIONS = {"transaction_mode": "IMMEDIATE", "timeout": 30}
# TEST_DATABASE_URL runs the suite on another database (PostgreSQL); by default it runs on SQLite.
_TEST_DATABASE_URL = env("TEST_DATABASE_URL", default="")
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        # A worker process is given the test database's file directly.
        "NAME": env("TEST_WORKER_DATABASE", default=str(BASE_DIR / "var" / "test.sqlite3")),
        "OPTIONS": _SQLITE_OPTIONS,
        # A file, not :memory:, so a separate Celery worker process can share it; one per pytest process, so
        # two runs side by side (xdist adds its own suffix) never write to each other's database.
        "TEST": {"NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")},
    }
}
if _TEST_DATABASE_URL:
    DATABASES = {"default": env.db_url_config(_TEST_DATABASE_URL)}
    if env("TEST_WORKER_DATABASE", default=""):  # a Celery worker started by a test joins that test's database
        DATABASES["default"]["NAME"] = env("TEST_WORKER_DATABASE")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default="cache+memory://")
STATIC_ROOT = None  # tests never collect static files; WhiteNoise then skips its directory check
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"
STORAGES = {**STORAGES, "private": {**PRIVATE_STORAGE, "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}}}
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
