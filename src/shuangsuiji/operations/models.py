"""What the operations side keeps: each background step of any kind (`Job`) and each
background worker's heartbeat."""

from django.conf import settings
from django.db import models

from shuangsuiji.directory.queries import ScopedQuerySet


class WorkerHeartbeat(models.Model):
    """A running `db_worker` process, seen last at `last_seen` (it writes every
    HEARTBEAT_SECONDS while it lives). `/health/` reads these: no recent one means no worker
    takes the jobs, and draws and imports would wait forever."""

    worker_id = models.CharField("进程标识", max_length=64, unique=True)
    host = models.CharField("主机", max_length=255)
    pid = models.PositiveIntegerField("进程号")
    started_at = models.DateTimeField("启动时间")
    last_seen = models.DateTimeField("最近心跳")

    class Meta:
        verbose_name = "后台任务进程"
        verbose_name_plural = "后台任务进程"

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


class JobKind(models.TextChoices):
    FREEZE = "draw-freeze", "冻结名单"
    COMPLETE = "draw-complete", "生成种子并抽取"
    CHECK = "import-check", "检查文件"
    WRITE = "import-write", "写入名录库"

    @classmethod
    def draw_steps(cls) -> list[str]:
        return [cls.FREEZE, cls.COMPLETE]


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败，未写入"

    @classmethod
    def running(cls) -> list[str]:
        """States a page keeps polling in: a worker is (or will be) busy with the step."""
        return [cls.QUEUED, cls.RUNNING]


class Job(models.Model):
    """One background step (a draw's freeze or completion, an entity file's check or write)
    on its way through a django-tasks task (`operations.jobs`): what its page polls for the
    stage and percent, where a failure's reason is kept, what the reaper reads.

    One model for every kind, so progress, leases and the reaper are written once; the
    subject is a foreign key per kind of subject (a task for draw steps, an uploaded file for
    its check and write), checked against the kind by a constraint. At most one step per task
    and per file is queued or running at a time, so a second start is refused. `region` is
    the row scope, fixed when the step is made (the task's plan's, the uploader's)."""

    kind = models.CharField("步骤", max_length=20, choices=JobKind.choices)
    region = models.ForeignKey(  # the row scope (a superuser's upload has none)
        "directory.Region",
        verbose_name="行政区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    task = models.ForeignKey(
        "plans.PlanTask",
        verbose_name="抽查任务",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="draw_jobs",
    )
    entity_import = models.ForeignKey(
        "directory.EntityImport",
        verbose_name="检查对象导入",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    draw = models.ForeignKey(
        "draws.Draw",
        verbose_name="抽取",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    supersedes = models.ForeignKey(
        "draws.Draw",
        verbose_name="更正的抽取",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    params = models.JSONField("参数", default=dict, blank=True)
    state = models.CharField(
        "状态", max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    stage = models.CharField("阶段", max_length=40, blank=True)
    done = models.PositiveIntegerField("已处理", default=0)
    total = models.PositiveIntegerField("共计", default=0)
    message = models.CharField("说明", max_length=500, blank=True)
    task_result_id = models.CharField("后台任务编号", max_length=64, blank=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发起人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    REGION_LOOKUP = "region"
    DEPARTMENT_LOOKUP = "task__lead_department"

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "后台步骤"
        verbose_name_plural = "后台步骤"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["task"],
                condition=models.Q(state__in=["queued", "running"], task__isnull=False),
                name="one_running_draw_step_per_task",
            ),
            models.UniqueConstraint(
                fields=["entity_import"],
                condition=models.Q(state__in=["queued", "running"], entity_import__isnull=False),
                name="one_running_step_per_import",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(
                        kind__in=["draw-freeze", "draw-complete"],
                        task__isnull=False,
                        entity_import__isnull=True,
                    )
                    | models.Q(
                        kind__in=["import-check", "import-write"],
                        task__isnull=True,
                        entity_import__isnull=False,
                    )
                ),
                name="job_subject_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_state_display()}）"

    @property
    def is_running(self) -> bool:
        return self.state in JobState.running()
