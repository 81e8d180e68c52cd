"""The deployment files in deploy/ agree with the code they deploy: every setting is in the
example environment, nginx lets the largest upload through and waits as long as the app may
take, the proxy nginx is is the one the app trusts, and the units and the compose file pass
their own tools' checks where those tools are installed. (The files are run for real by
deploy/try-on-this-machine.sh and tests/deploy/offline_install_smoke.sh.)"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from shuangsuiji.core.plans.convert import CONVERT_SECONDS
from shuangsuiji.core.plans.readers import MAX_FILE_BYTES
from shuangsuiji.directory.forms import MAX_UPLOAD_BYTES

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX_SITES = [DEPLOY / "nginx/shuangsuiji.conf", DEPLOY / "docker/nginx.conf"]
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
ENV_READ = re.compile(r"env_(?:str|bool|int|list)\(\s*\"([A-Z_]+)\"")
ENVIRON_READ = re.compile(r"os\.environ\.get\(\s*\"([A-Z_]+)\"")
MB = 1024 * 1024


def example_settings() -> dict[str, str]:
    """deploy/.env.example's variables, set or shown commented with their default."""
    text = (DEPLOY / ".env.example").read_text("utf-8")
    return dict(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=(.*)$", text, re.MULTILINE))


def nginx_directive(site: Path, name: str) -> list[str]:
    return re.findall(rf"^[ \t]*{name}[ \t]+([^;{{\n]+);", site.read_text("utf-8"), re.MULTILINE)


def unit_lines(unit: Path, key: str) -> list[str]:
    return re.findall(rf"^{key}=(.*)$", unit.read_text("utf-8"), re.MULTILINE)


def gunicorn_timeout(arguments: str) -> int:
    match = re.search(r"--timeout[ =](\d+)", arguments)
    assert match, arguments
    return int(match.group(1))


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text("utf-8"))


def test_env_example_names_every_variable_the_platform_reads() -> None:
    source = "\n".join(p.read_text("utf-8") for p in (ROOT / "src").rglob("*.py"))
    read = set(ENV_READ.findall(source)) | set(ENVIRON_READ.findall(source))

    missing = read - set(example_settings())

    assert {"DATABASE_URL", "SECRET_KEY", "TRUSTED_PROXIES", "SOFFICE_PROGRAM"} <= read
    assert missing == set()


@pytest.mark.parametrize("site", NGINX_SITES, ids=lambda p: p.parent.name)
def test_nginx_body_limit_lets_the_largest_upload_through(site: Path) -> None:
    largest = max(MAX_UPLOAD_BYTES, MAX_FILE_BYTES, settings.ATTACHMENT_MAX_MB * MB)

    (limit,) = nginx_directive(site, "client_max_body_size")

    assert limit.endswith("m")
    assert int(limit[:-1]) * MB > largest


@pytest.mark.parametrize("site", NGINX_SITES, ids=lambda p: p.parent.name)
def test_nginx_waits_longer_than_gunicorn_which_waits_longer_than_libreoffice(site: Path) -> None:
    (web,) = [unit for unit in UNITS if unit.name == "shuangsuiji-web.service"]
    (unit_arguments,) = [
        line.strip('"').split("=", 1)[1]
        for line in unit_lines(web, "Environment")
        if line.strip('"').startswith("GUNICORN_CMD_ARGS=")
    ]
    compose_arguments = compose()["x-app"]["environment"]["GUNICORN_CMD_ARGS"]
    (read_timeout,) = nginx_directive(site, "proxy_read_timeout")

    timeouts = {gunicorn_timeout(unit_arguments), gunicorn_timeout(compose_arguments)}

    assert len(timeouts) == 1
    assert CONVERT_SECONDS < timeouts.pop() < int(read_timeout.removesuffix("s"))


