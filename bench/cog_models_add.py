"""How long `typeserve models add` of a Cog repository takes, cold (a fresh data directory:
clone, build the virtualenv from cog.yaml, setup(), trial prediction) and warm (the same
repository again with --replace: checkout and virtualenv from the cache), on the lexicon
repository the tests make. pip's own download cache is whatever the machine has.

    python bench/cog_models_add.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support.cog_repos import lexicon_repo


def models_add(source: str, data_dir: Path, *extra: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "typeserve", "models", "add", source, "--type", "text-classification",
         "--input", "text=prompt", "--output", "labels=scores", "--data-dir", str(data_dir), *extra],
        check=True, capture_output=True, timeout=1800,
    )  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    cold, warm = [], []
    with tempfile.TemporaryDirectory() as folder:
        first, _ = lexicon_repo(Path(folder) / "lexicon")
        source = f"git+file://{Path(folder) / 'lexicon'}@{first}"
        for n in range(rounds):
            data_dir = Path(folder) / f"data{n}"
            cold.append(models_add(source, data_dir))
            warm.append(models_add(source, data_dir, "--replace"))
            print(f"round {n + 1}: cold {cold[-1]:.1f} s, warm {warm[-1]:.1f} s", flush=True)
    cold_s, warm_s = statistics.median(cold), statistics.median(warm)
    print(f"models add of the test Cog repository: cold median {cold_s:.1f} s, warm median {warm_s:.1f} s, "
          f"ratio {cold_s / warm_s:.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
