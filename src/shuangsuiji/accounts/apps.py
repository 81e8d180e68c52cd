from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shuangsuiji.accounts"
    verbose_name = "用户与角色"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from shuangsuiji.accounts.roles import sync_role_groups

        post_migrate.connect(sync_role_groups, sender=self)
