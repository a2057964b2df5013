"""Reading a user's dataset into rows: JSON Lines, CSV, or a zip holding one of those plus the
image or audio files its rows name. A row is a JSON object with the type's input fields and,
optionally, the expected answer; `image` and `audio` columns (base64, or a file name in the
zip) are shorthands for `imageRef` and `audioRef`.

Rows are counted as they are parsed and zip members are inflated against their real (not
their declared) sizes, so an oversized upload is refused once it passes a limit, before it is
all parsed or unpacked; a corrupt zip (bad CRC, unknown compression, encryption) is a 400.
A file that cannot be read at all is refused with a 422 naming the line; a row that is merely
wrong (a missing field, an undecodable image) is kept and becomes that row's error when the
experiment runs, so one bad row never stops a run."""

from __future__ import annotations

import base64
import csv
import io
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson

from typeserve.errors import Problem, bad_request, invalid_field, too_large, unsupported_media_type

FORMATS = ("jsonl", "csv", "zip")
# A row may carry this key (set here, never by users) to say why it cannot run.
ROW_ERROR_KEY = "$error"
# CSV cells in these columns are JSON (a list of boxes, a list of accepted answers, a ref).
JSON_COLUMNS = ("boxes", "answer", "imageRef", "audioRef")
MEDIA_COLUMNS = {"image": "imageRef", "audio": "audioRef"}
MAX_ZIP_MEMBERS = 10_000
READ_CHUNK = 1024 * 1024


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


def too_many_rows(max_rows: int, field: str = "file", found: int | None = None) -> Problem:
    shown = found if found is not None else f"more than {max_rows}"
    return too_large(
        f"The dataset has {shown} rows; the limit is {max_rows}.",
        code="too_many_rows",
        title="Dataset too large",
        field=field,
    )


def counted(rows: Iterable[dict[str, Any]], max_rows: int) -> list[dict[str, Any]]:
    """The rows, refused as soon as one more than `max_rows` is parsed."""
    kept: list[dict[str, Any]] = []
    for row in rows:
        if len(kept) == max_rows:
            raise too_many_rows(max_rows)
        kept.append(row)
    return kept


def parse_jsonl(data: bytes, max_rows: int) -> list[dict[str, Any]]:
    return counted(jsonl_rows(data), max_rows)


def jsonl_rows(data: bytes) -> Iterable[dict[str, Any]]:
    for number, line in enumerate(decode_text(data).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise dataset_problem(f"Line {number} is not JSON: {exc}.", f"line {number}") from None
        if not isinstance(row, dict):
            raise dataset_problem(f"Line {number} is not a JSON object.", f"line {number}")
        yield row


def csv_cell(column: str, value: str) -> Any:
    if column in JSON_COLUMNS and value.lstrip()[:1] in ("[", "{"):
        try:
            return orjson.loads(value)
        except orjson.JSONDecodeError:
            return value  # left as text: validation names it when the row runs
    return value


def parse_csv(data: bytes, max_rows: int) -> list[dict[str, Any]]:
    return counted(csv_rows(data), max_rows)


def csv_rows(data: bytes) -> Iterable[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(decode_text(data), newline=""))
    try:
        if not reader.fieldnames:
            raise dataset_problem("The CSV file has no header row.")
        for record in reader:
            # Empty cells are absent fields (CSV cannot say null); extra cells have no column.
            yield {
                column: csv_cell(column, value)
                for column, value in record.items()
                if column and value not in ("", None)
            }
    except csv.Error as exc:
        raise dataset_problem(f"Line {reader.line_num} of the CSV file cannot be read: {exc}.") from None


def corrupt_zip(detail: str) -> Problem:
    return bad_request("invalid_zip", f"The zip cannot be unpacked: {detail}.")


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, max_bytes: int) -> bytes:
    """The member's bytes, inflated a chunk at a time and refused once the whole archive has
    given more than `max_bytes` (`budget` of them are left): declared sizes can lie."""
    if info.flag_bits & 0x1:
        raise corrupt_zip(f"{info.filename[:100]!r} is encrypted")
    chunks: list[bytes] = []
    try:
        with archive.open(info) as member:
            while chunk := member.read(READ_CHUNK):
                budget -= len(chunk)
                if budget < 0:
                    raise too_large(f"The zip unpacks to more than the dataset limit of {max_bytes} bytes.")
                chunks.append(chunk)
    except zipfile.BadZipFile as exc:  # bad CRC, truncated member
        raise corrupt_zip(f"{info.filename[:100]!r}: {exc}") from None
    except NotImplementedError:  # an unknown compression method
        raise corrupt_zip(f"{info.filename[:100]!r} uses an unsupported compression method") from None
    except (RuntimeError, ValueError, EOFError, OSError, zlib.error) as exc:
        raise corrupt_zip(f"{info.filename[:100]!r}: {exc.__class__.__name__}") from None
    return b"".join(chunks)


def parse_zip(data: bytes, max_bytes: int, max_rows: int) -> tuple[list[dict[str, Any]], dict[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise dataset_problem("The file is not a zip archive.") from None
    with archive:
        entries = [
            info for info in archive.infolist() if not info.is_dir() and not info.filename.startswith("__MACOSX")
        ]
        if len(entries) > MAX_ZIP_MEMBERS:
            raise too_large(f"The zip holds {len(entries)} files; the limit is {MAX_ZIP_MEMBERS}.")
        # The declared sizes refuse an honest zip bomb at once; read_member catches a lying one.
        if sum(info.file_size for info in entries) > max_bytes:
            raise too_large(f"The zip unpacks to more than the dataset limit of {max_bytes} bytes.")
        tables = [info for info in entries if info.filename.lower().endswith((".jsonl", ".ndjson", ".csv"))]
        if len(tables) != 1:
            raise dataset_problem(
                f"The zip must hold exactly one .jsonl or .csv file with the rows; it holds {len(tables)}."
            )
        files: dict[str, bytes] = {}
        budget = max_bytes
        for info in entries:
            files[info.filename] = read_member(archive, info, budget, max_bytes)
            budget -= len(files[info.filename])
    table = tables[0].filename
    text = files.pop(table)
    rows = parse_csv(text, max_rows) if table.lower().endswith(".csv") else parse_jsonl(text, max_rows)
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
        rows, files = parse_zip(data, max_bytes, max_rows)
    elif format == "csv":
        rows = parse_csv(data, max_rows)
    else:
        rows = parse_jsonl(data, max_rows)
    return build_dataset(format, rows, max_rows=max_rows, files=files)


def build_dataset(
    format: str, rows: list[Any], *, max_rows: int, files: dict[str, bytes] | None = None, field: str = "file"
) -> ParsedDataset:
    if not rows:
        raise dataset_problem("The dataset has no rows.", field)
    if len(rows) > max_rows:
        raise too_many_rows(max_rows, field, len(rows))
    for number, row in enumerate(rows):
        if not isinstance(row, dict):
            raise dataset_problem(f"Row {number} is not a JSON object.", f"{field}.{number}")
    resolved = [resolve_media_columns(row, files or {}) for row in rows]
    columns = sorted({column for row in rows for column in row})
    return ParsedDataset(format=format, rows=resolved, columns=columns)
