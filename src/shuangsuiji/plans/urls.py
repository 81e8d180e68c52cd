from django.urls import path

from shuangsuiji.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("import/", views.plan_upload, name="upload"),
    path("import/confirm/", views.plan_confirm, name="confirm"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/export.<str:format_name>", views.plan_export, name="export"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/population/", views.task_population, name="task_population"),
    path("tasks/<int:pk>/population/count/", views.population_count, name="population_count"),
    path("tasks/<int:pk>/history/", views.task_history, name="task_history"),
]
