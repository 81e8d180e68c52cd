"""A draw: frozen population and parameters, the seed ceremony, and once drawn, its bundle.

The population listing and the bundle (megabytes each) are frozen artefacts
(`shuangsuiji.artefacts`): the row holds their digests, `draw.population_csv` and
`draw.bundle` read them when asked, and no list or join carries them along.

A drawn (published) draw can be neither changed nor deleted — database triggers refuse it, so
no code path, admin or SQL console can quietly alter a result. A correction is a new draw that
`supersedes` the old one, with its reason.
"""

from django.conf import settings
from django.db import models

from shuangsuiji.artefacts.fields import FrozenContent
from shuangsuiji.artefacts.frozen import frozen_record
from shuangsuiji.artefacts.services import decode_text
from shuangsuiji.directory.queries import ScopedQuerySet


class DrawState(models.TextChoices):
    FROZEN = "frozen", "名单已冻结，等待种子"
    DRAWN = "drawn", "已抽取（不可更改）"


class Draw(frozen_record("抽取")):
    """The seed, bundle, correction and who froze it are `frozen_record`'s, shared with
    `Assignment`."""

    task = models.ForeignKey(
        "plans.PlanTask", verbose_name="抽查任务", on_delete=models.PROTECT, related_name="draws"
    )
    number = models.PositiveSmallIntegerField("第几次抽取")
    draw_id = models.CharField("抽取编号", max_length=64, unique=True)
    state = models.CharField(
        "状态", max_length=10, choices=DrawState.choices, default=DrawState.FROZEN
    )
    freeze = models.JSONField("冻结记录")
    population_artefact = models.ForeignKey(
        "artefacts.Artefact", verbose_name="名单", on_delete=models.PROTECT, related_name="+"
    )
    exclusions = models.JSONField("排除名单", default=list)
    commitments = models.JSONField("承诺", default=list)
    reveals = models.JSONField("揭示", default=list)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)

    REGION_LOOKUP = "task__plan__region"
    DEPARTMENT_LOOKUP = "task__lead_department"

    objects = ScopedQuerySet.as_manager()

    population_csv = FrozenContent("population_artefact", decode_text)

    class Meta:
        verbose_name = "随机抽取"
        verbose_name_plural = "随机抽取"
        ordering = ["task", "number"]
        constraints = [
            models.UniqueConstraint(fields=["task", "number"], name="draw_number_per_task"),
        ]

    def __str__(self) -> str:
        return self.draw_id

    @property
    def is_drawn(self) -> bool:
        return self.state == DrawState.DRAWN


class Substitution(models.Model):
    """A drawn entity that cannot be inspected (已注销, 无法联系, 迁出 …) and the reserve that
    takes its place: one record of the bundle's `substitutions` (draw-spec V8), kept beside the
    frozen bundle because the draw itself never changes. Rows are only ever added — database
    triggers refuse an update or a deletion — and the published bundle lists them by `number`.
    """

    draw = models.ForeignKey(
        Draw, verbose_name="抽取", on_delete=models.PROTECT, related_name="substitutions"
    )
    number = models.PositiveIntegerField("第几次替补")
    round = models.PositiveSmallIntegerField("轮次")
    stratum = models.CharField("分层", max_length=1)
    replaced = models.CharField("被替换主体", max_length=64)
    replacement = models.CharField("替补主体", max_length=64)
    reason = models.CharField("替补原因", max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    REGION_LOOKUP = "draw__task__plan__region"
    DEPARTMENT_LOOKUP = "draw__task__lead_department"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "替补"
        verbose_name_plural = "替补"
        ordering = ["draw", "number"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "number"], name="substitution_number"),
            # V8: a selected entity is substituted at most once (per round and stratum).
            models.UniqueConstraint(
                fields=["draw", "round", "stratum", "replaced"], name="substituted_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.draw} #{self.number}: {self.replaced} → {self.replacement}"

    def record(self) -> dict[str, object]:
        """The entry of the bundle's `substitutions`, exactly the keys V8 names."""
        return {
            "round": self.round,
            "stratum": self.stratum,
            "replaced": self.replaced,
            "replacement": self.replacement,
            "reason": self.reason,
        }
