from django.urls import URLPattern

app_name = "approvals"
urlpatterns: list[URLPattern] = []
