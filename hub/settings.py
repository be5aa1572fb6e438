"""Settings for the INNOMED-UP Knowledge Hub.

Every environment variable is read here and listed in `.env.example`. Without
any variable the Hub runs embedded (SQLite, local-memory cache, embedded search,
tasks in-process); production services are switched on by variables alone.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    return value.strip().lower() in _TRUE if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = env(name)
    try:
        return int(value) if value else default
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from error


# --- Core -----------------------------------------------------------------

DEBUG = env_bool("DEBUG")
# HTTPS=true marks a production deployment: secure cookies, HSTS, redirects.
HTTPS = env_bool("HTTPS")
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if HTTPS:
        raise ImproperlyConfigured("SECRET_KEY must be set when HTTPS is on (production)")
    # A fixed development key keeps sessions alive across restarts on a laptop;
    # `check --deploy` flags it, so production must set SECRET_KEY.
    SECRET_KEY = "django-insecure-innomed-up-development-key-change-me"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILAPI_BASE_URL = SITE_URL
WAGTAIL_SITE_NAME = "INNOMED-UP Knowledge Hub"
# The city cluster page model, which feature apps reach through core.clusters.
HUB_CLUSTER_MODEL = "hub.ClusterPage"

INSTALLED_APPS = [
    # modeltranslation patches the models of the apps listed after it, and its
    # migrate command also adds the translated columns to Wagtail's Page.
    "wagtail_modeltranslation",
    "wagtail_modeltranslation.makemigrations",
    "wagtail_modeltranslation.migrate",
    "modeltranslation",
    "core",
    "hub",
    "casestudies",
    "courses",
    "experts",
    "search",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_countries",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (hub/middleware.py; settings under Security).
    "hub.middleware.HubCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before common: picks the language from the URL prefix and
    # redirects `/` by Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "hub.urls"
WSGI_APPLICATION = "hub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "hub" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several writers at once (gunicorn threads, an import, the search worker;
    # issue 11, finding 4): every transaction takes the write lock when it
    # begins (BEGIN IMMEDIATE), so none fails upgrading a read lock; a writer
    # waits up to DATABASE_BUSY_TIMEOUT seconds for the lock; WAL lets readers
    # go on while one writes (synchronous=NORMAL is safe with WAL).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("DATABASE_BUSY_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's PostgreSQL search index needs SearchVectorField and GinIndex.
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------

CACHE_URL = env("CACHE_URL")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "hub",
            "TIMEOUT": 600,
        }
    }
elif not CACHE_URL or CACHE_URL.startswith("locmem://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(f"CACHE_URL must be redis://… or locmem://, not {CACHE_URL!r}")

# --- Tasks ----------------------------------------------------------------

# Wagtail 8 queues background work through django-tasks; the immediate
# backend runs it in-process, after the transaction commits.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}}

# --- Search ---------------------------------------------------------------

ELASTICSEARCH_URL = env("ELASTICSEARCH_URL")
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", "hub")
EMBEDDED_SEARCH_PATH = env("EMBEDDED_SEARCH_PATH", str(BASE_DIR / "search_index.sqlite3"))
# Every backend listed here that keeps an index receives index updates;
# SEARCH_BACKEND answers queries, SEARCH_FALLBACKS when it cannot.
SEARCH_BACKENDS = {"embedded": {"BACKEND": "search.backends.embedded.EmbeddedBackend", "PATH": EMBEDDED_SEARCH_PATH}}
if ELASTICSEARCH_URL:
    SEARCH_BACKENDS["elasticsearch"] = {
        "BACKEND": "search.backends.elasticsearch.ElasticsearchBackend",
        "URL": ELASTICSEARCH_URL,
        "INDEX_PREFIX": ELASTICSEARCH_INDEX_PREFIX,
        # A dead cluster costs at most about a second per request.
        "TIMEOUT": 0.5,
        "MAX_RETRIES": 1,
    }
SEARCH_BACKENDS["database"] = {"BACKEND": "search.backends.database.DatabaseBackend"}
SEARCH_BACKEND = "elasticsearch" if ELASTICSEARCH_URL else "embedded"
# Who answers, in order, when SEARCH_BACKEND cannot (answers then say `degraded`).
SEARCH_FALLBACKS = ["embedded", "database"]
# --- Search worker and circuit breaker (issue 11, findings 5 and 6) ---------
# true: index updates queued by publishing are applied by the
# `manage.py search_index worker` process (`make run` starts one; production
# runs one beside gunicorn, docs/deployment.md), never in the editor's request,
# and a crash between commit and indexing heals by itself. false (the default
# for tests and `manage.py runserver`): applied in-process after the commit.
SEARCH_OUTBOX_WORKER = env_bool("SEARCH_OUTBOX_WORKER", default=False)
# Seconds the worker sleeps when the queue is empty.
SEARCH_WORKER_POLL_SECONDS = float(env_int("SEARCH_WORKER_POLL_MS", 1000)) / 1000
# Seconds a backend that failed (down, or timed out) is skipped by searches,
# which go straight to the fallback (search/breaker.py).
SEARCH_BREAKER_SECONDS = env_int("SEARCH_BREAKER_SECONDS", 30)
# Wagtail's admin search uses the database; the public search is the `search` app.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Languages ------------------------------------------------------------

# The one list of languages: URLs, switcher, hreflang, modeltranslation
# columns, seed content and tests all derive from it. Add a language here.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("el", _("Greek")),
    ("it", _("Italian")),
    ("ar", _("Arabic")),
]
LANGUAGES_BIDI = ["ar", "he", "fa", "ur"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
LOCALE_PATHS = [BASE_DIR / "locale"]

MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = (LANGUAGE_CODE,)
WAGTAILMODELTRANSLATION_TRANSLATE_SLUGS = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = False  # one page tree; modeltranslation holds the languages

# --- Static and media -----------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "hub" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# A missing manifest entry serves the unhashed file instead of failing the page.
WHITENOISE_MANIFEST_STRICT = False
# Serving media through Django is for the embedded setup; production puts a
# web server or object storage in front and sets SERVE_MEDIA=false.
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=True)
WAGTAILIMAGES_IMAGE_MODEL = "wagtailimages.Image"
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"png": "webp", "jpeg": "webp"}

# --- Documents and uploads (issue 11, findings 1 and 2) -------------------
# Documents are only ever served by Wagtail's document view, which checks the
# collection's view restrictions; /media/ serves images only (hub/media.py),
# and a production web server must never alias media/documents/
# (docs/deployment.md).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Every document is a download (Content-Disposition: attachment); the view also
# sends Content-Security-Policy: default-src 'none' and nosniff.
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
# The allow-list; hub.documents also checks each upload's content matches.
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odp", "ods", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "hub.documents.HubDocumentForm"
# Upload caps, in bytes (the web server's client_max_body_size must allow them).
WAGTAILDOCS_MAX_UPLOAD_SIZE = env_int("DOCUMENT_MAX_UPLOAD_SIZE", 20 * 1024 * 1024)
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env_int("IMAGE_MAX_UPLOAD_SIZE", 10 * 1024 * 1024)
# Request bodies other than files (forms, JSON).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Security -------------------------------------------------------------

SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy (django-csp 4; issue 11, finding 9) -----------
# The public site: scripts, styles, fonts and fetches from the Hub's own origin
# only; no 'unsafe-inline' (templates carry no inline script or style
# attribute; JSON-LD data blocks are not executed, so not blocked).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# /admin/ and /django-admin/ (hub.middleware.HubCSPMiddleware): the admins need
# their inline scripts and styles, so only what cannot break them is restricted.
HUB_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}
if env_bool("TRUST_X_FORWARDED_PROTO"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Email ----------------------------------------------------------------

EMAIL_HOST = env("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "INNOMED-UP Knowledge Hub <hub@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
ADMINS = [("Hub admins", address) for address in env_list("ADMIN_EMAILS")]

# --- Logging --------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Task and page-action chatter would drown imports and seeding output.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # A dead Elasticsearch logs a traceback per request; search.selectors logs one line.
        "elastic_transport": {"level": "ERROR"},
    },
}

# --- Demo -----------------------------------------------------------------

# seed_demo creates these logins; `make run` prints them.
DEMO_ADMIN_USERNAME = env("DEMO_ADMIN_USERNAME", "admin")
DEMO_ADMIN_PASSWORD = env("DEMO_ADMIN_PASSWORD", "innomed-admin")
