"""Haven's settings. Everything that varies between machines comes from the environment
(see `.env.example`); nothing here is edited per deployment."""

from __future__ import annotations

from pathlib import Path

import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from haven.config.env import (
    ConfigError,
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    env_time_zone,
    sqlite_database,
)

# Lets `admin.ModelAdmin[Model]` and friends be written at run time as the type checker sees them.
django_stubs_ext.monkeypatch()

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent
DATA_DIR = Path(env_str("HAVEN_DATA_DIR", str(PROJECT_DIR / "var"))).resolve()

DEBUG = env_bool("HAVEN_DEBUG", False)

# The secret key signs sessions and CSRF tokens: a production instance must never run on a
# key that is published in this repository.
_DEV_SECRET_KEY = "haven-development-key-never-use-in-production"  # noqa: S105


def _secret_key() -> str:
    key = env_str("HAVEN_SECRET_KEY", "")
    key_file = env_str("HAVEN_SECRET_KEY_FILE", "")
    if not key and key_file:
        try:
            key = Path(key_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"HAVEN_SECRET_KEY_FILE cannot be read: {exc.strerror}") from None
    default_file = DATA_DIR / "secret.key"
    if not key and not key_file and default_file.exists():
        key = default_file.read_text(encoding="utf-8").strip()
    if not key and DEBUG:
        return _DEV_SECRET_KEY
    if not key or key == _DEV_SECRET_KEY:
        raise ConfigError(
            "HAVEN_SECRET_KEY (or HAVEN_SECRET_KEY_FILE) must be set to a private random value "
            "when HAVEN_DEBUG is off"
        )
    if len(key) < 32:
        raise ConfigError("HAVEN_SECRET_KEY must be at least 32 characters long")
    return key


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("HAVEN_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("HAVEN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_countries",
    "haven.accounts",
    "haven.audit",
    "haven.security",
    "haven.directory",
    "haven.web",
    "haven.api",
    "haven.screening",
    "haven.stats",
    "haven.linkage",
    "haven.cases",
    "haven.referrals",
    "haven.training",
]

MIDDLEWARE = [
    "haven.web.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "haven.web.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "haven.security.middleware.DeniedAuditMiddleware",
    "haven.accounts.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "haven.security.sessions.IdleSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "haven.config.urls"
WSGI_APPLICATION = "haven.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

_database_url = env_str("DATABASE_URL", "")
DATABASES = {
    "default": database_from_url(_database_url)
    if _database_url
    else sqlite_database(DATA_DIR / "haven.sqlite3")
}
if not _database_url:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_HASHERS = [
    "haven.accounts.hashers.FastArgon2PasswordHasher"
    if env_bool("HAVEN_FAST_HASHING_FOR_TESTS", False)
    else "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: the five interface languages of the first partners.
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
    ("es", _("Spanish")),
    ("el", _("Greek")),
    ("nl", _("Dutch")),
]
LANGUAGE_CODE = env_choice("HAVEN_LANGUAGE_CODE", "en", [code for code, _name in LANGUAGES])
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_time_zone("HAVEN_TIME_ZONE", "UTC")
LANGUAGE_COOKIE_NAME = "haven_language"
LANGUAGE_COOKIE_SECURE = env_bool("HAVEN_SECURE_COOKIES", not DEBUG)
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Tests and development serve static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = env_bool("HAVEN_PLAIN_STATIC", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not env_bool("HAVEN_PLAIN_STATIC", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Security: strict by default. HAVEN_SECURE_COOKIES and HAVEN_HSTS_SECONDS are for deployments
# behind TLS; the local demo serves plain HTTP on 127.0.0.1.
SESSION_COOKIE_SECURE = env_bool("HAVEN_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("HAVEN_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A signed-in session ends after this long without a request (haven.security.sessions).
SESSION_IDLE_SECONDS = env_int("HAVEN_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
# Sign-in lock-out (haven.security.lockout): failures per account and per client address
# within the window; the refusal lifts when the failures age out of the window.
LOCKOUT_WINDOW_SECONDS = env_int("HAVEN_LOCKOUT_WINDOW_SECONDS", 15 * 60, minimum=60)
LOCKOUT_ACCOUNT_FAILURES = env_int("HAVEN_LOCKOUT_ACCOUNT_FAILURES", 5, minimum=1)
LOCKOUT_ADDRESS_FAILURES = env_int("HAVEN_LOCKOUT_ADDRESS_FAILURES", 20, minimum=1)
SECURE_SSL_REDIRECT = env_bool("HAVEN_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("HAVEN_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("HAVEN_BEHIND_PROXY", False) else None
)
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Logs carry request ids and pseudonymous references, never personal data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "haven.web.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {
        "handlers": ["console"],
        "level": env_choice("HAVEN_LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR"]),
    },
    "loggers": {
        # Django's request logger prints the full URL and can print POST data on errors.
        "django.request": {"level": "ERROR", "propagate": True},
        "django.security.DisallowedHost": {"handlers": [], "propagate": False},
        # At DEBUG these print user input: the template logger the whole context (request
        # path with its query, form data), the database logger every SQL parameter. Never
        # below INFO, whatever HAVEN_LOG_LEVEL says (tests/security/test_logs_no_personal_data).
        "django.template": {"level": "INFO", "propagate": True},
        "django.db.backends": {"level": "INFO", "propagate": True},
    },
}
CSRF_FAILURE_VIEW = "haven.web.views.csrf_failure"
