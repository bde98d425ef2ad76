"""The conferences' fixtures, for the papers of a conference used here to test the framework."""

from conferences.tests.conftest import conference, meeting  # noqa: F401  (the fixtures, reused)
