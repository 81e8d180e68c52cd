"""Every environment variable the code reads is documented, and bad values stop the start."""

import re
import subprocess
import sys
from pathlib import Path

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
