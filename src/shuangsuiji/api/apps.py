from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "shuangsuiji.api"
    verbose_name = "接口"
