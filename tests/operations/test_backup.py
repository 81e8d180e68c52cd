"""Backup and restore (issue 20, item 4): a round trip into an empty database gives back the
same audit chain, draws, assignments and uploads, each verified; a database with tables is
refused; an archive with a changed byte, an unlisted member or a path out of the uploads is
refused before anything is written."""

import io
import json
import sqlite3
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections

from shuangsuiji.accounts.permissions import SYSTEM
from shuangsuiji.assignments.models import Assignment
from shuangsuiji.assignments.services import complete_assignment, freeze_assignment
from shuangsuiji.audit.anchor import current_head
from shuangsuiji.draws.models import Draw
from shuangsuiji.draws.services import complete_draw, freeze_draw
from shuangsuiji.operations.backup import MANIFEST, BackupError, create_backup, restore_backup
from tests.conftest import World
from tests.draws.test_services import make_task
from tests.factories import InspectorFactory

DICE = "1 2 3 4 5 6 1 2 3 4 5 6 1 2 3 4 5 6 1 2"


def drawn_and_assigned(world: World) -> tuple[Draw, Assignment]:
    task = make_task(world)
    for _ in range(3):  # a team of two, with spares
        InspectorFactory(department=world.police)
    draw = complete_draw(
        freeze_draw(task, actor=SYSTEM), actor=SYSTEM, public_value=DICE, public_source="演练"
    )
    assignment = complete_assignment(
        freeze_assignment(task.plan, actor=SYSTEM),
        actor=SYSTEM,
        public_value=DICE,
        public_source="演练",
    )
    return draw, assignment


@contextmanager
def empty_database(tmp_path: Path) -> Iterator[None]:
    """The default connection pointed at a new, empty database for the block: a file on
    SQLite; on PostgreSQL a database created for the test beside the test database."""
    original = connections["default"]
    settings = dict(original.settings_dict)
    if connection.vendor == "sqlite":
        settings["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        settings["NAME"] = f"{original.settings_dict['NAME']}_restore"
        _recreate(original.settings_dict, settings["NAME"])
    copy = type(original)(settings, "default")
    connections["default"] = copy
    try:
        yield
    finally:
        copy.close()
        connections["default"] = original
        if original.vendor == "postgresql":
            _recreate(original.settings_dict, settings["NAME"], create=False)


def _recreate(settings: dict[str, Any], name: str, *, create: bool = True) -> None:
    with psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"],
        password=settings["PASSWORD"] or None, dbname="postgres", autocommit=True,
    ) as admin:  # fmt: skip
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            admin.execute(f'CREATE DATABASE "{name}"')


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_and_everything_verifies(
    world: World, tmp_path: Path, settings: Any
) -> None:
    draw, assignment = drawn_and_assigned(world)
    upload = Path(settings.MEDIA_ROOT) / "entity-uploads" / "abc" / "名录.csv"
    upload.parent.mkdir(parents=True)
    upload.write_bytes("统一社会信用代码\n".encode("gbk"))
    head = current_head()
    archive = tmp_path / "backup.tar.gz"
    created = create_backup(archive)
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    with empty_database(tmp_path):
        restored = restore_backup(archive)
        back = Draw.objects.get(draw_id=draw.draw_id)
        again = Assignment.objects.get(assignment_id=assignment.assignment_id)
        restored_head = current_head()

    assert restored == created
    assert (created.draws, created.assignments, created.media_files) == (1, 1, 1)
    assert (back.bundle_artefact_id, back.bundle) == (draw.bundle_artefact_id, draw.bundle)
    assert again.bundle_artefact_id == assignment.bundle_artefact_id
    assert restored_head == head
    restored_upload = tmp_path / "restored-media" / "entity-uploads" / "abc" / "名录.csv"
    assert restored_upload.read_bytes() == upload.read_bytes()


