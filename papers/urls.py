from django.urls import path

from papers import views

app_name = "papers"

urlpatterns = [
    path("templates/", views.my_templates, name="my_templates"),
    path("schools/<int:school_pk>/templates/", views.templates, name="templates"),
    path(
        "schools/<int:school_pk>/templates/<slug:kind>/starter.docx",
        views.starter,
        name="template_starter",
    ),
    path(
        "schools/<int:school_pk>/templates/<slug:kind>/stop/",
        views.template_stop,
        name="template_stop",
    ),
    path("templates/<int:pk>.docx", views.template_file, name="template_file"),
    path("issued/<int:pk>.<str:fmt>", views.issued_file, name="issued_file"),
    path("issued/<int:pk>/pdf/<slug:key>/", views.issued_pdf_status, name="issued_pdf_status"),
    path("<slug:kind>/<int:pk>/pdf/<slug:key>/", views.pdf_status, name="pdf_status"),
    path("<slug:kind>/<int:pk>.<str:fmt>", views.download, name="download"),
]
