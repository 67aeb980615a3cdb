"""WSGI entry point for gunicorn and other WSGI servers."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
application = get_wsgi_application()

from newsroom.secret import refuse_a_public_key  # noqa: E402  (needs the settings loaded above)

refuse_a_public_key()  # a production server never starts with the public development key
