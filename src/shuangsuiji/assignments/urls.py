from django.urls import path

from shuangsuiji.assignments import views

app_name = "assignments"
urlpatterns = [
    path("plan/<int:plan_id>/", views.plan_assignment, name="plan"),
    path("<int:pk>/", views.assignment_detail, name="detail"),
    path("<int:pk>/step/", views.assignment_step, name="step"),
    path("<int:pk>/assignment.json", views.assignment_file, name="file"),
    path("visit/<int:pk>/", views.visit_detail, name="visit"),
    path("visit/<int:pk>/sheet.<str:kind>", views.visit_sheet, name="sheet"),
    path("member/<int:member_id>/recuse/", views.recuse, name="recuse"),
    path("mine/", views.my_visits, name="mine"),
    path("verify_assign.py", views.verifier_script, name="verifier"),
]
