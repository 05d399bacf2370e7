import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# A WSGI server (gunicorn) must not run with DEBUG on; the development server loads this module too and
# may. (Neither serves with the development secret unless DEBUG is on: config.middleware.)
if "runserver" not in sys.argv:
    from config.production import refuse_unsafe_production

    refuse_unsafe_production()
