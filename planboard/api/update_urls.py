"""The API's addresses for giving and reviewing updates."""

urlpatterns = []
