from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "shuangsuiji.inspections"
    verbose_name = "检查与结果"
