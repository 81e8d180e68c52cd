from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "shuangsuiji.approvals"
    verbose_name = "检查审批与文书"
