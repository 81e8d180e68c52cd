"""What the operations side keeps: each background worker's heartbeat."""

from django.db import models


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
