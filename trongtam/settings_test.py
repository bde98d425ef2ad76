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
# The API contract run (api/tests/test_contract.py) sends hundreds of requests in seconds; the
# throttle's own tests set their rates.
API_THROTTLE_RATES = {"anon": "100000/min", "user": "100000/min"}
