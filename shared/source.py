"""Where the raw Kaggle files are (folder or zip, plain or gzip) and cheap and exact digests of them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

RAW_FILES = ("movies_metadata.csv", "credits.csv")


class SourceError(ValueError):
    """The configured source does not hold the two Kaggle files."""


@dataclass(frozen=True)
class RawSource:
    """The two raw files: each a path on disk, or a member name inside `zip_path`."""

    movies: str
    credits: str
    zip_path: Path | None = None

    def paths(self) -> list[Path]:
        if self.zip_path is not None:
            return [self.zip_path]
        return [Path(self.movies), Path(self.credits)]


def locate(source: Path) -> RawSource:
    """Find `movies_metadata.csv` and `credits.csv` (or `.csv.gz`) in a folder or a Kaggle zip."""
    if source.is_file() and source.suffix.lower() == ".zip":
        import zipfile

        with zipfile.ZipFile(source) as archive:
            names = archive.namelist()
        found = {raw: _pick([n for n in names if not n.endswith("/")], raw) for raw in RAW_FILES}
        missing = [raw for raw, name in found.items() if name is None]
        if missing:
            raise SourceError(f"{source} does not contain {', '.join(missing)}")
        return RawSource(str(found["movies_metadata.csv"]), str(found["credits.csv"]), source)
    if source.is_dir():
        names = [str(p) for p in sorted(source.iterdir()) if p.is_file()]
        found = {raw: _pick(names, raw) for raw in RAW_FILES}
        missing = [raw for raw, name in found.items() if name is None]
        if missing:
            raise SourceError(f"{source} does not contain {', '.join(missing)} (.csv or .csv.gz)")
        return RawSource(str(found["movies_metadata.csv"]), str(found["credits.csv"]))
    raise SourceError(f"{source} is neither a folder nor a .zip file")


def _pick(names: list[str], raw: str) -> str | None:
    for suffix in ("", ".gz"):
        for name in names:
            if Path(name).name == raw + suffix:
                return name
    return None


def fingerprint(source: Path) -> str:
    """Cheap identity of the source from names, sizes and mtimes: no file is read.

    Used to deduplicate refresh requests; the refresh itself compares `content_digest`.
    """
    digest = hashlib.sha256(str(source.resolve()).encode())
    try:
        for path in locate(source).paths():
            stat = path.stat()
            digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    except (OSError, SourceError):
        digest.update(b"unavailable")
    return digest.hexdigest()[:16]


def content_digest(raw: RawSource) -> str:
    """SHA-256 over the bytes of the raw files as stored: an unchanged source gives the same digest."""
    digest = hashlib.sha256()
    for path in raw.paths():
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()
