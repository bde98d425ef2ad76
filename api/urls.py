from django.urls import path

from api import views
from api.site import api

urlpatterns = [
    path("tokens/", views.tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
    path("", api.urls),
]
