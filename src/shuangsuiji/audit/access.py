"""Who reads which audit entries: the log is as scoped as the records it describes."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from shuangsuiji.accounts.permissions import Role, regions_in_jurisdiction, role_of
from shuangsuiji.audit.models import AuditEntry
from shuangsuiji.audit.recorder import shared_models
from shuangsuiji.directory.models import Region


def readable_entries(user: Any) -> QuerySet[AuditEntry]:
    """Coordinators and auditors read the entries of records in their region or below and of
    the shared reference data; a superuser reads them all. Entries whose region is unknown
    (a record deleted before entries named regions) are for the superuser alone."""
    if role_of(user) not in (Role.COORDINATOR, Role.AUDITOR):
        raise PermissionDenied("审计日志只对协调员和审计员开放")
    entries = AuditEntry.objects.all()
    if user.is_superuser:
        return entries
    regions = list(regions_in_jurisdiction(Region.objects.all(), user).values_list("pk", flat=True))
    return entries.filter(
        Q(region_id__in=regions) | Q(region__isnull=True, model__in=shared_models())
    )
