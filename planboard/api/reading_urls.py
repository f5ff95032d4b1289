"""The API's addresses for reading the plan and its record."""

urlpatterns = []
