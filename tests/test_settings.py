"""Every environment variable the code reads is documented, and bad values stop the start."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENV_CALL = re.compile(r"env_(?:str|bool|int|list)\(\s*\"([A-Z_]+)\"")


def test_every_environment_variable_is_documented() -> None:
    source = "\n".join(p.read_text("utf-8") for p in (ROOT / "src").rglob("*.py"))
    documented = set(
        re.findall(
            r"^\| `([A-Z_]+)` \|", (ROOT / "docs/configuration.md").read_text("utf-8"), re.MULTILINE
        )
    )

    read = set(ENV_CALL.findall(source))

    assert "DATABASE_URL" in read
    assert read - documented == set()


def test_every_documented_variable_is_in_env_example() -> None:
    example = (ROOT / ".env.example").read_text("utf-8")
    named = set(re.findall(r"^([A-Z_]+)=", example, re.MULTILINE))

    assert {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS"} <= named


def test_bad_debug_value_stops_the_start(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import shuangsuiji.settings"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"DEBUG": "maybe", "SHUANGSUIJI_DATA_DIR": str(tmp_path), "PATH": "/usr/bin"},
    )

    assert result.returncode == 1
    assert "环境变量 DEBUG='maybe' 不是布尔值" in result.stderr


def test_postgres_url_selects_psycopg_backend(tmp_path: Path) -> None:
    program = "from shuangsuiji import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        env={
            "DATABASE_URL": "postgres://u@db.internal:5432/sjs",
            "SHUANGSUIJI_DATA_DIR": str(tmp_path),
            "PATH": "/usr/bin",
        },
    )

    assert result.stdout.strip() == "django.db.backends.postgresql"


def start_with(tmp_path: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import shuangsuiji.settings"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"SHUANGSUIJI_DATA_DIR": str(tmp_path), "PATH": "/usr/bin", **environment},
    )


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("mysql://u:p@db.internal/sjs", "“mysql”（django.db.backends.mysql）"),
        ("oracle://u:p@db.internal/sjs", "“oracle”（django.db.backends.oracle）"),
        ("kingbase://u:p@db.internal/sjs", "“kingbase”"),
    ],
)
def test_an_unknown_database_engine_stops_the_start_in_chinese_and_english(
    tmp_path: Path, url: str, named: str
) -> None:
    result = start_with(tmp_path, DATABASE_URL=url)

    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert f"不支持的数据库：DATABASE_URL 指向 {named}。" in last
    assert "Unsupported database" in last
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]  # no SQLite file


def test_a_bad_log_format_stops_the_start(tmp_path: Path) -> None:
    result = start_with(tmp_path, LOG_FORMAT="xml")

    assert result.returncode == 1
    assert "环境变量 LOG_FORMAT='xml' 应为 text 或 json" in result.stderr
