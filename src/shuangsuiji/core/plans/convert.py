"""Old Office and WPS files (.doc, .wps, .et) converted by LibreOffice, run headless.

Nothing in Python reads .doc or .wps tables reliably; LibreOffice reads them as Word and WPS
do. It runs in a child process with its own throw-away profile (two conversions at once would
otherwise share, and lock, one profile), in an empty temporary directory, under a time limit,
and its output is read by the .docx/.xlsx readers with their package checks like any upload.
Where LibreOffice is not installed the error names it and says what to do instead.
"""

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from shuangsuiji.core.errors import PlanFileError

CONVERT_SECONDS = 120
OFFICE_PROGRAMS = ("soffice", "libreoffice")
TARGET_NAMES = {"docx": "Word", "xlsx": "Excel"}


def office_program() -> str | None:
    """The LibreOffice program on PATH (SOFFICE_PROGRAM names another), or None."""
    named = os.environ.get("SOFFICE_PROGRAM")
    if named:
        return shutil.which(named)
    for name in OFFICE_PROGRAMS:
        found = shutil.which(name)
        if found:
            return found
    return None


def missing_office_message(suffix: str, target: str) -> str:
    return (
        f"读取 {suffix} 文件需要服务器安装 LibreOffice（soffice），当前未安装："
        f"请管理员安装 LibreOffice，或在 WPS/Office 中将文件另存为 .{target} 后再上传"
    )


def convert_with_office(data: bytes, suffix: str, target: str) -> bytes:
    """`data` (a `suffix` file) converted to `target` ("docx" or "xlsx"); PlanFileError if
    LibreOffice is absent, fails, or takes longer than CONVERT_SECONDS."""
    program = office_program()
    if program is None:
        raise PlanFileError(missing_office_message(suffix, target))
    with tempfile.TemporaryDirectory(prefix="ssj-convert-") as folder:
        work = Path(folder)
        source = work / f"plan{suffix}"
        source.write_bytes(data)
        profile = (work / "profile").as_uri()
        command = [
            program,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        # Its own process group, so a timeout ends soffice.bin too, not only the launcher.
        process = subprocess.Popen(  # a fixed program and arguments, no shell
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=folder,
            env={**os.environ, "HOME": folder},
            start_new_session=True,
        )
        try:
            process.wait(timeout=CONVERT_SECONDS)
        except subprocess.TimeoutExpired as error:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise PlanFileError(
                f"{suffix} 文件转换超时（超过 {CONVERT_SECONDS} 秒）：请另存为 .{target} 后再上传"
            ) from error
        result = work / "out" / f"plan.{target}"
        if not result.is_file():
            name = TARGET_NAMES.get(target, target)
            raise PlanFileError(f"无法读取 {suffix} 文件：文件已损坏，或不是 {name} 可以打开的文档")
        return result.read_bytes()
