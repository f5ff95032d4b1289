"""The signed-in page of each person's API tokens (``planboard.api.pages``), included
among the web pages' addresses."""

from django.urls import path

from planboard.api import pages

urlpatterns = [
    path("my-api-tokens/", pages.my_api_tokens, name="my_api_tokens"),
    path("my-api-tokens/made/", pages.api_token_made, name="api_token_made"),
    path("my-api-tokens/<int:pk>/revoke/", pages.revoke_api_token, name="revoke_api_token"),
]
