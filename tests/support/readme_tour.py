"""The README's executable blocks, read the way README.md documents them ("How the README is
checked"): a fenced block whose info string is `bash tour` runs as written, apart from the
key and the port; a `# {...}` or `# [...]` comment right after a command is the answer it must
give (continued on the next `#` lines until it parses as JSON); a `# HTTP/1.1 NNN` comment is
the status line it must print (with `curl -i`). A line holding a `<placeholder>` is shown,
not run. In an answer, `...` elides: as the last item of a list (more items follow), as the
last member of an object (more keys), or at the end of a string (the string goes on)."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```", re.MULTILINE | re.DOTALL)
PLACEHOLDER = re.compile(r"<[a-z][a-z -]*>")
README_KEY = "tsk_..."
README_URL = "http://127.0.0.1:8000"
SCORE_TOLERANCE = 0.02
ELIDED = "__elided__"


@dataclass
class Step:
    """One command of a block (its continuation lines joined) and what it must answer."""

    command: str
    line: int
    answer: Any = None
    status_line: str | None = None
    has_answer: bool = False


@dataclass
class Block:
    line: int
    steps: list[Step] = field(default_factory=list)


def tour_blocks(readme: Path) -> list[Block]:
    text = readme.read_text(encoding="utf-8")
    blocks: list[Block] = []
    for match in FENCE.finditer(text):
        if match.group("info").split() != ["bash", "tour"]:
            continue
        first_line = text.count("\n", 0, match.start("body")) + 1
        blocks.append(Block(first_line, _steps(match.group("body").splitlines(), first_line)))
    return blocks


def _steps(lines: list[str], first_line: int) -> list[Step]:
    steps: list[Step] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            index += 1
            continue
        start = index
        command = [line]
        while command[-1].rstrip().endswith("\\") and index + 1 < len(lines):
            index += 1
            command.append(lines[index])
        index += 1
        step = Step("\n".join(command), first_line + start)
        index = _read_answer(lines, index, step)
        if not PLACEHOLDER.search(step.command):
            steps.append(step)
    return steps


def _read_answer(lines: list[str], index: int, step: Step) -> int:
    if index >= len(lines):
        return index
    head = lines[index].strip()
    if head.startswith("# HTTP/"):
        step.status_line = head[2:].strip()
        return index + 1
    if not (head.startswith("# {") or head.startswith("# [")):
        return index
    text = head[2:]
    index += 1
    while True:
        try:
            step.answer = json.loads(with_elisions(text))
            step.has_answer = True
            return index
        except json.JSONDecodeError:
            if index >= len(lines) or not lines[index].strip().startswith("#"):
                raise ValueError(f"README answer after line {step.line} is not JSON: {text}") from None
            text += lines[index].strip()[1:].strip()
            index += 1


def with_elisions(text: str) -> str:
    """README JSON with its `...` elisions outside strings made into markers `differences` reads."""
    out: list[str] = []
    stack: list[str] = []
    in_string = escaped = False
    index = 0
    while index < len(text):
        char = text[index]
        if in_string:
            escaped = char == "\\" and not escaped
            in_string = not (char == '"' and not escaped)
        elif char == '"':
            in_string = True
        elif char in "[{":
            stack.append(char)
        elif char in "]}" and stack:
            stack.pop()
        elif text.startswith("...", index) and stack:
            out.append(f'"{ELIDED}"' if stack[-1] == "[" else f'"{ELIDED}": 0')
            index += 3
            continue
        out.append(char)
        index += 1
    return "".join(out)


def differences(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Where `actual` is not the JSON the README shows: keys, lengths, strings and integers
    exactly, fractional numbers (scores, times) within SCORE_TOLERANCE."""
    where = path or "(top)"
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {actual!r}"]
        shown = {key: value for key, value in expected.items() if key != ELIDED}
        keys_match = set(shown) <= set(actual) if ELIDED in expected else set(shown) == set(actual)
        if not keys_match:
            return [f"{where}: keys {sorted(actual)} instead of {sorted(shown)}"]
        return [d for key in shown for d in differences(shown[key], actual[key], f"{path}.{key}")]
    if isinstance(expected, list):
        return list_differences(expected, actual, path)
    if isinstance(expected, str) and expected.endswith("...") and isinstance(actual, str):
        if actual.startswith(expected[:-3]):
            return []
        return [f"{where}: {actual[:80]!r} does not start with {expected[:-3]!r}"]
    numbers = (int, float)
    if (
        isinstance(expected, numbers)
        and isinstance(actual, numbers)
        and not isinstance(expected, bool)
        and not isinstance(actual, bool)
        and (isinstance(expected, float) or isinstance(actual, float))
    ):
        if math.isclose(expected, actual, abs_tol=SCORE_TOLERANCE):
            return []
        return [f"{where}: {actual} is not within {SCORE_TOLERANCE} of {expected}"]
    if expected != actual or type(expected) is not type(actual):
        return [f"{where}: {actual!r} instead of {expected!r}"]
    return []


def list_differences(expected: list[Any], actual: Any, path: str) -> list[str]:
    elided = bool(expected) and expected[-1] == ELIDED
    shown = expected[:-1] if elided else expected
    if not isinstance(actual, list) or (len(actual) < len(shown) if elided else len(actual) != len(shown)):
        return [f"{path or '(top)'}: expected {len(shown)}{' or more' if elided else ''} items, got {actual!r}"]
    pairs = enumerate(zip(shown, actual[: len(shown)], strict=True))
    return [d for i, (e, a) in pairs for d in differences(e, a, f"{path}[{i}]")]
