"""Settings for Gongzhi.

Everything that differs between a laptop, CI and an intranet server comes from the environment:
DATABASE_URL (SQLite under var/ when unset), GONGZHI_SECRET_KEY, GONGZHI_DEBUG, GONGZHI_ALLOWED_HOSTS.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from gongzhi.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("GONGZHI_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)

DEBUG = env_bool("GONGZHI_DEBUG", False)
# A development key is allowed only with DEBUG on; a server must set its own.
SECRET_KEY = env_str("GONGZHI_SECRET_KEY", "dev-only-insecure-key" if DEBUG else "")
if not SECRET_KEY:
    from gongzhi.env import local_secret_key

    SECRET_KEY = local_secret_key(VAR_DIR)
ALLOWED_HOSTS = env_list("GONGZHI_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "gongzhi.places",
    "gongzhi.accounts",
    "gongzhi.people",
    "gongzhi.organisations",
    "gongzhi.party",
    "gongzhi.affairs",
    "gongzhi.cogovern",
    "gongzhi.trading",
    "gongzhi.agribiz",
    "gongzhi.collectives",
    "gongzhi.reporting",
    "gongzhi.monitoring",
    "gongzhi.ledgers",
    "gongzhi.insights",
    "gongzhi.campaign",
    "gongzhi.dashboard",
    "gongzhi.demo",
    "gongzhi.ops",
    "gongzhi.centre",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gongzhi.core.security.RequestHygieneMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gongzhi.core.security.NoStoreMiddleware",  # after WhiteNoise: static files stay cacheable
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongzhi.accounts.middleware.SecurityGateMiddleware",  # idle timeout, first password, second factor
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongzhi.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "gongzhi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "gongzhi.accounts.context_processors.rights",
            ],
        },
    },
]

WSGI_APPLICATION = "gongzhi.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'gongzhi.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and a background worker share the file: a writer waits up
    # to GONGZHI_SQLITE_TIMEOUT seconds for another's transaction instead of failing "database is locked".
    # SQLite is for the demo and a single office; a district runs PostgreSQL (docs/security.md).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("GONGZHI_SQLITE_TIMEOUT", 20),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif env_bool("GONGZHI_DB_PREPARED", True):
    # Django turns psycopg's prepared statements off (prepare_threshold None). Its cursors bind on the client
    # and never prepare; a threshold lets gongzhi.core.prepared.fetch prepare the hot paths' own statements
    # (issue 15), and nothing else: it asks with prepare=True, and no other server-binding cursor exists.
    # Behind a pooler in transaction mode (pgbouncer < 1.21), GONGZHI_DB_PREPARED=0: plain statements.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 2**31 - 1)
DATABASES["default"]["TEST"] = {"NAME": env_str("GONGZHI_TEST_DB_NAME", "") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("GONGZHI_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "gongzhi.accounts.lockout.AccountDelayBackend",
    "gongzhi.accounts.backends.ModelBackend",  # Django's, the user read prepared (every request)
]
# Log-in guard (django-axes), docs/security.md. The client address is the peer's, or the X-Forwarded-For
# entry the trusted proxy appended when the peer is one of GONGZHI_TRUSTED_PROXIES (never a header a client
# wrote). Failures lock the address hard, and the account only for an increasing delay, so nobody can keep
# someone else's account locked (gongzhi/accounts/lockout.py).
GONGZHI_TRUSTED_PROXIES = env_list("GONGZHI_TRUSTED_PROXIES", [])
AXES_CLIENT_IP_CALLABLE = "gongzhi.accounts.lockout.client_ip"
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_FAILURE_LIMIT = env_int("GONGZHI_LOCKOUT_IP_FAILURES", 20)
AXES_COOLOFF_TIME = env_int("GONGZHI_LOCKOUT_IP_MINUTES", 30) / 60  # hours
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("GONGZHI_AXES_ENABLED", True)
GONGZHI_LOCKOUT_ACCOUNT_FAILURES = env_int("GONGZHI_LOCKOUT_ACCOUNT_FAILURES", 5)
GONGZHI_LOCKOUT_ACCOUNT_BASE_SECONDS = env_int("GONGZHI_LOCKOUT_ACCOUNT_BASE_SECONDS", 30)
GONGZHI_LOCKOUT_ACCOUNT_MAX_SECONDS = env_int("GONGZHI_LOCKOUT_ACCOUNT_MAX_SECONDS", 15 * 60)

# Log-in and sessions (docs/security.md, "Log-in"). GONGZHI_DEMO marks a demonstration install: demo
# passwords and missing second factors are then allowed, with a warning on every page.
GONGZHI_DEMO = env_bool("GONGZHI_DEMO", False)
GONGZHI_IDLE_TIMEOUT_MINUTES = env_int("GONGZHI_IDLE_TIMEOUT_MINUTES", 30)
GONGZHI_2FA_ROLES = env_list(
    "GONGZHI_2FA_ROLES",
    ["district_admin", "subdistrict_staff", "system_admin", "security_admin", "audit_admin"],
)
GONGZHI_2FA_SUPERUSERS = env_bool("GONGZHI_2FA_SUPERUSERS", True)
GONGZHI_TOKEN_TTL_HOURS = env_int("GONGZHI_TOKEN_TTL_HOURS", 24)
GONGZHI_TOKENS_PER_USER = env_int("GONGZHI_TOKENS_PER_USER", 5)
# The log-in log is kept at least six months (网络安全法 第二十一条 (三)); purge_login_log refuses less.
GONGZHI_LOGIN_LOG_DAYS = env_int("GONGZHI_LOGIN_LOG_DAYS", 190)
OTP_TOTP_ISSUER = env_str("GONGZHI_OTP_ISSUER", "共治 Gongzhi")

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "places:home"
LOGOUT_REDIRECT_URL = "accounts:login"

LANGUAGE_CODE = "zh-hans"
FORMAT_MODULE_PATH = ["gongzhi.formats"]
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "gongzhi" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "gongzhi" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_MANIFEST_STRICT = False
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "gongzhi_cache",
    }
}

SESSION_ENGINE = "gongzhi.accounts.sessions"  # database sessions, read by one plain statement
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600  # a working day; shared office computers are common
# Behind HTTPS (a reverse proxy on the intranet), turn on secure cookies and HSTS.
HTTPS = env_bool("GONGZHI_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
# Every host under the platform's domain is served over HTTPS too, and plain HTTP is redirected (the proxy
# sets X-Forwarded-Proto). The preload flag only lets the domain be listed; an intranet name never is.
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_PRELOAD = SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
CSRF_TRUSTED_ORIGINS = env_list("GONGZHI_CSRF_TRUSTED_ORIGINS", [])
CSRF_COOKIE_HTTPONLY = False  # htmx reads it from the cookie-less header set in base.html
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# Content security policy (django-csp): nothing from other hosts and no inline script; data lives in
# json_script blocks and behaviour in static files. Inline style attributes stay allowed (templates, Leaflet
# and ECharts set element styles); they cannot run code. See docs/security.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=()"
)

# Spreadsheet uploads (ledgers, ballot sheets) are measured before parsing: gongzhi/core/sheet_limits.py.
GONGZHI_SHEET_MAX_UPLOAD_BYTES = env_int("GONGZHI_SHEET_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
GONGZHI_SHEET_MAX_UNZIPPED_BYTES = env_int("GONGZHI_SHEET_MAX_UNZIPPED_BYTES", 300 * 1024 * 1024)
GONGZHI_SHEET_MAX_ROWS = env_int("GONGZHI_SHEET_MAX_ROWS", 500_000)
GONGZHI_SHEET_MAX_CELLS = env_int("GONGZHI_SHEET_MAX_CELLS", 10_000_000)

# Imports on SQLite commit this many rows at a time and pause between batches so other writers get the
# lock; an undo journal keeps them all-or-nothing (gongzhi/ledgers/journal.py). PostgreSQL writes one
# transaction.
GONGZHI_IMPORT_BATCH_ROWS = env_int("GONGZHI_IMPORT_BATCH_ROWS", 1000)
GONGZHI_IMPORT_BATCH_PAUSE = 0.15  # seconds: longer than SQLite's longest busy-handler sleep (100 ms)

# Background imports: a heartbeat every few seconds; six missed beats mean the worker died
# (gongzhi/ledgers/jobs.py). Uploaded files (full ID numbers) are private and kept this many days
# (manage.py purge_uploads).
GONGZHI_IMPORT_HEARTBEAT_SECONDS = env_int("GONGZHI_IMPORT_HEARTBEAT_SECONDS", 10)
GONGZHI_UPLOAD_RETENTION_DAYS = env_int("GONGZHI_UPLOAD_RETENTION_DAYS", 7)
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "gongzhi.accounts.tokens.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "gongzhi.core.pagination.Pagination",
    # JSON only: a form-encoded body cannot say null, so the schema's nullable fields were untrue for it.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Gongzhi 共治 API",
    "DESCRIPTION": _("共治平台接口：所有数据按调用者的角色和地域范围过滤。"),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Enterprises and projects share one choice set named "kind", as others name theirs: one name for it.
    "ENUM_NAME_OVERRIDES": {"EnterpriseKindEnum": "gongzhi.centre.models.Enterprise.Kind"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "gongzhi.core.api_schema.error_responses",  # 400/401/403/404 as they are answered
    ],
}

TASKS = {
    "default": {
        "BACKEND": env_str("GONGZHI_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("GONGZHI_LOG_LEVEL", "WARNING")},
}

# Demo and test knobs.
GONGZHI_DEMO_PASSWORD = env_str("GONGZHI_DEMO_PASSWORD", "demo")

# Personal data at rest (gongzhi/core/crypto.py, docs/security.md). Keys: "id:base64(32 bytes),…", the first
# encrypts new values, the others still decrypt (rotate with `manage.py rotate_personal_data_key`). The index
# key makes ID numbers and phones searchable by equality; it is long-lived. The published development keys
# are refused behind HTTPS (the production settings).
from gongzhi.core.crypto import DEV_INDEX_KEY, DEV_KEYS  # noqa: E402

GONGZHI_PERSONAL_DATA_KEYS = env_str("GONGZHI_PERSONAL_DATA_KEYS", "")
GONGZHI_PERSONAL_DATA_INDEX_KEY = env_str("GONGZHI_PERSONAL_DATA_INDEX_KEY", "")
if HTTPS and not DEBUG and not (GONGZHI_PERSONAL_DATA_KEYS and GONGZHI_PERSONAL_DATA_INDEX_KEY):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "GONGZHI_PERSONAL_DATA_KEYS and GONGZHI_PERSONAL_DATA_INDEX_KEY must be set on a server (docs/security.md)"
    )
GONGZHI_PERSONAL_DATA_KEYS = GONGZHI_PERSONAL_DATA_KEYS or DEV_KEYS
GONGZHI_PERSONAL_DATA_INDEX_KEY = GONGZHI_PERSONAL_DATA_INDEX_KEY or DEV_INDEX_KEY
GONGZHI_PERSONAL_DATA_CIPHER = env_str("GONGZHI_PERSONAL_DATA_CIPHER", "aes")
GONGZHI_PERSONAL_DATA_INDEX_HASH = env_str("GONGZHI_PERSONAL_DATA_INDEX_HASH", "sha256")
# Bulk unmasking (gongzhi.people.services.access_log_write): more persons than this seen in full by one user
# within the window is refused and alerts the security administrator.
GONGZHI_UNMASK_LIMIT = env_int("GONGZHI_UNMASK_LIMIT", 2000)
GONGZHI_UNMASK_WINDOW_SECONDS = env_int("GONGZHI_UNMASK_WINDOW_SECONDS", 3600)
# Retention (`manage.py purge_expired_data`, run daily): access logs and security alerts (等保 2.0 asks audit
# records be kept at least six months, so less than 180 days is refused) and ownerships/residences ended
# longer ago than this. Uploaded spreadsheets: GONGZHI_UPLOAD_RETENTION_DAYS above (`purge_uploads`).
GONGZHI_RETAIN_ACCESS_LOG_DAYS = env_int("GONGZHI_RETAIN_ACCESS_LOG_DAYS", 365)
GONGZHI_RETAIN_ENDED_DAYS = env_int("GONGZHI_RETAIN_ENDED_DAYS", 5 * 365)
# Co-governance (gongzhi.cogovern): which owners'-committee rules apply ("qingdao", or "shandong"), and a
# local map-tile URL template (e.g. "/tiles/{z}/{x}/{y}.png", served on the intranet); empty: plain background.
GONGZHI_COMMITTEE_RULES = env_str("GONGZHI_COMMITTEE_RULES", "qingdao")
GONGZHI_MAP_TILES = env_str("GONGZHI_MAP_TILES", "")
GONGZHI_CREDIT_RULE = env_str("GONGZHI_CREDIT_RULE", "")  # JSON: cogovern credit weights and grade floors
# 防止返贫动态监测 (gongzhi.monitoring): a county's own limits, not the source's — the first visit is due this many
# days after a case opens; a procedure with no decision this many days after its last 公示 is stalled.
GONGZHI_MONITORING_FIRST_VISIT_DAYS = env_int("GONGZHI_MONITORING_FIRST_VISIT_DAYS", 30)
GONGZHI_MONITORING_STALL_DAYS = env_int("GONGZHI_MONITORING_STALL_DAYS", 30)

# 双报到 matching (gongzhi.reporting): candidate lists offered to the solver — each need's best members
# (nearest first) and each member's best needs. Larger lists: closer to the optimum over all pairs, slower.
GONGZHI_MATCH_PER_NEED = env_int("GONGZHI_MATCH_PER_NEED", 20)
GONGZHI_MATCH_PER_MEMBER = env_int("GONGZHI_MATCH_PER_MEMBER", 0)
