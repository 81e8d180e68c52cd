from django.urls import path

from shuangsuiji.inspections import views

app_name = "inspections"
urlpatterns = [
    path("visit/<int:visit_id>/", views.visit_inspections, name="visit"),
    path("visit/<int:visit_id>/notice.<str:kind>", views.notice, name="notice"),
    path("<int:pk>/step/", views.inspection_step, name="step"),
    path("review/", views.review_queue, name="review"),
    path("attachment/<int:pk>/", views.attachment, name="attachment"),
]
