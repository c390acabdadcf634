"""
Settings for the blog, read from the environment (12-factor).

With nothing set, the site runs in development mode on an embedded SQLite
file. Production is DJANGO_DEBUG=false, which refuses to start without
DJANGO_SECRET_KEY and turns on the HTTPS hardening; README.md lists every
variable.
"""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.environment import (
    development_secret_key,
    env_bool,
    env_int,
    env_list,
    mailer,
    release_fingerprint,
)
from config.storage import storages

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DJANGO_VAR_DIR", BASE_DIR / "var"))


DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_DEBUG is off, so DJANGO_SECRET_KEY must be set: use a long "
            "random string, e.g. from `python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'`."
        )
    SECRET_KEY = development_secret_key(VAR_DIR)
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    # Django's rule for a weak key (check --deploy's security.W009), refused
    # rather than warned about: sessions, form tokens and password-reset
    # links are all signed with it. The key itself is never echoed.
    raise ImproperlyConfigured(
        f"DJANGO_SECRET_KEY has {len(SECRET_KEY)} characters, "
        f"{len(set(SECRET_KEY))} of them different; it needs at least 50, at "
        "least 5 different: make one with `python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))'`."
    )

# Where the site is reached: every link in mail, and every canonical and feed
# link, starts with it, so that no request's Host header or port decides
# where a password-reset link points.
# In development it is where `make run` serves (config/gunicorn.conf.py).
BLOG_SITE_URL = os.environ.get(
    "BLOG_SITE_URL",
    f"http://{os.environ.get('GUNICORN_BIND', '127.0.0.1:8000')}" if DEBUG else "",
).rstrip("/")
if not DEBUG and not BLOG_SITE_URL:
    raise ImproperlyConfigured(
        "DJANGO_DEBUG is off, so BLOG_SITE_URL must be set to the address readers "
        "use, e.g. https://blog.example.org: links in mail are built from it."
    )
_site_url = urlsplit(BLOG_SITE_URL)
if (
    _site_url.scheme not in {"http", "https"}
    or not _site_url.hostname
    or (_site_url.path or _site_url.query or _site_url.fragment)
):
    raise ImproperlyConfigured(
        f"BLOG_SITE_URL is {BLOG_SITE_URL!r}; give the scheme and host only, "
        "e.g. https://blog.example.org."
    )

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else _site_url.hostname
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.forms",
    "mptt",
    "taggit",
    "axes",
    "django_tasks_db",
    "accounts",
    "blog",
    "comments",
]

MIDDLEWARE = [
    "config.proxy.ForwardedForMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A repeated GET of an unchanged page gets 304.
    "config.cache_control.SharedResponseConditionalGetMiddleware",
    # Above the session, CSRF, auth and messages middleware, so that it sees
    # the cookies and Vary headers they add; below WhiteNoise, whose static
    # files are the same for everyone.
    "config.cache_control.PersonalResponseCacheControlMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.http_errors.NullCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "config.http_errors.MethodNotAllowedPageMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "blog.redirects.OldAddressMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires, so it can answer a locked-out login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.site",
            ],
        },
    },
]

# Forms render with the site's templates too (comments/_form_fields.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "config.wsgi.application"

# SQLite is the embedded default. WAL lets readers run beside a writer, the
# busy timeout makes a second writer wait instead of failing, and IMMEDIATE
# transactions take the write lock up front so that a read-then-write
# transaction cannot deadlock against another worker.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite creates the file but not the folder it lives in.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# Uploads on disk, or in object storage (DJANGO_STORAGE_BACKEND): config/storage.py.
STORAGES = storages(debug=DEBUG)
# Uploaded media is served by the application only when the operator has no
# web server or object storage in front of it (see README.md).
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", default=True)

# The in-memory cache is per process: the comment rate limit, and anything
# else cached, holds across gunicorn workers and hosts only in a shared cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "blog",
            # Room for the HTML of a page of posts on every list a reader
            # browses, besides the rendered threads (comments.threads).
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
CACHES["default"]["KEY_PREFIX"] = release_fingerprint(BASE_DIR)

# Mail goes to the console in development and to SMTP in production, unless
# DJANGO_EMAIL_BACKEND names another backend (config/environment.py).
MAILERS = {"default": mailer(debug=DEBUG)}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "blog@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Work done outside the request (django.tasks): mail, kept in the database
# until `manage.py db_worker` (started by `make run`) sends it.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"
        )
    }
}

