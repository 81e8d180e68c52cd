from django.urls import path

from shuangsuiji.analysis import views

app_name = "analysis"
urlpatterns = [
    path("", views.latest, name="latest"),
    path("plans/<int:pk>/", views.plan_analysis, name="plan"),
    path("plans/<int:pk>/report.<str:fmt>", views.annual_report, name="report"),
    path("plans/<int:pk>/risk/", views.risk_feedback, name="risk"),
]
