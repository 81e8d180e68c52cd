from django.apps import AppConfig


class ArtefactsConfig(AppConfig):
    name = "shuangsuiji.artefacts"
    verbose_name = "冻结文件"
