from django.urls import path

from shuangsuiji.approvals import views

app_name = "approvals"
urlpatterns = [
    path("", views.pending, name="pending"),
    path("approve/", views.approve, name="approve"),
    path("visit/<int:visit_id>/emergency/", views.emergency, name="emergency"),
    path("visit/<int:visit_id>/assistant/", views.assistant, name="assistant"),
    path("visit/<int:visit_id>/<str:name>.<str:kind>", views.visit_document, name="document"),
]
