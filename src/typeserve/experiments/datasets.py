"""Reading a user's dataset into rows: JSON Lines, CSV, or a zip holding one of those plus the
image or audio files its rows name. A row is a JSON object with the type's input fields and,
optionally, the expected answer; `image` and `audio` columns (base64, or a file name in the
zip) are shorthands for `imageRef` and `audioRef`.

A file that cannot be read at all is refused with a 422 naming the line; a row that is merely
wrong (a missing field, an undecodable image) is kept and becomes that row's error when the
experiment runs, so one bad row never stops a run."""

from __future__ import annotations

import base64
import csv
import io
import zipfile
from dataclasses import dataclass
from typing import Any

import orjson

from typeserve.errors import ErrorKind, Problem, invalid_field, too_large, unsupported_media_type

FORMATS = ("jsonl", "csv", "zip")
# A row may carry this key (set here, never by users) to say why it cannot run.
ROW_ERROR_KEY = "$error"
# CSV cells in these columns are JSON (a list of boxes, a list of accepted answers, a ref).
JSON_COLUMNS = ("boxes", "answer", "imageRef", "audioRef")
MEDIA_COLUMNS = {"image": "imageRef", "audio": "audioRef"}


@dataclass(frozen=True)
class ParsedDataset:
    format: str
    rows: list[dict[str, Any]]
    columns: list[str]


def dataset_problem(detail: str, field: str = "file") -> Problem:
    return invalid_field(field, detail, detail, title="The dataset cannot be read", code="invalid_dataset")


def detect_format(content_type: str, filename: str | None, declared: str | None = None) -> str:
    """The format from an explicit `format`, the file name's extension, or the content type."""
    if declared:
        if declared not in FORMATS:
            raise dataset_problem(f"format must be one of {', '.join(FORMATS)}.", "format")
        return declared
    name = (filename or "").lower()
    for extension, kind in ((".jsonl", "jsonl"), (".ndjson", "jsonl"), (".csv", "csv"), (".zip", "zip")):
        if name.endswith(extension):
            return kind
    if content_type in ("application/x-ndjson", "application/jsonl", "application/json", "application/x-jsonlines"):
        return "jsonl"
    if content_type in ("text/csv", "application/csv"):
        return "csv"
    if content_type in ("application/zip", "application/x-zip-compressed"):
        return "zip"
    raise unsupported_media_type(
        "Send the dataset as JSON Lines (application/x-ndjson), CSV (text/csv) or a zip (application/zip), "
        "or name the format with ?format=jsonl|csv|zip.",
    )


def decode_text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise dataset_problem("The file is not UTF-8 text.") from None


def parse_jsonl(data: bytes) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(decode_text(data).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise dataset_problem(f"Line {number} is not JSON: {exc}.", f"line {number}") from None
        if not isinstance(row, dict):
            raise dataset_problem(f"Line {number} is not a JSON object.", f"line {number}")
        rows.append(row)
    return rows


def csv_cell(column: str, value: str) -> Any:
    if column in JSON_COLUMNS and value.lstrip()[:1] in ("[", "{"):
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            return value  # left as text: validation names it when the row runs
    return value


def parse_csv(data: bytes) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(decode_text(data), newline=""))
    if not reader.fieldnames:
        raise dataset_problem("The CSV file has no header row.")
    rows = []
    try:
        for record in reader:
            # Empty cells are absent fields (CSV cannot say null); extra cells have no column.
            rows.append(
                {
                    column: csv_cell(column, value)
                    for column, value in record.items()
                    if column and value not in ("", None)
                }
            )
    except csv.Error as exc:
        raise dataset_problem(f"Line {reader.line_num} of the CSV file cannot be read: {exc}.") from None
    return rows


def parse_zip(data: bytes, max_bytes: int) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise dataset_problem("The file is not a zip archive.") from None
    with archive:
        entries = [
            info for info in archive.infolist() if not info.is_dir() and not info.filename.startswith("__MACOSX")
        ]
        # The declared sizes bound what we unpack: a zip bomb is refused before inflating it.
        if sum(info.file_size for info in entries) > max_bytes:
            raise too_large(f"The zip unpacks to more than the dataset limit of {max_bytes} bytes.")
        tables = [info for info in entries if info.filename.lower().endswith((".jsonl", ".ndjson", ".csv"))]
        if len(tables) != 1:
            raise dataset_problem(
                f"The zip must hold exactly one .jsonl or .csv file with the rows; it holds {len(tables)}."
            )
        files = {info.filename: archive.read(info) for info in entries}
    table = tables[0].filename
    rows = parse_csv(files[table]) if table.lower().endswith(".csv") else parse_jsonl(files[table])
    del files[table]
    return rows, files


def resolve_media_columns(row: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
    """`image`/`audio` (base64 or a zip member's name) become `imageRef`/`audioRef`; a
    `imageRef.File`-style name is looked up the same way."""
    resolved = dict(row)
    for column, ref_field in MEDIA_COLUMNS.items():
        if column not in resolved:
            continue
        value = resolved.pop(column)
        if not isinstance(value, str):
            resolved[ROW_ERROR_KEY] = f"{column}: must be base64 or a file name in the zip"
            continue
        if value in files:
            resolved[ref_field] = {"Bytes": base64.b64encode(files[value]).decode("ascii")}
        elif "." in value:
            # Base64 has no dots, so this is a file name the dataset lacks: say so plainly.
            where = "in the zip" if files else "a file here (upload a zip that holds it)"
            resolved[ROW_ERROR_KEY] = f"{column}: {value[:100]!r} is not {where}"
        else:
            resolved[ref_field] = {"Bytes": value}
    return resolved


def parse_dataset(data: bytes, format: str, *, max_rows: int, max_bytes: int) -> ParsedDataset:
    if len(data) > max_bytes:
        raise too_large(f"The dataset is {len(data)} bytes; the limit is {max_bytes}.")
    files: dict[str, bytes] = {}
    if format == "zip":
        rows, files = parse_zip(data, max_bytes)
    elif format == "csv":
        rows = parse_csv(data)
    else:
        rows = parse_jsonl(data)
    return build_dataset(format, rows, max_rows=max_rows, files=files)


def build_dataset(
    format: str, rows: list[Any], *, max_rows: int, files: dict[str, bytes] | None = None, field: str = "file"
) -> ParsedDataset:
    if not rows:
        raise dataset_problem("The dataset has no rows.", field)
    if len(rows) > max_rows:
        raise Problem(
            ErrorKind.TOO_LARGE,
            "too_many_rows",
            "Dataset too large",
            f"The dataset has {len(rows)} rows; the limit is {max_rows}.",
            errors=[{"field": field, "message": f"at most {max_rows} rows"}],
        )
    for number, row in enumerate(rows):
        if not isinstance(row, dict):
            raise dataset_problem(f"Row {number} is not a JSON object.", f"{field}.{number}")
    resolved = [resolve_media_columns(row, files or {}) for row in rows]
    columns = sorted({column for row in rows for column in row})
    return ParsedDataset(format=format, rows=resolved, columns=columns)
