"""The audit log: every create, update and delete of the platform's records, append-only and
hash-chained — each entry's hash covers the previous one's, so an edited or removed entry
breaks the chain from there on, and database triggers refuse edits in the first place (and, on
PostgreSQL, deletions and TRUNCATE: SQLite's flush deletes row by row, so there only the chain
finds them). The chain's head is published (anchor.py), so a chain cut short or recomputed
from an edit on is found by anyone who kept an earlier head."""

from django.conf import settings
from django.db import models


class AuditHead(models.Model):
    """One row, locked while an entry is appended, so entries form a single chain."""

    sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"{self.sequence} {self.last_hash[:12]}"


class AuditEntry(models.Model):
    sequence = models.PositiveBigIntegerField("序号", unique=True)
    at = models.DateTimeField("时间")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,  # the id is hashed: deleting the user must not touch it
        related_name="+",
        db_constraint=False,  # an entry outlives the user it names
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    action = models.CharField("操作", max_length=10)
    model = models.CharField("对象类型", max_length=100)
    object_id = models.CharField("对象编号", max_length=64)
    before = models.JSONField("修改前", null=True)
    after = models.JSONField("修改后", null=True)
    previous_hash = models.CharField("上一条摘要", max_length=64)
    hash = models.CharField("摘要", max_length=64)
    # Who may read the entry: the region of the changed record, none for the shared reference
    # data (categories, qualifications) or where it is not known. Inside the hash from rule 2 on
    # (chain.py), so re-tagging an entry to hide it from a region's auditor breaks the chain.
    region = models.ForeignKey(
        "directory.Region",
        verbose_name="行政区划",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,  # an entry outlives the region it names
    )
    # The hash rule (chain.HASH_VERSION); none for entries written before the region was hashed.
    version = models.PositiveSmallIntegerField("摘要规则", null=True, blank=True)

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["model", "object_id"], name="audit_object"),
            models.Index(fields=["region", "sequence"], name="audit_region"),
            models.Index(fields=["at"], name="audit_at"),  # the published daily heads
        ]

    def __str__(self) -> str:
        return f"{self.sequence} {self.action} {self.model}#{self.object_id}"
