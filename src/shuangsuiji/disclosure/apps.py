from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "shuangsuiji.disclosure"
    verbose_name = "一公开"
