from django.urls import URLPattern

app_name = "companies"
urlpatterns: list[URLPattern] = []
