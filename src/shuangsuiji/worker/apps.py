from django.apps import AppConfig


class WorkerConfig(AppConfig):
    name = "shuangsuiji.worker"
    verbose_name = "后台任务进程"
