"""Working-day overrides for years chinesecalendar does not cover yet (or corrections)."""

from django.db import models


class WorkdayOverride(models.Model):
    day = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("上班", help_text="勾选：调休上班；不勾选：放假")
    note = models.CharField("说明", max_length=100, blank=True)

    class Meta:
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.is_working_day else '放假'}"
