"""Backup and restore of a whole installation: the database, the uploaded files, and a manifest
that lets the restored copy prove it is the one that was backed up.

The archive is a gzip-compressed tar whose first member is `manifest.json`; then the database
(`database.pgdump`, pg_dump's custom format, or `database.sqlite3`, a copy by SQLite's backup
API) and the uploads under `media/`. The manifest names every member with its size and SHA-256,
the audit chain's head, and every draw's and assignment's bundle digest, all read from the same
snapshot as the database: on PostgreSQL pg_dump runs on the snapshot the manifest was read in
(`pg_export_snapshot`), on SQLite the copy is taken inside the transaction that read it.

Restoring trusts nothing in the archive before checking it: members are read in order, each
one must be listed in the manifest with the size it declares (no links, no paths outside
`media/`, no `..`), and is hashed while it is copied, so a changed byte or a swollen member is
refused before anything is written. Only an empty database is restored into (a database with
tables is someone's data; restoring over it would mix two histories). Once written, the audit
chain is checked link by link and every draw and assignment is verified from its bundle by the
same rules a citizen's verifier uses.
"""

import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from shuangsuiji.assignments.models import Assignment
from shuangsuiji.audit.anchor import current_head
from shuangsuiji.audit.chain import first_break
from shuangsuiji.audit.models import AuditEntry
from shuangsuiji.core import assign as assignment_rule
from shuangsuiji.core import draw as draw_rule
from shuangsuiji.draws.models import Draw

FORMAT = "shuangsuiji-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_MEMBERS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
# A manifest lists each draw, assignment and upload in a line or two: a province's ten years
# are well under this; anything larger is not a manifest we wrote.
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_MEMBER_NAME = 1_000
CHUNK = 1024 * 1024
DUMP_TIMEOUT = 6 * 3600  # seconds: pg_dump / pg_restore of a large province


class BackupError(RuntimeError):
    """The backup or restore was refused or failed; the message says why, in Chinese."""


@dataclass(frozen=True)
class Report:
    """What a finished backup or restore did, for the command to print."""

    manifest_sha256: str
    draws: int
    assignments: int
    media_files: int
    audit_head: str


# ---------------------------------------------------------------- create


def create_backup(target: Path) -> Report:
    """Write the archive to `target` (refused if it exists): database, uploads, manifest."""
    if target.exists():
        raise BackupError(f"文件已存在：{target}（不会覆盖已有的备份）")
    vendor = _vendor()
    with tempfile.TemporaryDirectory(prefix="ssj-backup-") as work:
        dump = Path(work) / DATABASE_MEMBERS[vendor]
        records = _dump_database(dump, vendor)
        media = list(_media_files())
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "database": {"vendor": vendor, **_member(dump.name, dump)},
            "media": [_member(f"{MEDIA}/{name}", path) for name, path in media],
            **records,
        }
        data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
        partial = target.with_name(target.name + ".partial")
        try:
            with partial.open("xb") as raw, tarfile.open(fileobj=raw, mode="w|gz") as archive:
                _add_bytes(archive, MANIFEST, data)
                archive.add(dump, arcname=dump.name, recursive=False)
                for name, path in media:
                    archive.add(path, arcname=f"{MEDIA}/{name}", recursive=False)
            partial.rename(target)
        finally:
            partial.unlink(missing_ok=True)
    return _report(manifest, hashlib.sha256(data).hexdigest())


def _vendor() -> str:
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库：只支持 PostgreSQL 与 SQLite")
    return connection.vendor


def _dump_database(dump: Path, vendor: str) -> dict[str, Any]:
    """Copy the database to `dump` and read the manifest's records from the same snapshot:
    on SQLite from the copy itself, on PostgreSQL in the snapshot pg_dump is given."""
    if vendor == "sqlite":
        if connection.in_atomic_block:  # its lock would keep the backup waiting for ever
            raise BackupError("不能在事务中备份 SQLite 数据库")
        connection.ensure_connection()
        copy = sqlite3.connect(dump)
        try:
            connection.connection.backup(copy)
            return _records(copy.cursor())
        finally:
            copy.close()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        records = _records(cursor)
        _run_pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                f"--snapshot={snapshot}", f"--file={dump}")  # fmt: skip
    return records


