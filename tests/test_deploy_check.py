import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _production_env(tmp_path):
    """The environment a production process gets: every required setting, a throwaway database."""
    return {
        **{key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-for-the-check-only",
        "DJANGO_ALLOWED_HOSTS": "registry.example.edu",
        "REGISTRY_KEY_SECRET": "a-separate-long-random-key-encryption-secret",
        "REGISTRY_PUBLIC_URL": "https://registry.example.edu",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = _production_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.production", DJANGO_ALLOWED_HOSTS="registry.example.edu")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_gunicorn_loads_the_wsgi_application(tmp_path):
    env = _production_env(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "config.wsgi:application"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
