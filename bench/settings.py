"""The portal's production settings plus the two reference pages of the benchmark (bench/urls.py)."""

from yiwu_union.settings import *  # noqa: F401,F403
from yiwu_union.settings import TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]  # noqa: F405
