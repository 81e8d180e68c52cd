"""Frozen artefacts: the large values a draw or an assignment freezes or publishes (a
population listing, a bundle, an assignment's frozen pools), each stored once, compressed,
under the SHA-256 of its bytes.

They live here and not in the rows that name them so that no list page, join or
`select_related` carries megabytes along: a `Draw` or `Assignment` holds only the 64-character
digest, and its `FrozenContent` attribute reads the content when code asks for it. Rows are
only ever added — database triggers refuse an update or a deletion (and, on PostgreSQL, a
TRUNCATE while the table holds a row) — so a digest, once recorded in a published draw and in
the audit chain, always finds the same bytes.
"""

from django.db import models


class ArtefactKind(models.TextChoices):
    POPULATION = "population", "抽取名单"
    DRAW_BUNDLE = "draw-bundle", "抽取记录"
    ASSIGNMENT_FREEZE = "assignment-freeze", "分派冻结记录"
    ASSIGNMENT_BUNDLE = "assignment-bundle", "分派记录"


class ArtefactManager(models.Manager["Artefact"]):
    """Leaves `content` unread unless asked for: the admin or a stray foreign-key access that
    fetches an artefact gets its digest, kind and size, not its megabytes."""

    def get_queryset(self) -> models.QuerySet["Artefact"]:
        return super().get_queryset().defer("content")


class Artefact(models.Model):
    digest = models.CharField("SHA-256", max_length=64, primary_key=True)
    kind = models.CharField("类型", max_length=20, choices=ArtefactKind.choices)
    size = models.PositiveBigIntegerField("字节数（未压缩）")
    content = models.BinaryField("内容（zlib 压缩）")
    created_at = models.DateTimeField("保存时间", auto_now_add=True)

    objects = ArtefactManager()

    class Meta:
        verbose_name = "冻结文件"
        verbose_name_plural = "冻结文件"
        base_manager_name = "objects"  # related-object access defers `content` too

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.digest}（{self.size} 字节）"
