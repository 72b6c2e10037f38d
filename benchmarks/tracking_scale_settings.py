"""Settings for the scale benchmark's web server: the project's own, plus a stand-in task list at /bench/tasks/
(``tracking_scale_urls``) used only while the real /api/tasks/ does not exist yet."""

from dondoc.config.settings import *  # noqa: F403

ROOT_URLCONF = "tracking_scale_urls"
