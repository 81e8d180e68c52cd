from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shuangsuiji.accounts"
    verbose_name = "用户与角色"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from shuangsuiji.accounts import second_factor, sessions
        from shuangsuiji.accounts.roles import sync_role_groups

        post_migrate.connect(sync_role_groups, sender=self)
        user_logged_in.connect(sessions.stamp, dispatch_uid="session_stamp")
        user_logged_in.connect(second_factor.note_device, dispatch_uid="second_factor_noted")
