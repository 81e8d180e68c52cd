from django.urls import path

from shuangsuiji.disclosure import publicity, views

app_name = "disclosure"
urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:pk>/", views.plan_page, name="plan"),
    path("items/", views.check_items, name="items"),
    path("draws/<str:draw_id>/", views.draw_page, name="draw"),
    path("draws/<str:draw_id>/why/", views.why_me, name="why"),
    path(
        "draws/<str:draw_id>/proof/<str:uscc>.json",
        views.company_proof_file,
        name="company_proof",
    ),
    path("draws/<str:draw_id>/<str:name>", views.draw_file, name="draw_file"),
    path("results/", views.results, name="results"),
    path("results.<str:fmt>", views.results_data, name="results_data"),
    path("results/publicity.<str:fmt>", publicity.publicity_data, name="publicity_data"),
    path("feed.atom", views.feed, name="feed"),
    path("verify_draw.py", views.verifier, name="verifier"),
]
