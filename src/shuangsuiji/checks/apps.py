from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "shuangsuiji.checks"
    verbose_name = "涉企检查台账"
