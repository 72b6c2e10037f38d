from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("dondoc.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),  # the language switch (set_language)
    path("", include("dondoc.web.urls")),
]
