"""make run: local SQLite, DEBUG on, a throwaway secret. Never use in production."""

import os

from piis.settings.base import *  # noqa: F403
from piis.settings.base import env_bool, env_list

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
DEMO_DATA_ALLOWED = True
