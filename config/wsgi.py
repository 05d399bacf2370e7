import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# A WSGI server (gunicorn) in production must not run with DEBUG or the development secret;
# the development server loads this module too and is allowed both.
if "runserver" not in sys.argv:
    from config.production import refuse_unsafe_production

    refuse_unsafe_production()
