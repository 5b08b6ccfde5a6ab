from django.urls import path

from piis.transfers import views

app_name = "transfers"

urlpatterns = [
    path("", views.transfer_list, name="list"),
    path("import/", views.import_package, name="import"),
    path("contract/<int:contract_id>/move/", views.start, name="start"),
    path("<int:transfer_id>/", views.detail, name="detail"),
    path("<int:transfer_id>/letter/", views.letter, name="letter"),
    path("<int:transfer_id>/letter-sent/", views.letter_sent, name="letter_sent"),
    path("<int:transfer_id>/answer/", views.answer, name="answer"),
    path("<int:transfer_id>/send/", views.send, name="send"),
    path("<int:transfer_id>/open-piis.json", views.export, name="export"),
    path("incoming/<int:incoming_id>/", views.incoming, name="incoming"),
    path("incoming/<int:incoming_id>/refusal/", views.incoming_refusal, name="incoming_refusal"),
    path("incoming/<int:incoming_id>/piis.pdf", views.incoming_pdf, name="incoming_pdf"),
    path("incoming/<int:incoming_id>/open-piis.json", views.incoming_export, name="incoming_export"),
    path("review/<int:review_id>/", views.review, name="review"),
]
