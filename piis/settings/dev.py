"""make run: local SQLite, DEBUG on, a throwaway secret. Never use in production."""

import os

from piis.settings.base import *  # noqa: F403
from piis.settings.base import env_bool, env_list

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
DEMO_DATA_ALLOWED = True
# The second factor is off for `make run`, so that a newcomer logs in to the demo with a password alone; a banner on
# every page says so. PIIS_MFA_REQUIRED=1 make run turns it on (enrol with any authenticator app). Production
# forces it on (prod.py) and `check --deploy` refuses it off.
PIIS_MFA_REQUIRED = env_bool("PIIS_MFA_REQUIRED", False)
