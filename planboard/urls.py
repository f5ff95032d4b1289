from django.contrib import admin
from django.urls import include, path

from planboard.public.urls import public_patterns, publishing_patterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("planboard.api.urls")),
    path("public/", include(public_patterns)),
    path("", include("planboard.web.urls")),
    path("strategies/<slug:slug>/public/", include(publishing_patterns)),
]

# Under /api/, an address nothing answers and a server error are problem documents too.
handler404 = "planboard.api.problems.not_found"
handler500 = "planboard.api.problems.server_error"
