"""Settings for the test suite: the real settings with a throwaway key and fast hashing."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-key-not-secret")

from trongtam.settings import *  # noqa: F403
from trongtam.settings import STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="trongtam-media-"))
SECURE_SSL_REDIRECT = False
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="trongtam-static-"))
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
