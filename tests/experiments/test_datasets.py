"""Reading datasets: JSON Lines, CSV (with JSON cells for boxes), zips of media, and the
errors a user gets for files that cannot be read."""

from __future__ import annotations

import base64
import io
import json
import zipfile

import pytest

from typeserve.errors import Problem
from typeserve.experiments.datasets import ROW_ERROR_KEY, detect_format, parse_dataset

LIMITS = {"max_rows": 10, "max_bytes": 1_000_000}


def test_jsonl_rows_with_media_shorthands() -> None:
    text = '{"input": "hello", "label": "en"}\n\n{"image": "AAAA", "boxes": []}\n'
    parsed = parse_dataset(text.encode(), "jsonl", **LIMITS)
    assert parsed.rows == [{"input": "hello", "label": "en"}, {"imageRef": {"Bytes": "AAAA"}, "boxes": []}]
    assert parsed.columns == ["boxes", "image", "input", "label"]


def test_csv_cells_drop_empties_and_read_boxes_as_json() -> None:
    boxes = '"[{""label"": ""face"", ""xmin"": 1, ""ymin"": 2, ""xmax"": 3, ""ymax"": 4}]"'
    text = f'input,label,boxes\n"Hi, there",en,\nBonjour,,{boxes}\n'
    rows = parse_dataset(text.encode(), "csv", **LIMITS).rows
    assert rows[0] == {"input": "Hi, there", "label": "en"}
    assert rows[1] == {"input": "Bonjour", "boxes": [{"label": "face", "xmin": 1, "ymin": 2, "xmax": 3, "ymax": 4}]}


def test_zip_members_become_base64_media_and_missing_ones_row_errors() -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("clips/a.wav", b"RIFF....")
        bundle.writestr("data.csv", "audio,text\nclips/a.wav,hello\nclips/b.wav,bye\n")
    rows = parse_dataset(archive.getvalue(), "zip", **LIMITS).rows
    assert rows[0] == {"audioRef": {"Bytes": base64.b64encode(b"RIFF....").decode()}, "text": "hello"}
    assert rows[1][ROW_ERROR_KEY] == "audio: 'clips/b.wav' is not in the zip"


def test_unreadable_files_are_refused_naming_the_problem() -> None:
    with pytest.raises(Problem) as bad_line:
        parse_dataset(b'{"input": "a"}\n{"input": \n', "jsonl", **LIMITS)
    assert bad_line.value.status == 422 and "Line 2" in bad_line.value.detail
    with pytest.raises(Problem) as too_many:
        parse_dataset("\n".join(json.dumps({"input": str(i)}) for i in range(11)).encode(), "jsonl", **LIMITS)
    assert too_many.value.status == 413 and too_many.value.code == "too_many_rows"
    with pytest.raises(Problem) as two_tables:
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as bundle:
            bundle.writestr("a.csv", "input\nx\n")
            bundle.writestr("b.jsonl", '{"input": "y"}\n')
        parse_dataset(archive.getvalue(), "zip", **LIMITS)
    assert "exactly one" in two_tables.value.detail
    with pytest.raises(Problem) as unknown:
        detect_format("application/pdf", "paper.pdf")
    assert unknown.value.status == 415
    assert detect_format("", "rows.ndjson") == "jsonl" and detect_format("text/csv", None) == "csv"
