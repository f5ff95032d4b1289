"""WSGI entry point for gunicorn: ``gunicorn planboard.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "planboard.settings")
application = get_wsgi_application()
