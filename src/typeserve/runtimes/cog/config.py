"""A Cog repository's cog.yaml: the Python version and packages its predictor needs, the
system packages it expects (named when missing, never installed behind the operator's back)
and where the predictor class is."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from typeserve.catalog.model_admin import ModelAdminError


@dataclass(frozen=True)
class CogConfig:
    python_version: str
    python_packages: list[str]
    system_packages: list[str]
    predict: str

    def environment_key(self, cog_requirement: str) -> str:
        """Environments are shared by repositories whose builds are the same."""
        build = {"python": self.python_version, "packages": self.python_packages, "cog": cog_requirement}
        return hashlib.sha256(json.dumps(build, sort_keys=True).encode()).hexdigest()[:16]


def read_cog_yaml(checkout: Path) -> CogConfig:
    file = checkout / "cog.yaml"
    if not file.is_file():
        raise ModelAdminError("the repository has no cog.yaml")
    try:
        document: Any = yaml.safe_load(file.read_text("utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ModelAdminError(f"cog.yaml is not valid YAML: {exc}") from None
    build = document.get("build") or {}
    if not isinstance(document, dict) or not isinstance(build, dict):
        raise ModelAdminError("cog.yaml must be a mapping with a build section")
    packages = list(build.get("python_packages") or [])
    requirements = build.get("python_requirements")
    if requirements:
        lines = (checkout / str(requirements)).read_text("utf-8").splitlines()
        packages += [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]
    options = [p for p in packages if str(p).strip().startswith("-")]
    if options:
        raise ModelAdminError(f"cog.yaml's python_packages holds pip options ({', '.join(options)}), not packages")
    predict = document.get("predict") or document.get("run")
    if not isinstance(predict, str) or ":" not in predict:
        raise ModelAdminError("cog.yaml has no predict: 'predict.py:Predictor'")
    if not (checkout / predict.partition(":")[0]).is_file():
        raise ModelAdminError(f"cog.yaml names {predict}, but the repository has no {predict.partition(':')[0]}")
    return CogConfig(
        python_version=str(build.get("python_version") or "3.11"),
        python_packages=[str(p) for p in packages],
        system_packages=[str(p) for p in build.get("system_packages") or []],
        predict=predict,
    )


def missing_system_packages(names: list[str]) -> list[str]:
    """The Debian packages of cog.yaml that are not installed here."""
    if not names:
        return []
    if shutil.which("dpkg-query") is None:
        return list(names)  # not a Debian system: none can be confirmed, so all are named
    missing = []
    for name in names:
        status = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", name], capture_output=True, text=True, check=False
        ).stdout
        if "install ok installed" not in status:
            missing.append(name)
    return missing
