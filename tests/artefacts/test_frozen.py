"""The fields a draw and an assignment share come from one declaration, labelled per model."""

from shuangsuiji.assignments.models import Assignment
from shuangsuiji.draws.models import Draw

SHARED = ["seed", "bundle_artefact", "supersedes", "reason", "created_by", "created_at"]


def labels(model: type) -> dict[str, str]:
    return {name: str(model._meta.get_field(name).verbose_name) for name in SHARED}


def test_frozen_record_labels_name_the_draw():
    assert labels(Draw) == {
        "seed": "种子",
        "bundle_artefact": "抽取记录",
        "supersedes": "更正的抽取",
        "reason": "重新抽取原因",
        "created_by": "发起人",
        "created_at": "冻结时间",
    }


def test_frozen_record_labels_name_the_assignment():
    assert labels(Assignment) == {
        "seed": "种子",
        "bundle_artefact": "分派记录",
        "supersedes": "更正的分派",
        "reason": "重新分派原因",
        "created_by": "发起人",
        "created_at": "冻结时间",
    }


def test_frozen_record_supersedes_points_at_its_own_model():
    assert (
        Draw._meta.get_field("supersedes").related_model,
        Assignment._meta.get_field("supersedes").related_model,
    ) == (Draw, Assignment)


def test_frozen_record_keeps_the_reverse_accessor_superseded_by():
    assert (
        Draw._meta.get_field("superseded_by").related_model,
        Assignment._meta.get_field("superseded_by").related_model,
    ) == (Draw, Assignment)


def test_frozen_record_fields_differ_only_in_their_labels():
    def shape(model: type) -> list[tuple[str, str, dict[str, object]]]:
        fields = []
        for name in SHARED:
            _, path, _, kwargs = model._meta.get_field(name).deconstruct()
            kwargs = {k: v for k, v in kwargs.items() if k not in {"verbose_name", "to"}}
            fields.append((name, path, kwargs))
        return fields

    assert shape(Draw) == shape(Assignment)
