"""Settings for the test suite: the real settings with a throwaway key and fast hashing."""

import atexit
import os
import shutil
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


def _remove_temporary_folders(owner: int = os.getpid()) -> None:
    # Each process (every pytest-xdist worker too) removes the folders it made, and only those:
    # a forked child exiting normally must not pull them from under its parent.
    if os.getpid() == owner:
        for folder in (MEDIA_ROOT, STATIC_ROOT):
            shutil.rmtree(folder, ignore_errors=True)


atexit.register(_remove_temporary_folders)
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# The API contract run (api/tests/test_contract.py) sends hundreds of requests in seconds; the
# throttle's own tests set their rates.
API_THROTTLE_RATES = {"anon": "100000/min", "user": "100000/min"}
