from django.urls import path

from piis.documents import views

app_name = "documents"
urlpatterns = [
    path("files/<int:beneficiary_id>/", views.file_documents, name="file"),
    path("files/<int:beneficiary_id>/new/", views.document_add, name="add"),
    path("contracts/<int:contract_id>/", views.contract_documents, name="contract"),
    path("contracts/<int:contract_id>/new/", views.contract_document_add, name="contract_add"),
    path("<int:document_id>/download/", views.document_download, name="download"),
    path("<int:document_id>/remove/", views.document_remove, name="remove"),
    path("files/<int:beneficiary_id>/letters/<str:kind>/", views.letter_new, name="letter_new"),
    path("letters/<int:letter_id>/pdf/", views.letter_pdf, name="letter_pdf"),
    path("letter-templates/", views.template_list, name="templates"),
    path("letter-templates/<str:kind>/<str:language>/", views.template_edit, name="template_edit"),
    path(
        "contracts/<int:contract_id>/handovers/<int:version_id>/explained/",
        views.handover_explained,
        name="handover_explained",
    ),
    path(
        "contracts/<int:contract_id>/evaluations/<int:evaluation_id>/explained/",
        views.evaluation_explained,
        name="evaluation_explained",
    ),
    path("contracts/<int:contract_id>/outcome/", views.outcome_edit, name="outcome"),
]
