"""Keep the role groups' model permissions equal to accounts.permissions.MODEL_PERMISSIONS."""

from typing import Any

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS
from django.db.models import Q

from shuangsuiji.accounts.permissions import MODEL_PERMISSIONS


def sync_role_groups(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """Create or update the four role groups; runs after every migrate, idempotent.

    Permissions of apps migrated after this one do not exist yet when post_migrate reaches
    accounts, so they are created first (Django's own handler later finds them present).
    """
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using)
    for role, grants in MODEL_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role.value)
        wanted = Q(pk__in=[])
        for (app_label, model), actions in grants.items():
            wanted |= Q(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=[f"{action}_{model}" for action in actions],
            )
        group.permissions.set(Permission.objects.using(using).filter(wanted))
