"""Reading a partner file completely, or not at all: the rules every parser shares.

A file that arrived cut off, in an encoding that cannot be read faithfully, or as a broken
archive must be quarantined with a reason an officer can pass back, never half-read: a row
lost from the end of a file, or a `£` turned into `�`, would otherwise be published.

- **Complete.** A text file ends with a line break. One that stops part way through its last
  line was cut off in transit (a copy that ran out of space, an upload that stopped), and
  its last row cannot be trusted even when it looks whole: "97% of action" is a sentence
  that stopped, not one that ended.
- **Decoded faithfully.** UTF-8 (with or without a byte-order mark) is read as it is. A
  file that is not UTF-8 but is valid Windows-1252, which is what a spreadsheet saved as CSV
  on a council laptop is, is read as Windows-1252 and a note says so; it becomes a warning
  finding naming the encoding, so the partner can be asked for UTF-8. Anything else, and any
  text already holding the replacement character U+FFFD, is refused: no reader here decodes
  with `errors="replace"`, so U+FFFD is never stored.
- **Archives open.** A zip that is not one, or whose member is damaged, is refused.

Notes (what was read, but not as a partner should have written it) are collected while a
file is parsed, inside `noting()`, by ingestion: parsers need not carry them.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from pipelines.returns import ParseError

WINDOWS_1252 = "Windows-1252"
READ_AS_WINDOWS_1252 = f"it was read as {WINDOWS_1252}"
"""The words of the encoding note, by which the quality layer tells it from a parser's own
notes (aggregate rows skipped, years a release holds) kept in the same ledger reason."""
REPLACEMENT = "\ufffd"
NUL = b"\x00"

_notes: ContextVar[list[str] | None] = ContextVar("reading_notes", default=None)


@contextmanager
def noting() -> Iterator[list[str]]:
    """Collect the notes of the files read inside the block (ingestion: one file at a time)."""
    notes: list[str] = []
    token = _notes.set(notes)
    try:
        yield notes
    finally:
        _notes.reset(token)


def note(text: str) -> None:
    """Record something read that the partner should know about, if anyone is collecting."""
    notes = _notes.get()
    if notes is not None and text not in notes:
        notes.append(text)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def require_complete(data: bytes, file: str) -> None:
    """Refuse an empty file, or one whose last line has no line break (cut off in transit)."""
    if not data.strip():
        raise ParseError("the file is empty", file=file)
    if not data.endswith((b"\n", b"\r")):
        last_line = _line_of(data, len(data))
        tail = data[data.rfind(b"\n") + 1 :][-40:].decode("utf-8", errors="backslashreplace")
        raise ParseError(
            f"the file stops part way through line {last_line} ('...{tail}' has no line "
            "break after it): it looks cut off in transit; ask the partner to send it again",
            file=file,
        )


def decode(data: bytes, file: str) -> str:
    """The text of a partner file, read faithfully or refused (see the module's rules)."""
    if NUL in data:
        raise ParseError(
            f"the file holds NUL bytes (line {_line_of(data, data.index(NUL))}): it is "
            "not text in UTF-8 or Windows-1252 (perhaps UTF-16 or a binary file under a .csv "
            "name); ask the partner to save it as CSV UTF-8",
            file=file,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise ParseError(
                f"the file is neither UTF-8 nor Windows-1252 text (byte 0x{data[error.start]:02X}"
                f" on line {_line_of(data, error.start)} means nothing in either); ask the "
                "partner to save it as CSV UTF-8",
                file=file,
            ) from error
        first = utf8_error.start
        note(
            f"{file} is not UTF-8 (byte 0x{data[first]:02X} on line {_line_of(data, first)}), so "
            f"{READ_AS_WINDOWS_1252}, where that byte is "
            f"'{data[first : first + 1].decode('cp1252')}'. Check the text, and ask the "
            "partner to save it as CSV UTF-8"
        )
    if REPLACEMENT in text:
        offset = text.index(REPLACEMENT)
        raise ParseError(
            f"the file holds the replacement character '{REPLACEMENT}' on line "
            f"{text.count(chr(10), 0, offset) + 1}: its text was garbled before it was sent; "
            "ask the partner to export it again as CSV UTF-8",
            file=file,
        )
    return text


def read_text(data: bytes, file: str) -> str:
    """A whole text file: decoded faithfully (a UTF-16 file is named as such, not as cut
    off), and complete."""
    text = decode(data, file)
    require_complete(data, file)
    return text


def csv_rows(data: bytes, file: str) -> Iterator[list[str]]:
    """Rows of a complete CSV as lists of strings; a broken quote is refused, with its line."""
    reader = csv.reader(io.StringIO(read_text(data, file), newline=""), strict=True)
    try:
        yield from reader
    except csv.Error as error:
        raise ParseError(
            f"the CSV cannot be read at line {reader.line_num} ({error})", file=file
        ) from error


def zip_member(path: Path, relative_path: str, suffix: str) -> tuple[str, bytes]:
    """The bytes of the one member of a zip whose name ends with suffix, or a ParseError."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if m.endswith(suffix)]
            if len(members) != 1:
                raise ParseError(
                    f"expected one member ending '{suffix}' in the archive, found {len(members)}",
                    file=relative_path,
                )
            return f"{relative_path}!{members[0]}", archive.read(members[0])
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as error:
        raise ParseError(
            f"not a readable zip archive ({error}); ask for it to be downloaded again",
            file=relative_path,
        ) from error
