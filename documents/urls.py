from django.urls import path

from documents import views, views_excel

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("new/", views.document_form, name="document_create"),
    path("import/", views.document_import, name="document_import"),
    path("register.xlsx", views_excel.documents_export, name="documents_export"),
    path("import/excel/", views_excel.documents_import, name="documents_import"),
    path("<int:pk>/", views.document_detail, name="document_detail"),
    path("<int:pk>/edit/", views.document_form, name="document_edit"),
    path("<int:pk>/archive/", views.document_archive, name="document_archive"),
    path("<int:pk>/file/", views.document_file, name="document_file"),
    path("<int:pk>/share/", views.document_share, name="document_share"),
]