def _records(cursor: Any) -> dict[str, Any]:
    """The manifest's promises about the data: the audit head, each bundle's digest, and the
    newest migration of each app. Plain SQL over a DB-API cursor, so the same query reads
    PostgreSQL's snapshot and SQLite's copy."""

    def rows(model: Any, *fields: str) -> list[tuple[Any, ...]]:
        columns = ", ".join(model._meta.get_field(name).column for name in fields)
        cursor.execute(f"SELECT {columns} FROM {model._meta.db_table} ORDER BY 1")
        return list(cursor.fetchall())

    entries = rows(AuditEntry, "sequence", "hash")
    head = max(entries, default=None)
    migrations = dict(rows(MigrationRecorder.Migration, "app", "name"))
    return {
        "audit_head": {"sequence": head[0], "digest": head[1]} if head else None,
        "draws": dict(rows(Draw, "draw_id", "bundle_artefact")),
        "assignments": dict(rows(Assignment, "assignment_id", "bundle_artefact")),
        "migrations": migrations,
    }


def _media_files() -> Iterator[tuple[str, Path]]:
    """Regular files under MEDIA_ROOT as (posix relative name, path); links are not followed
    (an upload is never a link, and following one could copy the server's own files)."""
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for directory, subdirectories, files in os.walk(root):
        subdirectories.sort()
        for name in sorted(files):
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def _member(name: str, path: Path) -> dict[str, Any]:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return {"name": name, "size": path.stat().st_size, "sha256": digest.hexdigest()}


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o644
    archive.addfile(info, io.BytesIO(data))


# ---------------------------------------------------------------- restore

NOT_EMPTY = (
    "目标数据库不是空的（已有 {count} 张表，如 {names}）：恢复只写入新建的空数据库，"
    "以免与现有数据混在一起。请新建一个空数据库，把 DATABASE_URL 指向它后再恢复。"
)


def restore_backup(source: Path) -> Report:
    """Check the archive whole, restore it into the (empty) database and MEDIA_ROOT, and
    verify the audit chain and every draw and assignment against the manifest."""
    _require_empty_database()
    vendor = _vendor()
    with tempfile.TemporaryDirectory(prefix="ssj-restore-") as work:
        manifest, manifest_sha256, files = _unpack(source, Path(work))
        database = manifest["database"]
        if database.get("vendor") != vendor:
            raise BackupError(
                f"备份来自 {database.get('vendor')} 数据库，不能恢复到 {vendor} 数据库"
            )
        _require_known_migrations(manifest)
        media_root = Path(settings.MEDIA_ROOT)
        targets = _media_targets(manifest, media_root)
        _require_empty_database()  # checked again: time has passed while reading
        _load_database(files[database["name"]], vendor)
        for name, target in targets.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                shutil.copyfile(files[name], target)
    problems = verify_restored(manifest)
    if problems:
        shown = "\n".join(problems[:20])
        raise BackupError(f"恢复后的校验未通过（{len(problems)} 处）：\n{shown}")
    return _report(manifest, manifest_sha256)


