import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "piis.settings.prod")
os.environ.setdefault("PIIS_PROCESS", "web")  # settings.prod: the web's statement timeout
application = get_asgi_application()
