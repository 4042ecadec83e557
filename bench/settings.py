"""The project's settings with bench/urls.py, which adds a bare view to compare the API against."""

from gongzhi.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
