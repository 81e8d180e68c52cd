from django.urls import path

from shuangsuiji.api.api import api

urlpatterns = [path("", api.urls)]
