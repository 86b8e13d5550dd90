"""A ZIP archive written entry by entry, for the whole file (``reports.export``) and for
a person's own data (``reports.personal``)."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass


@dataclass
class Entry:
    path: str
    sha256: str
    size: int
    note: str = ""


class Zip:
    """A ZIP being written: each path once (a second ``Satzung.pdf`` becomes
    ``Satzung (2).pdf``), and the list of what went in, with sha256 and size."""

    def __init__(self, handle) -> None:
        self.archive = zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED)
        self.entries: list[Entry] = []
        self.names: set[str] = set()

    def _unique(self, path: str) -> str:
        if path not in self.names:
            self.names.add(path)
            return path
        stem, dot, extension = path.rpartition(".")
        number = 2
        while f"{stem} ({number}){dot}{extension}" in self.names:
            number += 1
        unique = f"{stem} ({number}){dot}{extension}"
        self.names.add(unique)
        return unique

    def add_bytes(self, path: str, content: bytes, note: str = "") -> None:
        path = self._unique(path)
        self.archive.writestr(path, content)
        self.entries.append(Entry(path, hashlib.sha256(content).hexdigest(), len(content), note))

    def add_file(self, path: str, source, sha256: str, size: int, note: str = "") -> None:
        path = self._unique(path)
        with source.open("rb") as handle, self.archive.open(path, "w") as out:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                out.write(chunk)
        self.entries.append(Entry(path, sha256, size, note))
