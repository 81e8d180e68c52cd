from django.apps import AppConfig


class AssignmentsConfig(AppConfig):
    name = "shuangsuiji.assignments"
    verbose_name = "联合检查与人员分派"
