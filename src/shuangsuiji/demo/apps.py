from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "shuangsuiji.demo"
    verbose_name = "演示数据"
