"""A user belongs to one department; an inspector's login links to the inspector record."""

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    department = models.ForeignKey(
        "directory.Department",
        verbose_name="所属部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    inspector = models.OneToOneField(
        "directory.Inspector",
        verbose_name="执法人员档案",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )

    REGION_LOOKUP = "department__region"

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