@pytest.mark.django_db(transaction=True)
def test_restoring_into_a_database_with_tables_is_refused_in_chinese(
    world: World, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.tar.gz"
    create_backup(archive)

    with pytest.raises(CommandError, match=r"目标数据库不是空的（已有 \d+ 张表"):
        call_command("backup", "restore", str(archive))


@pytest.mark.django_db(transaction=True)
def test_a_second_backup_to_the_same_file_is_refused(world: World, tmp_path: Path) -> None:
    archive = tmp_path / "backup.tar.gz"
    create_backup(archive)

    with pytest.raises(BackupError, match="文件已存在"):
        create_backup(archive)


def rewritten(archive: Path, change: Any) -> Path:
    """The archive's members through `change(name, data) -> [(name, data, type)]`."""
    members: list[tuple[str, bytes, bytes]] = []
    with tarfile.open(archive, "r:gz") as source:
        for member in source.getmembers():
            file = source.extractfile(member)
            members += change(member.name, file.read() if file else b"")
    target = archive.with_name("changed.tar.gz")
    with tarfile.open(target, "w:gz") as out:
        for name, data, kind in members:
            info = tarfile.TarInfo(name)
            info.size, info.type = len(data), kind
            if kind == tarfile.SYMTYPE:
                info.size, info.linkname = 0, "/etc/passwd"
            out.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
    return target


def one_byte_changed(name: str, data: bytes) -> list[tuple[str, bytes, bytes]]:
    if name.startswith("database."):
        data = data[:-1] + bytes([data[-1] ^ 1])
    return [(name, data, tarfile.REGTYPE)]


def escaping_upload(name: str, data: bytes) -> list[tuple[str, bytes, bytes]]:
    """A manifest and member that name a file outside the uploads, consistently."""
    if name == MANIFEST:
        manifest = json.loads(data)
        manifest["media"].append({"name": "media/../../evil.txt", "size": 1, "sha256": "a" * 64})
        data = json.dumps(manifest).encode()
        return [(name, data, tarfile.REGTYPE), ("media/../../evil.txt", b"x", tarfile.REGTYPE)]
    return [(name, data, tarfile.REGTYPE)]


def from_a_newer_release(name: str, data: bytes) -> list[tuple[str, bytes, bytes]]:
    if name == MANIFEST:
        manifest = json.loads(data)
        manifest["migrations"]["draws"] = "9999_from_the_future"
        data = json.dumps(manifest).encode()
    return [(name, data, tarfile.REGTYPE)]


def unlisted_link(name: str, data: bytes) -> list[tuple[str, bytes, bytes]]:
    extra = [("media/link", b"", tarfile.SYMTYPE)] if name == MANIFEST else []
    return [(name, data, tarfile.REGTYPE), *extra]


def manifest_not_first(name: str, data: bytes) -> list[tuple[str, bytes, bytes]]:
    return [(f"x/{name}" if name == MANIFEST else name, data, tarfile.REGTYPE)]


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        (one_byte_changed, "内容与清单中的摘要不符"),
        (escaping_upload, "不安全的文件路径"),
        (unlisted_link, "清单未列出"),
        (manifest_not_first, "第一个成员应为 manifest.json"),
        (from_a_newer_release, "备份来自较新的版本（本程序没有迁移 draws.9999_from_the_future）"),
    ],
)
@pytest.mark.django_db(transaction=True)
def test_a_tampered_archive_is_refused_and_nothing_is_written(
    world: World, tmp_path: Path, settings: Any, change: Any, refusal: str
) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the archive checks are the same on both databases; SQLite is quicker")
    archive = tmp_path / "backup.tar.gz"
    create_backup(archive)
    changed = rewritten(archive, change)
    settings.MEDIA_ROOT = tmp_path / "restored-media"

    with empty_database(tmp_path), pytest.raises(BackupError, match=refusal):
        restore_backup(changed)

    tables = sqlite3.connect(tmp_path / "restored.sqlite3").execute(
        "SELECT count(*) FROM sqlite_master"
    )
    assert tables.fetchone() == (0,)
    assert not (tmp_path / "restored-media").exists()
    assert not (tmp_path / "evil.txt").exists()
