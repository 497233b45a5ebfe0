"""Settings for the test suite: the real settings with a debug key and fast hashing.

The database still comes from DATABASE_URL, so the same suite runs on SQLite (default)
and on PostgreSQL (`make test` starts a throwaway server and sets the variable).
"""

import os
import tempfile

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-" + "k" * 60)
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="portal-test-media-"))

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_AUTOREFRESH = True  # serve from the app folders; no collectstatic in tests
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
