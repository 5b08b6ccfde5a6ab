from django.urls import path

from piis.transfers import views

app_name = "transfers"

urlpatterns = [
    path("", views.transfer_list, name="list"),
    path("import/", views.import_package, name="import"),
    path("contract/<int:contract_id>/move/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/letter/", views.letter, name="letter"),
    path("<int:pk>/letter-sent/", views.letter_sent, name="letter_sent"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/send/", views.send, name="send"),
    path("<int:pk>/open-piis.json", views.export, name="export"),
    path("incoming/<int:pk>/", views.incoming, name="incoming"),
    path("incoming/<int:pk>/refusal/", views.incoming_refusal, name="incoming_refusal"),
    path("incoming/<int:pk>/piis.pdf", views.incoming_pdf, name="incoming_pdf"),
    path("incoming/<int:pk>/open-piis.json", views.incoming_export, name="incoming_export"),
    path("review/<int:pk>/", views.review, name="review"),
]
