from django.urls import path

from shuangsuiji.dashboard import views

urlpatterns = [path("", views.home, name="home")]
