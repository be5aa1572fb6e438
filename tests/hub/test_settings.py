"""Configuration: embedded by default, production by environment variables."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(settings.BASE_DIR)

PRODUCTION = {
    "SECRET_KEY": "x7!k2-production-secret-key-for-the-deploy-check-4c1f9a0b8e7d6c5b4a3f2e1d",
    "ALLOWED_HOSTS": "hub.innomed-up.eu",
    "HTTPS": "true",
    "SITE_URL": "https://hub.innomed-up.eu",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "EMAIL_HOST": "smtp.example.org",
}


def run_manage(*args: str, extra_env: dict[str, str]) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in PRODUCTION and key != "DEBUG"}
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_deploy_check_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", extra_env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_deploy_check_flags_the_development_defaults():
    result = run_manage("check", "--deploy", extra_env={})
    output = result.stderr + result.stdout
    assert "security.W009" in output  # the fixed development SECRET_KEY
    assert "hub.W001" in output  # a per-process cache cannot serve several workers


def test_embedded_defaults_need_no_services():
    script = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='hub.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], repr(s.ELASTICSEARCH_URL),"
        " s.TASKS['default']['BACKEND'])"
    )
    env = {
        key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "CACHE_URL", "ELASTICSEARCH_URL")
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.locmem.LocMemCache",
        "''",
        "django_tasks.backends.immediate.ImmediateBackend",
    ]


def test_every_setting_variable_is_listed_in_env_example():
    import re

    source = (ROOT / "hub" / "settings.py").read_text()
    variables = set(re.findall(r'env(?:_bool|_list|_int)?\("([A-Z_]+)"', source))
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#?\s*([A-Z_]+)=", example, flags=re.MULTILINE))
    assert variables, "no variables found in settings"
    assert variables <= listed, f"missing from .env.example: {sorted(variables - listed)}"


def test_languages_are_listed_once():
    """Everything language-dependent derives from settings.LANGUAGES."""
    from modeltranslation.settings import AVAILABLE_LANGUAGES

    codes = [code for code, _ in settings.LANGUAGES]
    assert {"en", "el", "it", "ar"} <= set(codes)
    assert list(AVAILABLE_LANGUAGES) == codes
    assert settings.MODELTRANSLATION_DEFAULT_LANGUAGE == settings.LANGUAGE_CODE == codes[0]


PRODUCTION_STATIC_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_static_files_collect_into_the_production_manifest(tmp_path, settings):
    # `make run` and production collect with hashed names: a stylesheet pointing
    # at a missing file stops collectstatic (and so the site's start).
    production = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STATIC_STORAGE}}
    with override_settings(STATIC_ROOT=str(tmp_path), STORAGES=production):
        call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("fonts/*.woff2"))
