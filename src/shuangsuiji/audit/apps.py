from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "shuangsuiji.audit"
    verbose_name = "审计日志"

    def ready(self) -> None:
        from shuangsuiji.audit import guards, recorder

        recorder.connect()
        guards.connect()
