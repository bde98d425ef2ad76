from django.urls import path

from residence import public, views

app_name = "residence"

urlpatterns = [
    path("", views.home, name="home"),
    path("terms/new/", views.term_form, name="term_create"),
    path("terms/<int:pk>/edit/", views.term_form, name="term_edit"),
    path("dormitory/", views.dormitory, name="dormitory"),
    path("buildings/new/", views.building_form, name="building_create"),
    path("buildings/<int:pk>/edit/", views.building_form, name="building_edit"),
    path("rooms/new/", views.room_form, name="room_create"),
    path("rooms/<int:pk>/edit/", views.room_form, name="room_edit"),
    path("rooms/<int:pk>/", views.room, name="room"),
    path("places/<int:pk>/move/", views.allocation_move, name="allocation_move"),
    path("places/<int:pk>/leave/", views.allocation_leave, name="allocation_leave"),
    path("places/", views.allocations, name="allocations"),
    path("declarations/", views.declarations, name="declarations"),
    path("wards/", views.wards, name="wards"),
    path("links/", views.link_list, name="links"),
    path("links/<int:pk>/", views.cohort_links, name="cohort_links"),
    path("inspections/", views.inspections, name="inspections"),
    path("import/places/", views.import_allocations, name="import_allocations"),
    path("import/declarations/", views.import_declarations, name="import_declarations"),
    path("import/<str:kind>/template.xlsx", views.import_template, name="import_template"),
    path("k/<str:token>/", public.declare, name="declare"),
]
