"""Development: embedded defaults so the project runs with no configuration at all."""

import secrets

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)


def _dev_secret_key():
    # Generated once per checkout and kept out of version control (.gitignore).
    path = BASE_DIR / ".dev-secret-key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = env("DJANGO_SECRET_KEY", default=None) or _dev_secret_key()
REGISTRY_KEY_SECRET = env("REGISTRY_KEY_SECRET", default=None) or SECRET_KEY
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)
