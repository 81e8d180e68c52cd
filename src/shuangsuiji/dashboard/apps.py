from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "shuangsuiji.dashboard"
    verbose_name = "工作台"
