from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "shuangsuiji.operations"
    verbose_name = "运行维护"
