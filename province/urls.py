from django.urls import path

from province import views, views_mergers

app_name = "province"

urlpatterns = [
    path("", views.directive_list, name="directive_list"),
    path("new/", views.directive_create, name="directive_create"),
    path("schools/", views.school_list, name="school_list"),
    path("mergers/", views_mergers.merger_list, name="merger_list"),
    path("schools/<int:pk>/merge/", views_mergers.school_merge, name="school_merge"),
    path("<int:pk>/", views.directive_detail, name="directive_detail"),
    path("<int:pk>/send/", views.directive_send, name="directive_send"),
]
