from django.urls import path

from piis.followup import views

app_name = "followup"
urlpatterns = [
    path("evaluations/<int:evaluation_id>/print/", views.evaluation_print, name="evaluation_print"),
    path("commitments/<int:clause_id>/delivery/", views.commitment_delivery, name="commitment_delivery"),
    path("files/<int:beneficiary_id>/meetings/new/", views.meeting_add, name="meeting_add"),
    path("meetings/<int:meeting_id>/held/", views.meeting_held, name="meeting_held"),
    path("meetings/<int:meeting_id>/withdraw/", views.meeting_withdraw, name="meeting_withdraw"),
    path("calendar/", views.feed_settings, name="feed_settings"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
