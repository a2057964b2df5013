"""The README tour, executed: every `bash tour` block of README.md runs, as written apart from
the key and the port, in one shell against a live server on a fresh data directory, and every
answer the README shows must be the answer given (tests/support/readme_tour.py reads them)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.readme_tour import README_KEY, README_URL, Step, differences, tour_blocks, with_elisions
from tests.support.server import LiveServer

README = Path(__file__).resolve().parents[1] / "README.md"
MARKER = "@@readme-step"
FIRST_START = re.compile(r"On the first\s+start it prints.*?\n```\n(?P<body>.*?)```", re.DOTALL)


def _script(steps: list[Step], key: str, base_url: str) -> str:
    """One shell for the whole tour (variables carry over), a marker and the exit status
    around each command's output."""
    lines = []
    for number, step in enumerate(steps):
        command = step.command.replace(README_KEY, key).replace(README_URL, base_url)
        lines += [f"printf '\\n{MARKER} {number}\\n'", command, f"printf '\\n{MARKER}-rc %s\\n' $?"]
    return "\n".join(lines) + "\n"


def _outputs(stdout: str, count: int) -> dict[int, tuple[str, int]]:
    found: dict[int, tuple[str, int]] = {}
    pattern = re.compile(rf"\n{MARKER} (\d+)\n(.*?)\n{MARKER}-rc (\d+)\n", re.DOTALL)
    for match in pattern.finditer(stdout):
        found[int(match.group(1))] = (match.group(2), int(match.group(3)))
    assert len(found) == count, f"only {len(found)} of {count} tour commands ran:\n{stdout[-3000:]}"
    return found


def _answer_of(output: str) -> object:
    # A command may print progress or a table before its JSON: the answer is the last JSON line.
    for line in reversed(output.strip().splitlines()):
        try:
            return json.loads(line)
        except json.JSONDecodeError:
            continue
    text = output.strip()
    return json.loads(text)  # a JSON document printed over several lines


def test_first_start_prints_what_the_readme_shows(make_server: Callable[..., LiveServer]) -> None:
    shown = FIRST_START.search(README.read_text(encoding="utf-8"))
    assert shown, "the README no longer shows the first start's output"
    live = make_server()
    printed = live.log
    for line in shown.group("body").replace(README_URL, live.base_url).strip().splitlines():
        # What varies between installs (path, key, password) is written as `...` in the README.
        pattern = ".*".join(re.escape(part) for part in re.split(r"\S*\.\.\.\S*|/home/you/\.typeserve", line.strip()))
        assert re.search(pattern, printed), f"README line {line!r} is not what the first start prints:\n{printed}"


@pytest.mark.timeout(900)
def test_readme_tour_runs_as_written(make_server: Callable[..., LiveServer], tmp_path: Path) -> None:
    steps = [step for block in tour_blocks(README) for step in block.steps]
    assert len(steps) >= 10, "the README has lost its tour blocks"
    data_dir = tmp_path / "data"
    live = make_server(env={"TYPESERVE_DATA_DIR": str(data_dir)}, data_dir=data_dir)
    assert live.admin_key
    # The tour runs from a checkout: `.venv` there is this test's environment.
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    (checkout / ".venv").symlink_to(Path(sys.prefix))
    env = {**live.env, "TYPESERVE_DATA_DIR": str(data_dir)}
    env["PYTHONPATH"] = os.pathsep.join([str(README.parent / "src"), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        ["bash", "-c", _script(steps, live.admin_key, live.base_url)],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=840,
    )
    outputs = _outputs(done.stdout, len(steps))
    failures = []
    for number, step in enumerate(steps):
        output, rc = outputs[number]
        where = f"README.md:{step.line} `{step.command.splitlines()[0][:90]}`"
        if rc != 0:
            failures.append(f"{where} exited {rc}:\n{output[-800:]}")
        elif step.status_line is not None and step.status_line not in output:
            failures.append(f"{where}: no {step.status_line!r} in:\n{output[:800]}")
        elif step.has_answer:
            try:
                found = differences(step.answer, _answer_of(output))
            except json.JSONDecodeError:
                found = [f"not JSON: {output[:800]}"]
            if found:
                failures.append(f"{where}:\n  " + "\n  ".join(found[:5]) + f"\n  answered: {output[:600]}")
    assert not failures, "\n\n".join(failures) + f"\n\nstderr:\n{done.stderr[-2000:]}"
    assert live.alive()


def test_elisions_in_a_shown_answer_allow_more_but_never_different() -> None:
    shown = json.loads(with_elisions('{"lines": [{"text": "Go forward..."}, ...], "audio": "UklG...", ...}'))
    given = {"lines": [{"text": "Go forward ten meters."}, {"text": "more"}], "audio": "UklGRiQc", "rate": 1}
    assert differences(shown, given) == []
    assert differences(shown, {**given, "audio": "AAAA"})
    assert differences(shown, {**given, "lines": []})
    assert differences({"score": 0.5}, {"score": 0.51}) == []
    assert differences({"score": 0.5}, {"score": 0.6})
