from django.urls import path

from shuangsuiji.accounts import second_factor

app_name = "accounts"

urlpatterns = [
    path("second-factor/", second_factor.set_up, name="second_factor"),
    path("second-factor/verify/", second_factor.verify, name="verify"),
]
