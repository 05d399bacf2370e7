from django.urls import path

from api import token_views

urlpatterns = [
    path("account/api-tokens/", token_views.api_tokens, name="api_tokens"),
    path("account/api-tokens/create/", token_views.create_own_token, name="create_own_api_token"),
    path("account/api-tokens/<int:token_id>/revoke/", token_views.revoke_api_token, name="revoke_api_token"),
    path("api-tokens/", token_views.all_api_tokens, name="all_api_tokens"),
    path("api-tokens/create/", token_views.create_token_for_user, name="create_api_token_for_user"),
]
