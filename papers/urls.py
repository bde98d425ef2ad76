from django.urls import path

from papers import views

app_name = "papers"

urlpatterns = [
    path("<slug:kind>/<int:pk>.<str:fmt>", views.download, name="download"),
    path("plans/<int:pk>/ke-hoach.docx", views.plan_docx, name="plan_docx"),
    path("plans/<int:pk>/number/", views.plan_number, name="plan_number"),
]
