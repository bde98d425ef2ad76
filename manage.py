#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import secrets
import sys


def main():
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trongtam.settings")
    # Commands (migrate, makemigrations, createsuperuser…) sign nothing that must outlive them,
    # so without a configured key they get a throwaway one. The web app, served through
    # trongtam/wsgi.py, still refuses to start without SECRET_KEY unless DEBUG is on.
    debug = os.environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
    if not os.environ.get("SECRET_KEY") and not debug:
        os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