def test_nginx_proxies_to_the_web_unit_from_a_trusted_address() -> None:
    site = DEPLOY / "nginx/shuangsuiji.conf"
    (web,) = [unit for unit in UNITS if unit.name == "shuangsuiji-web.service"]
    (exec_start,) = unit_lines(web, "ExecStart")
    host = re.search(r"--host (\S+)", exec_start)
    port = re.search(r"--port (\S+)", exec_start)

    (upstream,) = nginx_directive(site, "server")

    assert host
    assert port
    assert upstream.split() == [f"{host.group(1)}:{port.group(1)}"]
    assert example_settings()["TRUSTED_PROXIES"].split(",") == [host.group(1)]


def test_compose_trusts_exactly_its_nginx() -> None:
    services = compose()["services"]
    nginx_address = services["nginx"]["networks"]["default"]["ipv4_address"]

    environment = compose()["x-app"]["environment"]

    assert environment["TRUSTED_PROXIES"] == nginx_address
    assert f"--forwarded-allow-ips {nginx_address}" in environment["GUNICORN_CMD_ARGS"]
    assert set(services) == {"db", "migrate", "app", "worker", "nginx"}


@pytest.mark.parametrize("site", NGINX_SITES, ids=lambda p: p.parent.name)
def test_nginx_sets_the_headers_the_app_reads_instead_of_passing_the_clients(site: Path) -> None:
    headers = dict(value.split(None, 1) for value in nginx_directive(site, "proxy_set_header"))

    assert headers["X-Forwarded-For"] == "$proxy_add_x_forwarded_for"
    assert headers["X-Forwarded-Proto"] == "$scheme"
    assert headers["X-Request-ID"] == "$request_id"
    assert headers["Host"] == "$host"


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is not installed")
@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_unit_passes_systemd_analyze_verify(unit: Path, tmp_path: Path) -> None:
    # The venv is not installed here: its program is replaced by one that exists, so verify
    # checks every other line (unknown keys, bad values) and prints nothing when all hold.
    copy = tmp_path / unit.name
    copy.write_text(
        unit.read_text("utf-8").replace("/opt/shuangsuiji/venv/bin/shuangsuiji", "/bin/true"),
        "utf-8",
    )

    result = subprocess.run(
        ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True, check=False
    )

    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def compose_command() -> list[str] | None:
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run([docker, "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


@pytest.mark.skipif(compose_command() is None, reason="neither docker compose nor docker-compose")
def test_compose_file_passes_compose_config(tmp_path: Path) -> None:
    env_file = tmp_path / "deploy.env"
    env_file.write_text((DEPLOY / ".env.example").read_text("utf-8"), "utf-8")
    command = [*(compose_command() or []), "--env-file", str(env_file)]
    command += ["-f", str(DEPLOY / "compose.yaml"), "config", "--quiet"]
    environment = {"PATH": "/usr/bin:/bin", "SHUANGSUIJI_ENV_FILE": str(env_file)}

    result = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)
    env_file.write_text("DEBUG=false\n", "utf-8")  # no POSTGRES_PASSWORD
    refused = subprocess.run(command, capture_output=True, text=True, env=environment, check=False)

    assert (result.returncode, result.stderr) == (0, "")
    assert refused.returncode != 0
    assert "set POSTGRES_PASSWORD in deploy/.env" in refused.stderr


def test_install_offline_refuses_a_wheel_that_does_not_match_its_checksum(tmp_path: Path) -> None:
    wheels = tmp_path / "house/wheels"
    wheels.mkdir(parents=True)
    wheel = wheels / "shuangsuiji-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"the wheel as built")
    digest = subprocess.run(
        ["sha256sum", "wheels/" + wheel.name],
        cwd=wheels.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (wheels.parent / "SHA256SUMS").write_text(digest, "utf-8")
    wheel.write_bytes(b"the wheel changed on the way")

    result = subprocess.run(
        ["bash", DEPLOY / "install-offline.sh", "--venv", tmp_path / "venv", wheels.parent],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert "a wheel does not match SHA256SUMS" in result.stderr
    assert not (tmp_path / "venv").exists()
