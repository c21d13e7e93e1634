"""Test settings: the environment's settings, made fast and quiet.

The database and broker still come from the environment, so the same suite runs on
the embedded default (SQLite, filesystem broker) and on PostgreSQL + Redis in CI.
"""

from teamhub.settings import *  # noqa: F403
from teamhub.settings import LOGGING

# A fast hasher: tests create many users; strength is not under test here.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Axes stays on (its behaviour is under test); its handler keeps attempts in the database.
LOGGING["root"]["level"] = "WARNING"
