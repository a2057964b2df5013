"""Where a checkpoint comes from: a local folder, a snapshot already in the Hugging Face cache,
or (with network access) a download from the Hub through huggingface_hub."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from typeserve.runtimes.transformers.checkpoint import CheckpointError

HUB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class Source:
    path: Path
    hub_id: str | None = None

    @property
    def description(self) -> str:
        return f"https://huggingface.co/{self.hub_id}" if self.hub_id else str(self.path)


def cached_snapshot(hub_id: str, revision: str | None = None) -> Path | None:
    """The snapshot folder of `hub_id` in the local Hugging Face cache, if it is there."""
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(hub_id, revision=revision, local_files_only=True))
    except Exception:
        return None


def resolve_source(path_or_hub_id: str) -> Source:
    """A folder if one exists at that path; else a Hub id found in the local cache."""
    path = Path(path_or_hub_id).expanduser()
    if path.exists():
        if not path.is_dir():
            raise CheckpointError(f"{path} is not a folder; give a save_pretrained folder or a Hub model id.")
        return Source(path.resolve())
    if HUB_ID.match(path_or_hub_id) and not path_or_hub_id.startswith((".", "/")):
        snapshot = cached_snapshot(path_or_hub_id)
        if snapshot is not None:
            return Source(snapshot, hub_id=path_or_hub_id)
        raise CheckpointError(
            f"{path_or_hub_id} is neither a folder nor in the local Hugging Face cache; "
            f"download it with `typeserve models pull {path_or_hub_id}`."
        )
    raise CheckpointError(f"{path_or_hub_id} does not exist.")


def download(hub_id: str, revision: str | None = None) -> Source:
    """Download a Hub snapshot (huggingface_hub shows a progress bar per file)."""
    from huggingface_hub import snapshot_download

    if not HUB_ID.match(hub_id):
        raise CheckpointError(f"{hub_id!r} is not a Hub model id (organisation/name).")
    try:
        return Source(Path(snapshot_download(hub_id, revision=revision)), hub_id=hub_id)
    except Exception as exc:
        raise CheckpointError(f"could not download {hub_id}: {exc.__class__.__name__}: {exc}") from None
