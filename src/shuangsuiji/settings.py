"""Django settings, read from environment variables (documented in docs/configuration.md).

Defaults give a laptop install: SQLite in ./var, DEBUG off, served on 127.0.0.1. Production sets
DATABASE_URL to PostgreSQL, SECRET_KEY, ALLOWED_HOSTS and HTTPS=true.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from shuangsuiji.lib.client_address import parse_networks
from shuangsuiji.lib.env import ConfigurationError, env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("SHUANGSUIJI_DATA_DIR", str(Path.cwd() / "var"))).resolve()

DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])


def _secret_key() -> str:
    """The SECRET_KEY variable, else a random key kept in the data directory for this install."""
    configured = env_str("SECRET_KEY", "")
    if configured:
        return configured
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "template_partials",
    "django_tasks",
    "shuangsuiji.operations",  # before django_tasks_db: its db_worker survives database faults
    "django_tasks_db",
    "axes",
    "django_otp",  # before accounts: its admin drops otp_totp's device admin
    "django_otp.plugins.otp_totp",
    "csp",
    "ninja",  # serves the API docs page's Swagger UI from its own static files, not a CDN
    "shuangsuiji.accounts",
    "shuangsuiji.directory",
    "shuangsuiji.artefacts",
    "shuangsuiji.plans",
    "shuangsuiji.draws",
    "shuangsuiji.assignments",
    "shuangsuiji.inspections",
    "shuangsuiji.checks",
    "shuangsuiji.approvals",
    "shuangsuiji.companies",
    "shuangsuiji.disclosure",
    "shuangsuiji.audit",
    "shuangsuiji.dashboard",
    "shuangsuiji.analysis",
    "shuangsuiji.demo",
    "shuangsuiji.api",
]

MIDDLEWARE = [
    "shuangsuiji.operations.logs.RequestLogMiddleware",  # first: times and names the whole answer
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shuangsuiji.accounts.sessions.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "shuangsuiji.accounts.second_factor.SecondFactorMiddleware",
    "shuangsuiji.audit.recorder.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the locked-out page
]

# The reverse proxies whose X-Forwarded-For is believed (addresses or networks); the client
# address they report is what the login lockout and the API's per-address limit count
# (lib/client_address.py). Empty: every request's own connection address.
TRUSTED_PROXIES = parse_networks("TRUSTED_PROXIES", env_list("TRUSTED_PROXIES", []))
if env_str("API_TRUSTED_PROXIES", ""):
    # It was a count of X-Forwarded-For hops, believed from anyone who could reach the app
    # directly; guessing addresses from it would be wrong either way.
    raise ConfigurationError(
        "环境变量 API_TRUSTED_PROXIES 已由 TRUSTED_PROXIES 取代：请删除它，"
        "改为填写反向代理的地址或网段（如 TRUSTED_PROXIES=127.0.0.1），见 docs/configuration.md"
    )

# Login lockout (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one username from
# one client address, that username is locked for LOGIN_LOCKOUT_MINUTES from that address only
# (so nobody elsewhere can lock the real user out); a correct login resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "shuangsuiji.lib.client_address.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "shuangsuiji.accounts.login.locked_out"
AXES_VERBOSE = False

ROOT_URLCONF = "shuangsuiji.urls"
WSGI_APPLICATION = "shuangsuiji.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shuangsuiji.accounts.context_processors.navigation",
            ],
        },
    },
]


# The platform's SQL is written for these two (triggers, advisory locks, the draw's bulk
# statements take one branch or the other by `connection.vendor`); any other engine would be
# sent SQLite's DDL. PostgreSQL-compatible 信创 databases (人大金仓 KingbaseES, openGauss) are
# reached as PostgreSQL, with a postgres:// URL (docs/deploy.md, docs/configuration.md).
SUPPORTED_ENGINES = ("django.db.backends.postgresql", "django.db.backends.sqlite3")
UNSUPPORTED_DATABASE = (
    "不支持的数据库：DATABASE_URL 指向 {what}。本平台只支持 PostgreSQL（postgres://，"
    "人大金仓、openGauss 等兼容 PostgreSQL 的数据库也以 postgres:// 连接）和 SQLite（sqlite://）。"
    " / Unsupported database {what} in DATABASE_URL: only PostgreSQL (postgres://, also for "
    "PostgreSQL-compatible servers) and SQLite (sqlite://) are supported."
)


def _database() -> dict[str, object]:
    default_url = f"sqlite:///{DATA_DIR / 'shuangsuiji.sqlite3'}"
    url = env_str("DATABASE_URL", default_url)
    scheme = url.partition("://")[0] or url
    try:
        parsed = dj_database_url.parse(
            url, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
        )
    except ValueError:  # dj_database_url.UnknownSchemeError, or no scheme at all
        raise ConfigurationError(UNSUPPORTED_DATABASE.format(what=f"“{scheme}”")) from None
    config: dict[str, object] = dict(parsed)
    if config["ENGINE"] not in SUPPORTED_ENGINES:
        what = f"“{scheme}”（{config['ENGINE']}）"
        raise ConfigurationError(UNSUPPORTED_DATABASE.format(what=what))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers run during a write; IMMEDIATE avoids "database is locked" upgrades.
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            # A writer waits up to this many seconds for another's lock instead of failing at
            # once with "database is locked" (Python's default is 5).
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
        }
        config["CONN_MAX_AGE"] = 0
        Path(str(config["NAME"])).parent.mkdir(parents=True, exist_ok=True)
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Where a password is chosen (accounts/passwords.py says why these): not like the username or
# names, at least PASSWORD_MIN_LENGTH characters, not among 20,000 common ones, not all digits,
# at least PASSWORD_MIN_CLASSES kinds of character, never the demo's published password.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 10)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "shuangsuiji.accounts.passwords.CharacterClassesValidator",
        "OPTIONS": {"min_classes": env_int("PASSWORD_MIN_CLASSES", 3)},
    },
    {"NAME": "shuangsuiji.accounts.passwords.NotDemoPasswordValidator"},
]
# The demo (`shuangsuiji demo` sets it): only there may the demo's published password sign in.
DEMO = env_bool("DEMO", False)

# Sign-ins end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after the
# password (accounts/sessions.py); the cookie also ends with the browser.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# A TOTP code after the password for every coordinator and superuser (accounts/second_factor.py);
# anyone may set one up for themselves either way.
OTP_REQUIRED_FOR_COORDINATORS = env_bool("OTP_REQUIRED_FOR_COORDINATORS", False)
OTP_TOTP_ISSUER = env_str("OTP_ISSUER", "双随机抽查平台")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": env_str("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG:
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

# Exclusions decided before a draw's population is frozen (0 = off); see draws.services.
DRAW_YEARLY_CAP = env_int("DRAW_YEARLY_CAP", 0)
DRAW_COOLDOWN_MONTHS = env_int("DRAW_COOLDOWN_MONTHS", 0)
# Freezing or completing a draw over at least this many entities runs in the worker with a
# progress bar; smaller ones (well under a second) run in the request.
DRAW_BACKGROUND_FROM = env_int("DRAW_BACKGROUND_FROM", 50_000)
# Whether the public site names each company's credit-risk class (its population file and
# per-stratum lists). Off: the public verifies from codes and salted tokens (draw-spec V11).
PUBLISH_RISK_CLASSES = env_bool("PUBLISH_RISK_CLASSES", False)
ASSIGN_MIN_TEAM = env_int("ASSIGN_MIN_TEAM", 2)
# Visits one inspector can sustain in a month besides other duties: the plan page warns when a
# year's draws ask a department for more in any month (plans/capacity.py).
CAPACITY_VISITS_PER_INSPECTOR_MONTH = env_int("CAPACITY_VISITS_PER_INSPECTOR_MONTH", 20)
PDF_FONT = env_str("PDF_FONT", "")
ATTACHMENT_MAX_MB = env_int("ATTACHMENT_MAX_MB", 10)
PUBLISH_WITHIN_WORKING_DAYS = env_int("PUBLISH_WITHIN_WORKING_DAYS", 20)
# Risk feedback rules (core.riskfeedback): result codes that propose D, codes that raise the
# class, by how many steps, and how many clean results lower it one step.
RISK_SEVERE_CODES = env_list("RISK_SEVERE_CODES", ["06"])
RISK_RAISING_CODES = env_list("RISK_RAISING_CODES", ["02"])
RISK_RAISE_STEPS = env_int("RISK_RAISE_STEPS", 1)
RISK_CLEAN_NEEDED = env_int("RISK_CLEAN_NEEDED", 2)
ASSIGN_CAP = env_int("ASSIGN_CAP", 0)
ASSIGN_ROTATION = env_bool("ASSIGN_ROTATION", True)
ASSIGN_VISIT_LIMIT = env_int("ASSIGN_VISIT_LIMIT", 1)

# API rate limits (docs/api.md): requests a minute per token, and per address without a token;
# 0 = no limit. The address is the client's as TRUSTED_PROXIES report it.
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 600)
API_ANON_RATE_LIMIT = env_int("API_ANON_RATE_LIMIT", 60)

SESSION_ENGINE = "django.contrib.sessions.backends.db"
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Behind an HTTPS reverse proxy: secure cookies, HSTS, redirect, and trust its X-Forwarded-Proto.
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "shuangsuiji.errors.csrf_failure"  # in Chinese, in the site's layout
# Content-Security-Policy on every response (django-csp): scripts, styles, images, fonts and
# connections from this site only, and no inline script, inline style or eval anywhere. The
# pages hold to it (no inline JS or CSS: data reaches scripts as JSON in <script
# type="application/json"> or data- attributes); tests/browser/test_csp.py loads them all and
# fails on any violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

SILENCED_SYSTEM_CHECKS = [
    # HSTS preload is a one-way commitment for a public domain; intranet hosts must not take it.
    "security.W021",
]

# /metrics/ (operations/metrics.py): off by default; on, answered to METRICS_ALLOWED addresses
# or to `Authorization: Bearer METRICS_TOKEN` only.
METRICS = env_bool("METRICS", False)
METRICS_ALLOWED = parse_networks(
    "METRICS_ALLOWED", env_list("METRICS_ALLOWED", ["127.0.0.1", "::1"])
)
METRICS_TOKEN = env_str("METRICS_TOKEN", "")

# Logs go to standard error (journald, docker): `text` for a person, `json` for a collector
# (one object a line, operations/logs.py). Every line carries the request's id.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ConfigurationError(f"环境变量 LOG_FORMAT={LOG_FORMAT!r} 应为 text 或 json")
# Libraries that chatter below WARNING: fpdf2 subsets the CJK font of every PDF through
# fontTools, which says so at INFO, dozens of lines a document (issue 21); matplotlib, PIL,
# the HTTP clients and docx templates log their internals at DEBUG/INFO.
QUIET_LOGGERS = (
    "fontTools",
    "fpdf",
    "matplotlib",
    "PIL",
    "urllib3",
    "httpx",
    "asyncio",
    "docxtpl",
    "pdfminer",
    "pdfplumber",
    "faker",
    "factory",
)
LOG_LIBRARIES_LEVEL = env_str("LOG_LIBRARIES_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "shuangsuiji.operations.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "timestamp": "time",  # ISO 8601 in UTC, with milliseconds: unambiguous for a collector
            "rename_fields": {"levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {name: {"level": LOG_LIBRARIES_LEVEL} for name in QUIET_LOGGERS},
}
