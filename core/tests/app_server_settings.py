"""The production settings (trongtam.settings, DEBUG off) for the app servers that
core/tests/test_two_app_servers.py starts, with one difference: static files are served by
WhiteNoise from the source folders instead of a `collectstatic` run (minutes on a loaded machine,
and per machine anyway: nothing shared between app servers depends on it)."""

from trongtam.settings import *  # noqa: F403
from trongtam.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # nothing collected
