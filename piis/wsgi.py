import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "piis.settings.prod")
os.environ.setdefault("PIIS_PROCESS", "web")  # settings.prod: the web's statement timeout
application = get_wsgi_application()
