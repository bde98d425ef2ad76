from django.urls import path

from organisations import views, views_excel

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_tree, name="tree"),
    path("switch/", views.switch_organisation, name="switch"),
    path("new/", views.organisation_form, name="organisation_create"),
    path("<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("<int:pk>/edit/", views.organisation_form, name="organisation_edit"),
    path("<int:pk>/rename/", views.organisation_rename, name="organisation_rename"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_form, name="person_create"),
    path("people.xlsx", views_excel.people_export, name="people_export"),
    path("people/import/", views_excel.people_import, name="people_import"),
    path("people/sheet/", views_excel.people_sheet, name="people_sheet"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_form, name="person_edit"),
    path("people/<int:pk>/positions/new/", views.position_add, name="position_add"),
    path("positions/<int:pk>/end/", views.position_end, name="position_end"),
    path("people/<int:pk>/unlock/", views.person_unlock, name="person_unlock"),
    path("people/<int:pk>/password/", views.person_password_reset, name="person_password_reset"),
]
