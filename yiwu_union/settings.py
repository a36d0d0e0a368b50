"""Settings of the Yiwu Union portal, read from the environment.

Every value has a safe production default; `make run` and the test suite set DEBUG and the
database explicitly. The small helpers below refuse malformed values instead of guessing.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("TESTING", False)

# Without SECRET_KEY (and DEBUG off) Django refuses to sign anything: no session, no CSRF token,
# so a production server started without it cannot serve a page; commands that sign nothing
# (makemigrations, check) still run.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY and (DEBUG or TESTING):
    SECRET_KEY = "dev-only-insecure-key-" + "x" * 40

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Links in SMS point at SITE_URL; without it, at the address `make run HOST=… PORT=…` serves on.
SITE_URL = (
    env_str("SITE_URL") or f"http://{env_str('HOST') or '127.0.0.1'}:{env_int('PORT', 8000)}"
).rstrip("/")

INSTALLED_APPS = [
    "apps.core.adminsite.PortalAdminConfig",  # django.contrib.admin with a lighter site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "import_export",
    "axes",
    "csp",
    "apps.core",
    "apps.workdays",
    "apps.orgs",
    "apps.accounts",
    "apps.members",
    "apps.notify",
    "apps.awards",
    "apps.stars",
    "apps.membership",
    "apps.rights",
    "apps.notices",
    "apps.mutualaid",
    "apps.innovation",
    "apps.counselling",
    "apps.aid",
    "apps.news",
    "apps.workqueues",
    "apps.competitions",
    "apps.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "apps.core.middleware.RequestSizeLimitMiddleware",
    "apps.core.middleware.NulByteRejectMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # AxesMiddleware last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yiwu_union.urls"
WSGI_APPLICATION = "yiwu_union.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "apps.core.context_processors.portal",
                "apps.workdays.context_processors.calendar_notice",
                "apps.notify.context_processors.staff_notices",
                "apps.counselling.context_processors.crisis_notice",
            ],
        },
    },
]

# Database: a SQLite file unless DATABASE_URL says otherwise (make test always gives PostgreSQL).
# Connections are kept DB_CONN_MAX_AGE seconds and checked before reuse, so an app server
# survives a PostgreSQL restart or failover without being restarted itself.
DB_CONN_MAX_AGE = env_int("DB_CONN_MAX_AGE", 60)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True,
    )
}
# A streaming replica (hot standby) for the heavy reads that may lag a second: dashboards,
# statistics and exports, and only where the code asks for it (yiwu_union.routers.replica_reads).
# Without DATABASE_REPLICA_URL those reads go to the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DB_CONN_MAX_AGE, conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["yiwu_union.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and Celery: Redis when REDIS_URL is given, else process memory and eager tasks.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
        }
    }
    # A Redis outage degrades to uncached reads instead of failing pages.
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    # Sessions shared by every app server: read from Redis, written through to PostgreSQL, so a
    # Redis restart (or outage) signs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Asia/Shanghai"
# A request never waits on a broker that is down: the SMS outbox is swept by beat instead.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
CELERY_TASK_PUBLISH_RETRY = False
# A task is acknowledged when it ends, not when it starts: a worker killed mid-task leaves it to
# run again (the SMS outbox's claim in apps/notify/services.py keeps a resend from doubling).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# An unacknowledged task on Redis is handed out again after this many seconds (a worker that
# vanished whole); longer than the slowest task.
CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "apps.accounts.backends.PhonePasswordBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "members:home"
LOGOUT_REDIRECT_URL = "core:home"

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# One counter per person: a phone however it is spelled ("+86 139-0000-0011" = "13900000011").
AXES_USERNAME_CALLABLE = "apps.accounts.backends.axes_username"
# The same client address as every per-address limit (X-Forwarded-For from trusted proxies only).
AXES_CLIENT_IP_CALLABLE = "apps.accounts.otp.client_ip"

# Reverse proxies in front of Django that append the client's address to X-Forwarded-For
# (1 = the README's nginx; 0 = none, the header is ignored), and the addresses they connect from
# (an empty REMOTE_ADDR, a Unix socket, is always local).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FIXTURE_DIRS = [BASE_DIR / "fixtures"]  # reference data: `loaddata honour_rolls`
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Media: local files under MEDIA_ROOT, or, when AWS_STORAGE_BUCKET_NAME is set, a private bucket
# of any S3-compatible store (MinIO, OSS, COS, Ceph...) through django-storages. Either way no
# URL serves media: views that check who asks stream it (FileResponse over storage.open()).
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "access_key": env_str("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env_str("AWS_SECRET_ACCESS_KEY") or None,
            "location": env_str("AWS_LOCATION"),
            "addressing_style": env_str("AWS_S3_ADDRESSING_STYLE") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            "object_parameters": {"ServerSideEncryption": "AES256"} if env_bool("AWS_S3_ENCRYPT", False) else {},
        },
    }
else:
    MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# In development and tests whitenoise serves straight from the finders (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Form fields other than files (Django's default); files are bounded by UPLOAD_MAX_REQUEST_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2621440
DATA_UPLOAD_MAX_NUMBER_FILES = 20

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security: production defaults; DEBUG (make run) relaxes only what plain HTTP needs.
SECURE_SSL = env_bool("SECURE_SSL", not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_SSL_REDIRECT = SECURE_SSL
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer probes over plain HTTP
SECURE_HSTS_SECONDS = 31536000 if SECURE_SSL else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
SECURE_HSTS_PRELOAD = SECURE_SSL
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# SMS: the console backend writes what would be sent; tests use the in-memory outbox.
SMS_BACKEND = env_str("SMS_BACKEND", "apps.notify.sms.ConsoleBackend")
SMS_SIGNATURE = env_str("SMS_SIGNATURE", "【义乌市总工会】")
SMS_RETENTION_DAYS = env_int("SMS_RETENTION_DAYS", 180)  # then text cleared, phone masked
SMS_CLAIM_TIMEOUT = env_int("SMS_CLAIM_TIMEOUT", 300)  # seconds before a stuck send is retried
SMS_FILE_PATH = env_str("SMS_FILE_PATH")  # apps.notify.sms.FileBackend only (make cluster's tests)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@yiwu-union.local")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)

# One-time phone codes.
PHONE_CODE_TTL_SECONDS = 5 * 60
PHONE_CODE_MAX_TRIES = 5
PHONE_CODE_RESEND_SECONDS = 60
PHONE_CODE_DAILY_LIMIT_PER_PHONE = 10
PHONE_CODE_DAILY_CAP_PER_PHONE = env_int("PHONE_CODE_DAILY_CAP_PER_PHONE", 30)  # sign-in codes, all addresses
PHONE_CODE_HOURLY_LIMIT_PER_ADDRESS = env_int("PHONE_CODE_HOURLY_LIMIT_PER_ADDRESS", 20)
PHONE_CODE_DAILY_LIMIT_PER_ADDRESS = env_int("PHONE_CODE_DAILY_LIMIT_PER_ADDRESS", 60)
# Join form submissions (each after a phone code) per client address and per ID number a day:
# what bounds the "already a member" answer.
JOIN_ANSWERS_PER_ADDRESS_DAILY = env_int("JOIN_ANSWERS_PER_ADDRESS_DAILY", 10)
JOIN_ANSWERS_PER_DOCUMENT_DAILY = env_int("JOIN_ANSWERS_PER_DOCUMENT_DAILY", 3)

# Member card tokens: how long a printed QR stays valid.
MEMBER_CARD_TOKEN_DAYS = env_int("MEMBER_CARD_TOKEN_DAYS", 365)

# Uploads: photos and documents.
# Phones take 10-20 MB, 48-50 megapixel photos: accepted, then downscaled on the server.
PHOTO_MAX_BYTES = 20 * 1024 * 1024
PHOTO_MAX_PIXELS = 52_000_000
DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
# What one request may make the server decode (ten 12-MP photos) and send in total; nginx's
# client_max_body_size should equal UPLOAD_MAX_REQUEST_BYTES.
UPLOAD_MAX_PIXELS_PER_REQUEST = 130_000_000
UPLOAD_MAX_REQUEST_BYTES = 64 * 1024 * 1024
# Anonymous posts of the rights form per client address and hour.
RIGHTS_ANONYMOUS_POSTS_PER_HOUR = env_int("RIGHTS_ANONYMOUS_POSTS_PER_HOUR", 30)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

CELERY_BEAT_SCHEDULE = {
    "notify-sweep-sms-outbox": {
        "task": "apps.notify.tasks.sms_outbox_sweep",
        "schedule": float(env_int("SMS_SWEEP_SECONDS", 120)),
    },
    "membership-escalate-overdue-joins": {
        "task": "apps.membership.tasks.join_requests_escalate",
        "schedule": crontab(hour=7, minute=30),
    },
    "core-purge-old-exports": {
        "task": "apps.core.tasks.export_jobs_purge_old",
        "schedule": crontab(hour=3, minute=0),
    },
    "notices-close-expired": {
        "task": "apps.notices.tasks.notices_close_expired_task",
        "schedule": crontab(hour=0, minute=10),
    },
    "notify-purge-old-sms": {
        "task": "apps.notify.tasks.sms_purge",
        "schedule": crontab(hour=3, minute=30),
    },
    "rights-morning-digest": {
        "task": "apps.rights.tasks.rights_due_digest_send",
        "schedule": crontab(hour=8, minute=0),
    },
    "workqueues-morning-digest": {
        "task": "apps.workqueues.tasks.work_queue_digest_send",
        "schedule": crontab(hour=8, minute=5),
    },
    "core-check-tallies": {
        "task": "apps.core.tasks.tallies_check_task",
        "schedule": crontab(hour=2, minute=30),
    },
    "core-sweep-orphan-media": {
        "task": "apps.core.tasks.media_orphans_sweep",
        "schedule": crontab(hour=4, minute=0),
    },
    "core-purge-pending-uploads": {
        "task": "apps.core.tasks.pending_uploads_purge",
        "schedule": crontab(hour=3, minute=30),
    },
    "stars-remind-unsubmitted": {
        "task": "apps.stars.tasks.stars_remind_unsubmitted",
        "schedule": crontab(hour=9, minute=0),
    },
    "dashboard-warm": {
        "task": "apps.dashboard.tasks.dashboard_warm_task",
        "schedule": float(env_int("DASHBOARD_WARM_SECONDS", 30)),
    },
    "counselling-remind-tomorrow": {
        "task": "apps.counselling.tasks.counselling_reminders_send",
        "schedule": crontab(hour=17, minute=0),
    },
}

# Counselling: session notes are encrypted with this Fernet key (counselling.E001 without it in
# production); `make run` (DEBUG) falls back to a fixed development key that protects nothing.
COUNSELLING_NOTES_KEY = env_str("COUNSELLING_NOTES_KEY")
if not COUNSELLING_NOTES_KEY and DEBUG:
    COUNSELLING_NOTES_KEY = "ZGV2LW9ubHktY291bnNlbGxpbmcta2V5LTAxMjM0NTY="
COUNSELLING_CANCEL_HOURS = env_int("COUNSELLING_CANCEL_HOURS", 24)  # a member cancels up to this before
# Status-change models never shown on a member's timeline (apps/core/timeline.py).
TIMELINE_EXCLUDED = ["counselling.BookingChange"]
