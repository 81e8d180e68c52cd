from django.urls import path

from shuangsuiji.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("import/", views.plan_upload, name="upload"),
    path("import/confirm/", views.plan_confirm, name="confirm"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/export.<str:format_name>", views.plan_export, name="export"),
]
