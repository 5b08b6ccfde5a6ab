"""Settings shared by every environment; values come from the environment with secure defaults.

dev.py (make run), test.py (make test) and prod.py import this module and override what differs.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# No default secret: prod refuses to start without SECRET_KEY; dev and test set their own.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "piis.core",
    "piis.accounts",
    "piis.audit",
    "piis.catalogue",
    "piis.jobs",
    "piis.cases",
    "piis.contracts",
    "piis.followup",
    "piis.documents",
    "piis.sanctions",
    "piis.transfers",
    "piis.privacy",
    "piis.observatory",
    "piis.reports",
    "piis.demo",
    "piis.www",
    "piis.portal",
    "piis.api",
    "ninja",
    "django_tasks",
    "django_tasks_db",
]

# Background work (issue 15): Django's task framework (the django-tasks backport on 5.2) with its database backend, so
# that nothing but the database is needed; `manage.py db_worker` runs the tasks (`make run` starts one beside the
# server; production runs it as a service of its own, docs/operations.md). Tests use the immediate backend.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A PDF laid out by a background task (the annual report, a signed contract) may take longer than one on a page.
TASK_PDF_RENDER_TIMEOUT = int(os.environ.get("TASK_PDF_RENDER_TIMEOUT", "120"))

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so that static files keep their long cache: every other response is no-store (personal data).
    "piis.core.middleware.PrivateResponseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before the session is read: a NUL anywhere in the request is a 400 page, never a database error.
    "piis.core.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.user.is_verified(): has the session passed the second factor (django-otp)?
    "django_otp.middleware.OTPMiddleware",
    # A session ends 12 hours after the login whatever the activity (SESSION_MAX_SECONDS).
    "piis.accounts.middleware.SessionLifetimeMiddleware",
    # Until the second factor is passed, only the login, second-factor, logout and language pages answer.
    # A portal session (the person) reaches only /portal/; a staff session never reaches it (piis.portal).
    "piis.portal.middleware.PortalSessionMiddleware",
    "piis.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Must come last: it opens the request's transaction and sets the CPAS for row-level security.
    "piis.accounts.middleware.CurrentCpasMiddleware",
]

ROOT_URLCONF = "piis.urls"
WSGI_APPLICATION = "piis.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "piis.core.template_backend.PiisTemplates",  # Django's (its checks allow fast_i18n, fast_static)
        "NAME": "django",
        "DIRS": [BASE_DIR / "piis" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "piis.www.context_processors.tenancy",
                "piis.accounts.context_processors.second_factor",
                "piis.portal.context_processors.portal",
            ],
            # {% url %} without resolving the pattern on every call (issue 15; the same tag otherwise).
            # The `date` filter with a day's text kept per language and format (issue 15; Django's otherwise).
            "builtins": ["piis.core.templatetags.fast_url", "piis.core.templatetags.fast_dates"],
            # {% load i18n %} and {% load static %}: Django's libraries, with a {% translate "literal" %} kept per
            # language and a {% static "literal" %}'s URL kept (issue 15).
            "libraries": {"i18n": "piis.core.templatetags.fast_i18n", "static": "piis.core.templatetags.fast_static"},
        },
    },
]

# SQLite (make run, or DATABASE_URL=sqlite:…): WAL, so that reading never waits for a writer; every transaction
# takes the write lock when it begins (IMMEDIATE) and waits up to `timeout` seconds for it, instead of failing with
# "database is locked" when it first writes after another request's commit. Requests run in one transaction each
# (CurrentCpasMiddleware), so they take turns; slow work such as a PDF runs outside it (core.deferred).
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL",
    "transaction_mode": "IMMEDIATE",
    "timeout": int(os.environ.get("SQLITE_TIMEOUT", "20")),
}


# PostgreSQL: a request waits at most this many seconds for a connection, so that with the database down or
# unreachable the person gets the 503 page (core/outage.py) within a few seconds rather than a hung page.
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))


# PostgreSQL: core.compiled's reads of one file or one contract run as prepared statements, planned once per
# connection (issue 15: planning the contract page's reads cost more than running them). psycopg keeps prepared
# statements only when its prepare_threshold is set (Django sets None); no other query is prepared by that count,
# since Django's cursors bind on the client, which never prepares. PIIS_PREPARED_READS=0 turns them off, as behind a
# pooler in transaction mode that cannot keep them (PgBouncer before 1.21, or without max_prepared_statements;
# docs/scale-out.md).
PREPARED_READS = env_bool("PIIS_PREPARED_READS", True)
PREPARED_OPTIONS = {"prepare_threshold": 1_000_000} if PREPARED_READS else {}


def with_sqlite_options(database: dict) -> dict:
    """`database` with SQLITE_OPTIONS when it is SQLite, or the connect timeout and PREPARED_OPTIONS when it is
    PostgreSQL (options already given win); unchanged otherwise."""
    if database.get("ENGINE") == "django.db.backends.sqlite3":
        database["OPTIONS"] = {**SQLITE_OPTIONS, **database.get("OPTIONS", {})}
    elif database.get("ENGINE") == "django.db.backends.postgresql":
        options = {"connect_timeout": DATABASE_CONNECT_TIMEOUT, **PREPARED_OPTIONS}
        database["OPTIONS"] = {**options, **database.get("OPTIONS", {})}
    return database


# PostgreSQL: how long one statement may run before the server cancels it (seconds; 0 = no limit). Production sets
# it for the web processes only (settings.prod, docs/operations.md): a runaway query ends in the 503 page instead of
# holding a worker and its locks; management commands keep no limit unless COMMAND_STATEMENT_TIMEOUT says otherwise.
def statement_timeout_options(database: dict, seconds: float) -> dict:
    """`database` whose connections start with `statement_timeout` set to `seconds` (libpq's startup options, so no
    extra round trip and every statement of the connection is bounded, the middlewares' included); PostgreSQL only,
    unchanged for 0 or another engine."""
    if seconds > 0 and database.get("ENGINE") == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c statement_timeout={round(seconds * 1000)}".strip()
    return database


DATABASES = {
    "default": with_sqlite_options(
        dict(
            dj_database_url.config(
                default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
                conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
                # A pooled connection that died with the server is replaced at the next request, not reused.
                conn_health_checks=True,
            )
        )
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout after repeated failures (django-axes), per user name AND client address: five wrong passwords (or
# second-factor codes) from one address lock that name from that address only, so nobody can lock a colleague out
# from another workstation. The lockout lasts AXES_COOLOFF_MINUTES and doubles with every further
# AXES_FAILURE_LIMIT failures for that name and address since their last successful login (at most a day):
# piis.accounts.security.login_cool_off.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_MINUTES = int(os.environ.get("AXES_COOLOFF_MINUTES", "30"))
AXES_COOLOFF_TIME = "piis.accounts.security.login_cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # the memory of earlier lockouts that makes the delay grow
# Each name+address's attempts expire after their own cool-off (otherwise one request's shorter cool-off would clear
# everyone's attempts).
AXES_USE_ATTEMPT_EXPIRATION = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_LOCKOUT_CALLABLE = "piis.accounts.security.lockout_response"
# The client's address: REMOTE_ADDR, unless the app runs behind TRUSTED_PROXY_COUNT reverse proxies that each append
# the address they received from to X-Forwarded-For; then the address the outermost proxy saw. With the default 0,
# X-Forwarded-For is ignored (anyone can send one). piis.accounts.security.client_ip.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "piis.accounts.security.client_ip"

# Second factor (django-otp): every staff account enrols a TOTP app and gets ten one-time recovery codes; a session
# reaches no page with data before it has passed the code. Only development settings may turn this off (a banner
# says so); prod.py forces it on and `check --deploy` refuses it off (piis.accounts.checks).
PIIS_MFA_REQUIRED = env_bool("PIIS_MFA_REQUIRED", True)
OTP_TOTP_ISSUER = "PIIS"
OTP_TOTP_THROTTLE_FACTOR = 1  # seconds; doubles with each wrong code (1, 2, 4, 8 ...), on top of the lockout above
OTP_STATIC_THROTTLE_FACTOR = 1

# Session ends after 30 minutes without activity (every request pushes the expiry forward), and 12 hours after the
# login whatever the activity (piis.accounts.middleware.SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", "1800"))
SESSION_MAX_SECONDS = int(os.environ.get("SESSION_MAX_SECONDS", str(12 * 3600)))
SESSION_SAVE_EVERY_REQUEST = True
# Database sessions, saved in the request's own transaction (one commit per request, not two).
SESSION_ENGINE = "piis.accounts.sessions"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", _("French")),
    ("nl", _("Dutch")),
    ("de", _("German")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Belgian date formats (dd/mm/yyyy) for every language, see piis/formats/.
FORMAT_MODULE_PATH = ["piis.formats"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "piis" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploaded files (scanned signatures) are personal data: stored outside the static tree, never served directly, only
# through views that check the role and CPAS and audit the read.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The contract PDF is laid out in a child process stopped after this many seconds (contracts.pdf.html_to_pdf);
# below the web server's own timeout (gunicorn: 30 s), so the person gets a page that says so, not a dropped
# connection.
PDF_RENDER_TIMEOUT = float(os.environ.get("PDF_RENDER_TIMEOUT", "20"))

# The beneficiary portal: a one-time code and link handed over by the social worker serve for this many days.
PORTAL_INVITATION_DAYS = int(os.environ.get("PORTAL_INVITATION_DAYS", "7"))

# The API's rate limit (piis.api.auth): each token's calls per minute, counted in the database (api.ApiCallCount, one
# upsert per call) so that every process (gunicorn workers, several app servers) shares one count. The default cache
# stays in the process's memory.
PIIS_API_RATE_PER_MINUTE = int(os.environ.get("PIIS_API_RATE_PER_MINUTE", "300"))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}

# R71: the pending 2028 bonus-malus of the PIIS subsidy (rules core flag "bonus_malus_2028"), off until adopted.
PIIS_SUBSIDY_BONUS_MALUS = os.environ.get("PIIS_SUBSIDY_BONUS_MALUS", "") == "1"

# `manage.py demo_data` adds fictitious people and accounts with a published password: only where this is on
# (dev and test settings; a public demo server may set DEMO_DATA_ALLOWED=1).
DEMO_DATA_ALLOWED = env_bool("DEMO_DATA_ALLOWED", False)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "piis@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): the pages load scripts, styles, images and fonts from this origin only and talk
# to it only (htmx). No inline script, no eval: the templates hold no <script> body and no on…= attribute
# (tests/test_consistency.py), htmx is told not to eval (hx-on, js: values) nor run scripts in swapped HTML
# (base.html, htmx-config). style-src is 'self' too, without 'unsafe-inline': the pages carry no <style> element and
# no style="…" attribute (checked by the same test), and htmx's own indicator styles, which it would otherwise inject
# as a <style> element, are in piis.css (includeIndicatorStyles false). Scripts may still set element.style through
# the DOM, which CSP allows. img-src adds data: for the empty favicon (and a QR code drawn as a data: image).
# The contract PDFs' <style> is read by WeasyPrint on the server, never served as a page.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
