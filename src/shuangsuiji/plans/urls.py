from django.urls import path

from shuangsuiji.plans import publication_views, views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("import/", views.plan_upload, name="upload"),
    path("import/confirm/", views.plan_confirm, name="confirm"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/export.<str:format_name>", views.plan_export, name="export"),
    path("<int:pk>/publish/", publication_views.plan_publish, name="publish"),
    path("<int:pk>/withdraw/", publication_views.plan_withdraw, name="withdraw"),
    path("<int:pk>/delete/", publication_views.plan_delete, name="delete"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/population/", views.task_population, name="task_population"),
    path("tasks/<int:pk>/population/count/", views.population_count, name="population_count"),
    path("tasks/<int:pk>/history/", views.task_history, name="task_history"),
]
