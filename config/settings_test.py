"""The test suite's settings: the one settings module, read with SETU_ENV=test.

pytest-django imports settings before any conftest runs, so the posture is chosen here.
"""

import os

os.environ.setdefault("SETU_ENV", "test")

from config.settings import *  # noqa: E402,F403
