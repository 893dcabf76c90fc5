"""Rows of a CSV file read from its bytes, with the byte offset where each row ends.

A long import runs in several transactions: each one starts reading at the offset where the
previous one stopped, instead of parsing the file again from its first line.
"""
import codecs
import csv


class _Lines:
    """The lines of ``raw`` from ``start`` on, decoded one by one; ``position`` follows the reader."""

    def __init__(self, raw, encoding, start=0):
        self.raw = raw
        self.encoding = encoding
        # a file saved by an old Mac program ends its lines with CR only
        self.separator = b"\n" if b"\n" in raw[:1024 * 1024] or b"\r" not in raw[:1024 * 1024] else b"\r"
        self.position = start
        if not start and encoding == "utf-8" and raw.startswith(codecs.BOM_UTF8):
            self.position = len(codecs.BOM_UTF8)
        self.count = 0

    def __iter__(self):
        return self

    def __next__(self):
        raw = self.raw
        if self.position >= len(raw):
            raise StopIteration
        end = raw.find(self.separator, self.position)
        end = len(raw) if end < 0 else end + 1
        line = raw[self.position:end]
        try:
            text = line.decode(self.encoding)
        except UnicodeDecodeError as error:
            error.start += self.position  # where in the whole file
            raise
        self.position = end
        self.count += 1
        return text


def iter_rows(raw, encoding, delimiter, start=0, first_line=1):
    """Yield ``(row, number of its first line, byte offset after it, number of the line after it)``.

    Lines with only blanks are skipped. UTF-8 and Latin-1 never hold a newline byte inside a
    character, so cutting the bytes at newlines is safe; a byte order mark is dropped.

    :raise UnicodeDecodeError: with ``start`` counted from the beginning of the file
    :raise csv.Error: for a row that cannot be parsed (``line`` attribute set)
    """
    lines = _Lines(raw, encoding, start)
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        line = first_line + lines.count
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            error.line = line
            raise
        if any(cell.strip() for cell in row):
            yield row, line, lines.position, first_line + lines.count
