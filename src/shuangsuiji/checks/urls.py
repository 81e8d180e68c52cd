from django.urls import path

from shuangsuiji.checks import views

app_name = "checks"
urlpatterns = [
    path("", views.index, name="index"),
    path("caps/", views.cap, name="cap"),
    path("record/", views.record, name="record"),
    path("frequent/", views.frequent, name="frequent"),
    path("undisturbed/", views.undisturbed, name="undisturbed"),
    path("entity/<str:uscc>/", views.entity, name="entity"),
    path("export.<str:fmt>", views.export_view, name="export"),
]
