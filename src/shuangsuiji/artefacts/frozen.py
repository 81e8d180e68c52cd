"""`frozen_record`: the fields a draw and an assignment share, written once.

Both are frozen first and completed by a seed, publish a bundle (a frozen artefact, named by
digest), may correct an earlier record of their kind with a reason, and name who froze them
and when. Each used to declare these six fields itself, and the copies could drift (a length,
a null, an on_delete). The columns are the same as before: only the Python declaration moved
here, so no migration touches the tables or the triggers that guard them.

It lives beside `Artefact` because the bundle reference is the one field that needs another
app, and `artefacts` already sits below `draws` and `assignments`.
"""

from django.conf import settings
from django.db import models

from shuangsuiji.artefacts.fields import FrozenContent
from shuangsuiji.artefacts.services import decode_json


def frozen_record(noun: str) -> type[models.Model]:
    """An abstract model with the shared fields, labelled for the step `noun` names (抽取 →
    抽取记录, 更正的抽取, 重新抽取原因), so pages, forms and the admin read the words they did.

    A function rather than one abstract class: Django copies an abstract model's fields into
    each concrete model as they are, and a migration records a field's label, so a label that
    differs per model has to be right when the field is made; overriding the fields in each
    model would bring the copies back."""

    class FrozenRecord(models.Model):
        seed = models.CharField("种子", max_length=64, blank=True)
        bundle_artefact = models.ForeignKey(
            "artefacts.Artefact",
            verbose_name=f"{noun}记录",
            null=True,
            blank=True,
            on_delete=models.PROTECT,
            related_name="+",
        )
        supersedes = models.OneToOneField(
            "self",
            verbose_name=f"更正的{noun}",
            null=True,
            blank=True,
            on_delete=models.PROTECT,
            related_name="superseded_by",
        )
        reason = models.TextField(f"重新{noun}原因", blank=True)
        created_by = models.ForeignKey(
            settings.AUTH_USER_MODEL,
            verbose_name="发起人",
            null=True,
            blank=True,
            on_delete=models.SET_NULL,
            related_name="+",
        )
        created_at = models.DateTimeField("冻结时间", auto_now_add=True)

        bundle = FrozenContent("bundle_artefact", decode_json)  # None until completed

        class Meta:
            abstract = True

    return FrozenRecord
