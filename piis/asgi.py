import gc
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "piis.settings.prod")
os.environ.setdefault("PIIS_PROCESS", "web")  # settings.prod: the web's statement timeout
application = get_asgi_application()
# What the process has loaded by now (modules, URL patterns, settings…) lives as long as it: out of the collector's
# reach, so that its full collections, every hundred requests or so, scan only what requests made (issue 15: on the
# file and contract pages, about 1 ms a request on average, most of it in those collections).
gc.freeze()
