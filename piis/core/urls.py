from django.urls import path

from piis.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("switch-cpas/", views.switch_cpas, name="switch_cpas"),
]
