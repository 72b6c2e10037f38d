import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dondoc.config.settings")
application = get_wsgi_application()
# The URL configuration and the views it imports are loaded now, when a worker starts, rather than by the worker's
# first request (a quarter of a second more for whoever sends it).
import_module(settings.ROOT_URLCONF)
