from django.urls import path

from shuangsuiji.draws import substitution_views, views

app_name = "draws"
urlpatterns = [
    path("task/<int:task_id>/", views.task_draws, name="task"),
    path("<int:pk>/", views.draw_detail, name="detail"),
    path("<int:pk>/step/", views.draw_step, name="step"),
    path("job/<int:pk>/", views.draw_job, name="job"),
    path("<int:pk>/substitute/", substitution_views.substitute_view, name="substitute"),
    path("<int:pk>/roster/", views.roster_page, name="roster"),
    path("<int:pk>/roster.xlsx", views.roster_xlsx, name="roster-xlsx"),
    path("<int:pk>/<str:name>", views.draw_file, name="file"),
    path("verify_draw.py", views.verifier_script, name="verifier"),
]
