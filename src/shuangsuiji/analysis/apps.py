from django.apps import AppConfig


class AnalysisConfig(AppConfig):
    name = "shuangsuiji.analysis"
    verbose_name = "统计分析"
