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
# Admin avatars from the Hub, never from Gravatar: no user email leaves the site.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
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
    "accounts",  # before allauth: its templates override allauth's
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
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
]

MIDDLEWARE = [
    # gzip for text and JSON the page cache did not already compress (hub/middleware.py).
    "hub.middleware.HubGZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (hub/middleware.py; settings under Security).
    "hub.middleware.HubCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous pages served whole, before sessions, auth or Wagtail touch the
    # database; inside the two above so hits get their headers (Page cache below).
    "hub.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before common: picks the language from the URL prefix and
    # redirects `/` by Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Accounts: allauth's request context, the staff two-factor gate of the
    # admin, and axes last (it turns a locked-out login into its lockout page).
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",
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
            # Django's RedisCache with one Redis client per pool, not one per call (hub/cache.py).
            "BACKEND": "hub.cache.HubRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "hub",
            "TIMEOUT": 600,
        },
        # Each process's own copies of entries keyed on the content version,
        # which never change (core/freshness.py): most reads skip the round trip.
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 1000}},
    }
elif not CACHE_URL or CACHE_URL.startswith("locmem://"):
    # Whole pages, content fragments and routes of ~100 pages in four languages
    # outgrow Django's default 300 entries; 2,000 bounds a process at some tens of MB.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}}
else:
    raise ImproperlyConfigured(f"CACHE_URL must be redis://… or locmem://, not {CACHE_URL!r}")

# --- Page cache (issue 13) -------------------------------------------------
# Whole responses for anonymous visitors in the default cache, forgotten when
# core.freshness.content_version() moves (hub.middleware.PageCacheMiddleware;
# docs/architecture.md, "Page cache"). PAGE_CACHE=false turns it off.
PAGE_CACHE = env_bool("PAGE_CACHE", default=True)
# Longest a page stays cached after a change no signal reports.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)

# --- Tasks ----------------------------------------------------------------

# Wagtail 8 queues background work through django-tasks; the immediate
# backend runs it in-process, after the transaction commits.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")}}

# --- Search ---------------------------------------------------------------

ELASTICSEARCH_URL = env("ELASTICSEARCH_URL")
ELASTICSEARCH_INDEX_PREFIX = env("ELASTICSEARCH_INDEX_PREFIX", "hub")
# A real cluster: an API key, or a user and password (basic auth), over TLS
# with the cluster's CA bundle; replicas of every index (0 on a single node).
ELASTICSEARCH_API_KEY = env("ELASTICSEARCH_API_KEY")
ELASTICSEARCH_USERNAME = env("ELASTICSEARCH_USERNAME")
ELASTICSEARCH_PASSWORD = env("ELASTICSEARCH_PASSWORD")
ELASTICSEARCH_CA_CERTS = env("ELASTICSEARCH_CA_CERTS")
ELASTICSEARCH_VERIFY_CERTS = env_bool("ELASTICSEARCH_VERIFY_CERTS", True)
ELASTICSEARCH_NUMBER_OF_REPLICAS = env_int("ELASTICSEARCH_NUMBER_OF_REPLICAS", 1)
if ELASTICSEARCH_API_KEY and ELASTICSEARCH_USERNAME:
    raise ImproperlyConfigured("Set ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/PASSWORD, not both")
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
        "API_KEY": ELASTICSEARCH_API_KEY,
        "USERNAME": ELASTICSEARCH_USERNAME,
        "PASSWORD": ELASTICSEARCH_PASSWORD,
        "CA_CERTS": ELASTICSEARCH_CA_CERTS,
        "VERIFY_CERTS": ELASTICSEARCH_VERIFY_CERTS,
        "NUMBER_OF_REPLICAS": ELASTICSEARCH_NUMBER_OF_REPLICAS,
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
# Number formats Django's locales lack (Arabic thousands grouping): hub/formats/<language>/formats.py.
FORMAT_MODULE_PATH = ["hub.formats"]

MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
# --- Language fallback (issue 12) ---
# The one fallback order: where a field's text comes from when the reader's
# language has none, per language, then "default". After these a page shows
# its original language (core.fallback), and templates mark that text with
# its own lang and dir.
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": (LANGUAGE_CODE,),
    "el": (LANGUAGE_CODE,),
    "it": (LANGUAGE_CODE,),
    "ar": (LANGUAGE_CODE,),
}
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

# --- Accounts (allauth, allauth.mfa, axes) ---------------------------------

# Learners sign up with an email address and a password (allauth makes up the
# username), verify the address, and may turn on TOTP two-factor
# authentication; docs/accounts.md. Axes comes first: it refuses locked-out
# logins before any backend checks a password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "account_overview"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SMEProfileSignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[INNOMED-UP] "
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Sign-ups per client address (a workshop behind one address still fits).
# Failed logins are axes' job (below), so allauth's own counter is off: one
# limit, one lockout page, for every login form.
ACCOUNT_RATE_LIMITS = {"signup": "30/h/ip", "login_failed": None}
# Reverse proxies in front of the Hub that append to X-Forwarded-For; 0 trusts
# only the connection's address. Sign-up limits and axes both read it.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = WAGTAIL_SITE_NAME
# true: a staff user must set up TOTP before reaching /admin/ or /django-admin/.
REQUIRE_STAFF_2FA = env_bool("REQUIRE_STAFF_2FA")
# Failed logins (allauth, /admin/login/, /django-admin/login/), per account and
# per address: 10 failures lock for an hour, well inside ASVS 2.2.1's 100 an hour.
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_CALLABLE = "accounts.throttling.login_identifier"
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

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
        # axes logs every login attempt at INFO; lockouts are WARNING.
        "axes": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every PDF step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- Experts (contact relay) ----------------------------------------------

# Messages accepted per minute from one sender address, and per hour to one expert.
EXPERTS_CONTACT_PER_IP = env_int("EXPERTS_CONTACT_PER_IP", 5)
EXPERTS_CONTACT_PER_EXPERT = env_int("EXPERTS_CONTACT_PER_EXPERT", 30)

# --- Demo -----------------------------------------------------------------

# seed_demo creates these logins; `make run` prints them.
DEMO_ADMIN_USERNAME = env("DEMO_ADMIN_USERNAME", "admin")
DEMO_ADMIN_PASSWORD = env("DEMO_ADMIN_PASSWORD", "innomed-admin")
DEMO_LEARNER_PASSWORD = env("DEMO_LEARNER_PASSWORD", "innomed-learner")

# --- Courses (certificates) --------------------------------------------------

# Certificate PDFs are stored here, outside MEDIA_ROOT: they are never served
# as static files, only through the download view that checks who asks.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))