# Accounts. The two throttles come first so that a locked-out login is
# refused before any password is checked, on the site and in the admin alike.
AUTHENTICATION_BACKENDS = [
    "accounts.backends.AddressLoginThrottleBackend",
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.EmailOrUsernameBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "blog:post-list"
LOGOUT_REDIRECT_URL = "blog:post-list"
ACCOUNTS_VERIFICATION_MAX_AGE = datetime.timedelta(
    days=env_int("ACCOUNTS_VERIFICATION_DAYS", 3)
)
# Links to confirm an address: at most this many an hour to one account, and
# to one address, whoever asks.
ACCOUNTS_VERIFICATION_MAILS_PER_HOUR = env_int(
    "ACCOUNTS_VERIFICATION_MAILS_PER_HOUR", 3
)
# Accounts opened from one IP address in an hour.
ACCOUNTS_SIGN_UPS_PER_HOUR = env_int("ACCOUNTS_SIGN_UPS_PER_HOUR", 5)
# The address `make run` gives the administrator it creates (createadmin), so
# that mail to moderators reaches someone in development.
ACCOUNTS_ADMIN_EMAIL = os.environ.get("DJANGO_ADMIN_EMAIL", "")
ACCOUNTS_AVATAR_MAX_BYTES = env_int("ACCOUNTS_AVATAR_MAX_BYTES", 5 * 1024 * 1024)
# Checked before an image is decoded, against decompression bombs: 16
# megapixels is a phone's photo, and decoding one takes about 64 MB.
ACCOUNTS_AVATAR_MAX_PIXELS = env_int("ACCOUNTS_AVATAR_MAX_PIXELS", 16_000_000)

# Login throttling: a username that fails five times from one address is
# refused there for fifteen minutes; a success clears the count.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Besides, one IP address that fails this many logins, whatever the names it
# tries, is refused for the same time (accounts.backends): password spraying
# tries one password on many accounts, and each try costs a PBKDF2 hash.
ACCOUNTS_LOGIN_FAILURES_PER_ADDRESS = env_int("ACCOUNTS_LOGIN_FAILURES_PER_ADDRESS", 20)
AXES_USERNAME_CALLABLE = "accounts.backends.login_throttle_username"
AXES_RESET_ON_SUCCESS = True
# Failures are all the throttle needs; a log of every login would be
# personal data kept for nothing.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "accounts.views.login_locked_out"

# Production hardening. Behind a TLS-terminating proxy the operator sets
# DJANGO_SECURE_PROXY_SSL_HEADER=true so Django (and gunicorn,
# config/gunicorn.conf.py) trusts X-Forwarded-Proto.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only the site's own scripts, styles and images: no inline script or style,
# so text a visitor manages to inject cannot run or restyle the page.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *env_list("DJANGO_CSP_IMG_SOURCES")],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# How many reverse proxies in front of gunicorn append to X-Forwarded-For
# (config/proxy.py); 0 trusts no header.
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    # Both reach beyond this site and are slow to undo (browsers ship the
    # preload list; leaving it takes months), so only the operator turns
    # them on.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS")
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD")
    # check --deploy warns about each one left off (security.W005, W021): off
    # is the decision above, not an oversight.
    SILENCED_SYSTEM_CHECKS = []
    if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
        SILENCED_SYSTEM_CHECKS.append("security.W005")
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS.append("security.W021")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO"),
    },
}

# The blog's own settings.
BLOG_SITE_NAME = os.environ.get("BLOG_SITE_NAME", "Children’s Services Notes")
BLOG_SITE_TAGLINE = os.environ.get(
    "BLOG_SITE_TAGLINE", "Writing on children’s services in English local government"
)
BLOG_POSTS_PER_PAGE = env_int("BLOG_POSTS_PER_PAGE", 10)
# Featured images with more pixels are refused before they are decoded.
BLOG_IMAGE_MAX_PIXELS = env_int("BLOG_IMAGE_MAX_PIXELS", 50_000_000)
BLOG_FEED_FULL_TEXT = env_bool("BLOG_FEED_FULL_TEXT", default=True)  # else excerpts

# Comments: threading and the moderation rules (comments/moderation.py).
COMMENTS_MAX_DEPTH = env_int("COMMENTS_MAX_DEPTH", 5)
# Threads (top-level comments) per comment page; 0: one page, however long.
COMMENTS_PER_PAGE = env_int("COMMENTS_PER_PAGE", 50)
COMMENTS_NEWEST_FIRST = env_bool("COMMENTS_NEWEST_FIRST")
COMMENTS_MAX_LENGTH = env_int("COMMENTS_MAX_LENGTH", 5000)
COMMENTS_MAX_LINKS = env_int("COMMENTS_MAX_LINKS", 2)
COMMENTS_MODERATION_WORDS = env_list("COMMENTS_MODERATION_WORDS")
COMMENTS_BLOCK_WORDS = env_list("COMMENTS_BLOCK_WORDS")
COMMENTS_MIN_SECONDS = env_int("COMMENTS_MIN_SECONDS", 3)
# A comment form sends one comment, within this many hours of being loaded.
COMMENTS_FORM_MAX_AGE = datetime.timedelta(hours=env_int("COMMENTS_FORM_HOURS", 24))
COMMENTS_RATE_LIMIT_PER_MINUTE = env_int("COMMENTS_RATE_LIMIT_PER_MINUTE", 5)
# Comments close on posts older than this many days; unset, they never do.
COMMENTS_CLOSE_AFTER_DAYS = env_int("COMMENTS_CLOSE_AFTER_DAYS", None)
# Authors may edit a comment for this long, until someone replies to it.
COMMENTS_EDIT_WINDOW = datetime.timedelta(minutes=env_int("COMMENTS_EDIT_MINUTES", 15))
COMMENTS_NOTIFY_MODERATORS = env_bool("COMMENTS_NOTIFY_MODERATORS", default=True)
# At most one mail per thread and reader this often; what comes between
# waits for a digest.
COMMENTS_MAIL_INTERVAL = datetime.timedelta(
    minutes=float(os.environ.get("COMMENTS_MAIL_MINUTES", "10"))
)
# A guest who asks to hear of replies is mailed a link to confirm the address
# first: it works this long, and an address gets this many an hour at most.
COMMENTS_CONFIRMATION_MAX_AGE = datetime.timedelta(
    days=env_int("COMMENTS_CONFIRMATION_DAYS", 3)
)
COMMENTS_CONFIRMATION_MAILS_PER_HOUR = env_int(
    "COMMENTS_CONFIRMATION_MAILS_PER_HOUR", 3
)
# Bare "www." links in comments become https:// links (Django 2028's default).
URLIZE_ASSUME_HTTPS = True

TAGGIT_CASE_INSENSITIVE = True
