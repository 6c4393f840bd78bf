"""`make package`: dist/attune-lambda.zip, built by Zappa from a clean environment.

The packaging virtualenv holds requirements.txt and Zappa's own handler (installed
without its command-line dependencies); Zappa copies that environment and the project
into the zip, leaving out what zappa_settings.json excludes: test tools, the project's
non-runtime files, the dev-only ``devstack`` package, and boto3/botocore, which the
Lambda runtime provides. A package that still holds dev code is refused, not shipped.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Outside the project folder: Zappa scans the project (and would copy it) while packaging.
BUILD_VENV = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "attune" / "package-venv"
OUTPUT = ROOT / "dist" / "attune-lambda.zip"
# What Zappa's handler itself imports at run time, beyond requirements.txt.
HANDLER_RUNTIME = ["zappa==0.63.0", "durationpy==0.11"]
# Top-level folders that must never reach Lambda (zappa_settings.json excludes them).
DEV_ONLY = ("devstack", "sim")


def _requirements_digest() -> str:
    text = (ROOT / "requirements.txt").read_text() + "\n".join(HANDLER_RUNTIME)
    return hashlib.sha256(text.encode()).hexdigest()


def build_venv() -> Path:
    """A fresh venv with requirements.txt only (rebuilt when requirements change)."""
    stamp = BUILD_VENV / ".requirements-sha256"
    if stamp.exists() and stamp.read_text() == _requirements_digest():
        return BUILD_VENV
    shutil.rmtree(BUILD_VENV, ignore_errors=True)
    BUILD_VENV.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(BUILD_VENV)], check=True)
    target = ["--target", str(_site_packages(BUILD_VENV))]
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet",
                    "install", *target, "-r", str(ROOT / "requirements.txt")], check=True,
                   stderr=subprocess.DEVNULL)
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet",
                    "install", *target, "--no-deps", *HANDLER_RUNTIME], check=True,
                   stderr=subprocess.DEVNULL)
    stamp.write_text(_requirements_digest())
    return BUILD_VENV


def _site_packages(venv: Path) -> Path:
    return venv / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"


def package(stage: str = "dev") -> Path:
    venv = build_venv()
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.unlink(missing_ok=True)
    zappa = Path(sys.executable).with_name("zappa")
    env = dict(os.environ, VIRTUAL_ENV=str(venv))
    # Packaging makes no AWS call, but boto3 wants a region and some credentials to exist.
    env.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    env.setdefault("AWS_ACCESS_KEY_ID", "packaging")
    env.setdefault("AWS_SECRET_ACCESS_KEY", "packaging")
    done = subprocess.run([str(zappa), "package", stage, "-o", str(OUTPUT)], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0 or not OUTPUT.exists():
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit("make package: Zappa could not build the package (see above)")
    refuse_dev_code(OUTPUT)
    return OUTPUT


def refuse_dev_code(path: Path):
    """The local stack, seed, outbox and dev panel stay out of production."""
    with zipfile.ZipFile(path) as archive:
        found = sorted({name.split("/")[0] for name in archive.namelist()} & set(DEV_ONLY))
    if found:
        path.unlink()
        raise SystemExit(f"make package: dev-only code {found} is in the package; "
                         f"add it to \"exclude\" in zappa_settings.json")


def main() -> int:
    path = package(sys.argv[1] if len(sys.argv) > 1 else "dev")
    size = path.stat().st_size
    print(f"{path.relative_to(ROOT)}: {size / 1024 / 1024:.2f} MiB zipped (goal <= 10 MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
