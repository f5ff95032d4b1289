from django.urls import path

from planboard.web import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
