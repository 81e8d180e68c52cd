from django.urls import path

from shuangsuiji.companies import views

app_name = "companies"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.sign_in, name="sign_in"),
    path("logout/", views.sign_out, name="sign_out"),
    path("visits/<int:visit_id>/", views.visit_page, name="visit"),
    path("visits/<int:visit_id>/notice.<str:kind>", views.notice, name="notice"),
    path("visits/<int:visit_id>/book/", views.book, name="book"),
    path("visits/<int:visit_id>/rate/", views.rate_page, name="rate"),
    path("results/<int:inspection_id>/object/", views.object_page, name="object"),
    path("objections/<int:pk>/file", views.objection_file, name="objection_file"),
    # the platform's side
    path("slots/<int:visit_id>/offer/", views.offer, name="offer"),
    path("objections/", views.objections, name="objections"),
    path("objections/<int:pk>/", views.answer, name="answer"),
]