def _require_known_migrations(manifest: dict[str, Any]) -> None:
    """A backup made by a newer release holds tables this code does not know: refused, since
    the code would then run on a schema it does not understand. An older backup is fine
    (`shuangsuiji migrate` brings it forward)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    recorded = manifest.get("migrations")
    if not isinstance(recorded, dict):
        raise BackupError("备份清单缺少 migrations")
    unknown = sorted(f"{app}.{name}" for app, name in recorded.items() if (app, name) not in known)
    if unknown:
        raise BackupError(
            f"备份来自较新的版本（本程序没有迁移 {'、'.join(unknown[:3])}）："
            "请先安装与备份时相同或更新的版本再恢复"
        )


def _require_empty_database() -> None:
    tables = connection.introspection.table_names()
    if tables:
        names = "、".join(tables[:3])
        raise BackupError(NOT_EMPTY.format(count=len(tables), names=names))


def _unpack(source: Path, work: Path) -> tuple[dict[str, Any], str, dict[str, Path]]:
    """Read the archive in order into `work`, checking every member against the manifest
    (name, type, size, digest) as it is read. Returns the manifest, its digest and the paths of
    the checked members."""
    try:
        with source.open("rb") as raw, tarfile.open(fileobj=raw, mode="r|gz") as archive:
            members = iter(archive)
            first = next(members, None)
            if first is None or first.name != MANIFEST or not first.isreg():
                raise BackupError("不是本平台的备份文件：第一个成员应为 manifest.json")
            if first.size > MAX_MANIFEST_BYTES:
                raise BackupError("备份清单过大，拒绝读取")
            data = _read_exactly(archive.extractfile(first), first.size)
            manifest = _parse_manifest(data)
            expected = {m["name"]: m for m in [manifest["database"], *manifest["media"]]}
            files: dict[str, Path] = {}
            for member in members:
                declared = expected.get(member.name)
                if declared is None or member.name in files:
                    raise BackupError(f"备份中有清单未列出或重复的成员：{member.name[:200]}")
                if not member.isreg() or member.size != declared["size"]:
                    raise BackupError(f"成员 {member.name} 的类型或大小与清单不符")
                path = work / f"member-{len(files)}"
                _copy_checked(archive.extractfile(member), path, declared)
                files[member.name] = path
    except (tarfile.TarError, EOFError, gzip.BadGzipFile, OSError, zlib.error) as error:
        raise BackupError(f"备份文件已损坏或不完整：{error.__class__.__name__}") from error
    missing = sorted(set(expected) - set(files))
    if missing:
        raise BackupError(f"备份不完整，缺少：{'、'.join(missing[:5])}")
    return manifest, hashlib.sha256(data).hexdigest(), files


def _read_exactly(file: IO[bytes] | None, size: int) -> bytes:
    data = file.read(size + 1) if file is not None else b""
    if len(data) != size:
        raise BackupError("备份文件已损坏：成员长度与其记录不符")
    return data


def _copy_checked(file: IO[bytes] | None, path: Path, declared: dict[str, Any]) -> None:
    """Copy at most the declared size, hashing; refuse a member whose bytes do not match."""
    if file is None:
        raise BackupError(f"成员 {declared['name']} 无法读取")
    digest, remaining = hashlib.sha256(), int(declared["size"])
    with path.open("xb") as out:
        while remaining > 0:
            chunk = file.read(min(CHUNK, remaining))
            if not chunk:
                break
            digest.update(chunk)
            out.write(chunk)
            remaining -= len(chunk)
    if remaining or digest.hexdigest() != declared["sha256"]:
        raise BackupError(f"成员 {declared['name']} 的内容与清单中的摘要不符（备份被改动或损坏）")


def _parse_manifest(data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError("备份清单不是有效的 JSON") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("不是本平台的备份文件（清单格式不符）")
    if manifest.get("version") != VERSION:
        raise BackupError(f"备份格式版本 {manifest.get('version')} 不受支持（应为 {VERSION}）")
    database, media = manifest.get("database"), manifest.get("media")
    if not isinstance(database, dict) or database.get("name") not in DATABASE_MEMBERS.values():
        raise BackupError("备份清单缺少数据库文件的记录")
    if not isinstance(media, list):
        raise BackupError("备份清单的上传文件列表无效")
    for entry in [database, *media]:
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("name"), str)
            and isinstance(entry.get("size"), int)
            and entry["size"] >= 0
            and isinstance(entry.get("sha256"), str)
        ):
            raise BackupError("备份清单中有无效的文件记录")
    for entry in media:
        _safe_media_name(entry["name"])
    for key in ("draws", "assignments"):
        if not isinstance(manifest.get(key), dict):
            raise BackupError(f"备份清单缺少 {key}")
    return manifest


def _media_targets(manifest: dict[str, Any], root: Path) -> dict[str, Path]:
    """Where each upload goes under `root`; refuses a name that would leave it, and an
    existing file with other content (nothing is overwritten)."""
    targets: dict[str, Path] = {}
    base = root.resolve()
    for entry in manifest["media"]:
        name = entry["name"]
        target = base.joinpath(*_safe_media_name(name).parts[1:])
        if not target.resolve().is_relative_to(base):
            raise BackupError(f"备份中有不安全的文件路径：{name[:200]}")
        if target.exists() and _member(name, target)["sha256"] != entry["sha256"]:
            raise BackupError(f"上传文件目录中已有不同内容的 {name}，不覆盖")
        targets[name] = target
    return targets


def _safe_media_name(name: str) -> PurePosixPath:
    """A member name under media/ that cannot leave it: relative, no `..`, no empty part."""
    relative = PurePosixPath(name)
    parts = relative.parts
    if (
        len(name) > MAX_MEMBER_NAME
        or relative.is_absolute()
        or len(parts) < 2
        or parts[0] != MEDIA
        or any(part in ("", ".", "..") or "\\" in part for part in name.split("/"))
    ):
        raise BackupError(f"备份中有不安全的文件路径：{name[:200]}")
    return relative


def _load_database(dump: Path, vendor: str) -> None:
    if vendor == "postgresql":
        _run_pg("pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                "--single-transaction", str(dump))  # fmt: skip
        return
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _run_pg(program: str, *arguments: str) -> None:
    """pg_dump or pg_restore on the configured database; the password through the
    environment, never the command line (which `ps` shows to everyone)."""
    database = connection.settings_dict
    environment = {**os.environ}
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = str(database["PASSWORD"])
    target = ["--dbname", str(database["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            target += [flag, str(database[key])]
    try:
        finished = subprocess.run(
            [program, *target, *arguments],
            env=environment,
            capture_output=True,
            timeout=DUMP_TIMEOUT,
            check=False,
        )
    except FileNotFoundError as error:
        raise BackupError(
            f"找不到 {program}：请安装 PostgreSQL 客户端（postgresql-client）"
        ) from error
    if finished.returncode != 0:
        message = finished.stderr.decode(errors="replace").strip()[-2000:]
        raise BackupError(f"{program} 失败（代码 {finished.returncode}）：{message}")


# ---------------------------------------------------------------- verify


def verify_restored(manifest: dict[str, Any]) -> list[str]:
    """Every promise of the manifest checked against the database now: the audit chain whole
    and ending at the recorded head, every draw and assignment with its recorded bundle and
    verifying from it. Empty when all hold."""
    problems = []
    broken = first_break(AuditEntry.objects.order_by("sequence").iterator(chunk_size=2_000))
    if broken:
        problems.append(f"审计日志：{broken}")
    head = current_head()
    found = {"sequence": head.sequence, "digest": head.digest} if head else None
    if found != manifest.get("audit_head"):
        problems.append(f"审计日志的最新摘要 {found} 与备份清单 {manifest.get('audit_head')} 不符")
    draws = dict(Draw.objects.values_list("draw_id", "bundle_artefact"))
    if draws != manifest["draws"]:
        problems.append("抽取记录与备份清单不符（数量或摘要）")
    for draw in Draw.objects.exclude(bundle_artefact=None).order_by("pk").iterator(chunk_size=20):
        verdict = draw_rule.verify(draw.bundle, draw_rule.read_population_csv(draw.population_csv))
        if verdict:
            problems.append(f"抽取 {draw.draw_id}：{verdict[0]}")
    assignments = dict(Assignment.objects.values_list("assignment_id", "bundle_artefact"))
    if assignments != manifest["assignments"]:
        problems.append("分派记录与备份清单不符（数量或摘要）")
    for record in (
        Assignment.objects.exclude(bundle_artefact=None).order_by("pk").iterator(chunk_size=20)
    ):
        verdict = assignment_rule.verify(record.bundle)
        if verdict:
            problems.append(f"分派 {record.assignment_id}：{verdict[0]}")
    return problems


def _report(manifest: dict[str, Any], manifest_sha256: str) -> Report:
    head = manifest.get("audit_head")
    return Report(
        manifest_sha256=manifest_sha256,
        draws=len(manifest["draws"]),
        assignments=len(manifest["assignments"]),
        media_files=len(manifest["media"]),
        audit_head=f"第 {head['sequence']} 条 {head['digest']}" if head else "（无记录）",
    )
