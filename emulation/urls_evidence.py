from django.urls import path

from emulation import views_evidence as views

app_name = "emulation_evidence"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:plan_pk>/people/<int:pk>/", views.person_page, name="person"),
    path("<int:plan_pk>/units/<int:unit_pk>/", views.unit_page, name="unit"),
]
