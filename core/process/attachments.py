"""Uploads kept safely (SPEC §5: photos from the camera or an upload, a voice note, a file).

- Where: the directory ``COCKPIT_UPLOAD_DIR`` (default ``data/uploads/``, git-ignored), each file
  under a random name (32 hex digits and the extension of its sniffed type). The name the user gave
  is only shown, sanitised (its last path component, without control characters, at most 120
  characters): no path in it ever reaches the file system.
- What: a file is accepted when its first bytes ("magic") are those of an allowed type AND its
  name ends in an extension of that same type — photos (JPEG, PNG, WebP, HEIC), voice notes (M4A,
  MP3, WAV, WebM, Ogg) and PDF documents. Anything else is refused with a message naming the file.
- How much: ``upload_max_file_mb`` per file, ``upload_max_record_mb`` and ``upload_max_files`` per
  record (settings, core.base.rules).
- All or nothing: the files are written inside the caller's transaction; if it rolls back, the
  files it wrote are deleted again (a Session ``after_rollback`` hook).
- Reading back goes through the caller's scope (the attachment's owner and team are its
  activity's); ``read_bytes`` checks the file is the one stored (SHA-256).
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Iterable, Sequence

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from core.base.config import ROOT
from core.base.errors import UserError
from core.base.models import Activity, Attachment
from core.base.scope import Scope, scoped_read

UPLOAD_DIR_ENV = "COCKPIT_UPLOAD_DIR"
DEFAULT_UPLOAD_DIR = ROOT / "data" / "uploads"
NAME_MAX = 120
MIB = 1024 * 1024
_STORED_NAME = re.compile(r"^[0-9a-f]{32}\.[a-z0-9]{2,5}$")
_PENDING = "cockpit_uploads_written"  # session.info key: files this transaction wrote


@dataclass(frozen=True)
class FileType:
    code: str
    content_type: str
    category: str  # photo / voice / document
    extensions: tuple[str, ...]  # accepted name endings; the first is the stored one


TYPES: dict[str, FileType] = {t.code: t for t in (
    FileType("jpeg", "image/jpeg", "photo", ("jpg", "jpeg")),
    FileType("png", "image/png", "photo", ("png",)),
    FileType("webp", "image/webp", "photo", ("webp",)),
    FileType("heic", "image/heic", "photo", ("heic", "heif")),
    FileType("m4a", "audio/mp4", "voice", ("m4a",)),
    FileType("mp3", "audio/mpeg", "voice", ("mp3",)),
    FileType("wav", "audio/wav", "voice", ("wav",)),
    FileType("webm", "audio/webm", "voice", ("webm",)),
    FileType("ogg", "audio/ogg", "voice", ("ogg", "oga", "opus")),
    FileType("pdf", "application/pdf", "document", ("pdf",)),
)}
# Every accepted name ending, for the upload widgets' filters.
EXTENSIONS: tuple[str, ...] = tuple(ext for t in TYPES.values() for ext in t.extensions)
PHOTO_EXTENSIONS: tuple[str, ...] = tuple(ext for t in TYPES.values() if t.category == "photo" for ext in t.extensions)
_HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_M4A_BRANDS = {b"M4A ", b"M4B ", b"mp42", b"mp41", b"isom", b"iso2", b"dash"}


class AttachmentError(UserError):
    """An upload is refused (type, size, count); ``field`` is "attachments"."""


class AttachmentUnavailable(Exception):
    """A stored file is gone or is not the file that was stored."""


@dataclass(frozen=True)
class Upload:
    """One file as the page received it: the name the user's device gave, and its bytes."""
    name: str
    data: bytes


@dataclass(frozen=True)
class Checked:
    """An upload that passed the checks, with what will be stored about it."""
    type: FileType
    original_name: str
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class StoredFile:
    """An attachment's row, as a read returns it (never the file's bytes: see ``read_bytes``)."""
    id: int
    activity_id: int
    category: str
    content_type: str
    original_name: str
    stored_name: str
    size_bytes: int
    sha256: str
    created_at: datetime
    owner_id: int


# ---- checking --------------------------------------------------------------------------------

def sniff(data: bytes) -> str | None:
    """The TYPES code that the file's first bytes say it is, or None."""
    head = data[:64]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIC_BRANDS:
            return "heic"
        if brand in _M4A_BRANDS:
            return "m4a"
        return None
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE6 in (0xE2, 0xE4, 0xE6)):
        return "mp3"  # an ID3 tag, or an MPEG audio frame header (sync bits, layer I–III)
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head:
        return "webm"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"%PDF-"):
        return "pdf"
    return None


def sanitise_name(name: str | None) -> str:
    """The name to show for an upload: its last path component, NFC, without control characters
    or leading dots, at most NAME_MAX characters (the extension kept); "upload" when nothing is left."""
    base = re.split(r"[\\/]", str(name or ""))[-1]
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r"\s+", " ", base).strip().lstrip(".").strip()
    if len(base) > NAME_MAX:
        stem, dot, ext = base.rpartition(".")
        ext = ext if dot and len(ext) <= 10 else ""
        base = (stem if ext else base)[: NAME_MAX - len(ext) - 1].rstrip() + ("." + ext if ext else "")
    return base or "upload"


def extension(name: str) -> str:
    _, dot, ext = name.rpartition(".")
    return ext.lower() if dot else ""


def is_photo(name: str) -> bool:
    """Whether a file of this name would be taken as a photo (its extension; the check looks at its bytes)."""
    return extension(name) in PHOTO_EXTENSIONS


def _mb(n_bytes: int) -> str:
    """MB for a message: three significant digits below 10 MB (0.105 against a 0.1 MB limit), one decimal above."""
    mb = n_bytes / MIB
    return f"{mb:.3g}" if mb < 10 else f"{mb:.1f}"


def check(uploads: Sequence[Upload], settings: dict) -> list[Checked]:
    """Every upload accepted, or AttachmentError naming the first refused file (nothing is written)."""
    uploads = list(uploads or [])
    max_files = int(settings["upload_max_files"])
    if len(uploads) > max_files:
        raise AttachmentError("process.err.too_many_files", "attachments", max=max_files, n=len(uploads))
    per_file = int(settings["upload_max_file_mb"] * MIB)
    per_record = int(settings["upload_max_record_mb"] * MIB)
    out, total = [], 0
    for upload in uploads:
        name = sanitise_name(upload.name)
        data = bytes(upload.data or b"")
        if not data:
            raise AttachmentError("process.err.file_empty", "attachments", name=name)
        if len(data) > per_file:
            raise AttachmentError("process.err.file_too_big", "attachments", name=name, size=_mb(len(data)),
                                  max=f"{settings['upload_max_file_mb']:g}")
        code = sniff(data)
        if code is None:
            raise AttachmentError("process.err.file_type", "attachments", name=name)
        kind = TYPES[code]
        if extension(name) not in kind.extensions:
            raise AttachmentError("process.err.file_mismatch", "attachments", name=name,
                                  kind=kind.extensions[0].upper())
        total += len(data)
        if total > per_record:
            raise AttachmentError("process.err.record_too_big", "attachments", size=_mb(sum(len(u.data or b"")
                                  for u in uploads)), max=f"{settings['upload_max_record_mb']:g}")
        out.append(Checked(kind, name, data, hashlib.sha256(data).hexdigest()))
    return out


def count_by_category(checked: Iterable[Checked]) -> dict[str, int]:
    counts = {"photo": 0, "voice": 0, "document": 0}
    for c in checked:
        counts[c.type.category] += 1
    return counts


# ---- storing -----------------------------------------------------------------------------------

def upload_dir() -> Path:
    """The directory uploads live in: COCKPIT_UPLOAD_DIR, else data/uploads/ of the project."""
    configured = os.environ.get(UPLOAD_DIR_ENV, "").strip()
    return Path(configured).expanduser() if configured else DEFAULT_UPLOAD_DIR


def _write(base: Path, data: bytes, ext: str) -> str:
    """Write ``data`` under a new random name (atomically: a temporary file, then a rename)."""
    base.mkdir(parents=True, exist_ok=True)
    for _ in range(5):
        stored = f"{secrets.token_hex(16)}.{ext}"
        final = base / stored
        if final.exists():
            continue
        part = base / f".{stored}.part"
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(part, final)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
        return stored
    raise OSError("could not find a free file name in the upload directory")


def store(session: Session, activity: Activity, checked: Sequence[Checked], by_user_id: int, now: datetime,
          base: Path | None = None) -> list[Attachment]:
    """Write the checked files and their rows for ``activity`` (flushed, so it has an id), inside
    the caller's transaction: if that rolls back, the files are deleted again."""
    base = base or upload_dir()
    rows = []
    for c in checked:
        stored = _write(base, c.data, c.type.extensions[0])
        session.info.setdefault(_PENDING, []).append(base / stored)
        row = Attachment(activity_id=activity.id, owner_id=activity.owner_id, team_id=activity.team_id,
                         category=c.type.category, content_type=c.type.content_type,
                         original_name=c.original_name, stored_name=stored, size_bytes=c.size,
                         sha256=c.sha256, uploaded_by=by_user_id, created_at=now)
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


@event.listens_for(Session, "after_commit")
def _kept(session: Session) -> None:
    session.info.pop(_PENDING, None)


@event.listens_for(Session, "after_rollback")
def _undo_files(session: Session) -> None:
    for path in session.info.pop(_PENDING, []):
        try:
            path.unlink(missing_ok=True)
        except OSError:  # a file that cannot be removed is only an orphan: never mask the real error
            pass


# ---- reading back --------------------------------------------------------------------------------

def _stored(row: Attachment) -> StoredFile:
    return StoredFile(row.id, row.activity_id, row.category, row.content_type, row.original_name,
                      row.stored_name, row.size_bytes, row.sha256, row.created_at, row.owner_id)


@scoped_read
def attachments_of(scope: Scope, session: Session, activity_ids: tuple[int, ...]) -> list[StoredFile]:
    """The attachments of these activities that the caller may see, in upload order."""
    ids = [int(i) for i in activity_ids]
    if not ids:
        return []
    stmt = select(Attachment).where(Attachment.activity_id.in_(ids)).order_by(Attachment.activity_id, Attachment.id)
    return [_stored(r) for r in session.scalars(scope.apply(stmt, Attachment.owner_id, Attachment.team_id))]


@scoped_read
def attachment_file(scope: Scope, session: Session, attachment_id: int) -> StoredFile | None:
    """One attachment if the caller may see it; None when it is not there or not theirs (alike)."""
    if isinstance(attachment_id, bool) or not isinstance(attachment_id, int):
        return None
    stmt = scope.apply(select(Attachment).where(Attachment.id == attachment_id), Attachment.owner_id,
                       Attachment.team_id)
    row = session.scalar(stmt)
    return None if row is None else _stored(row)


def read_bytes(stored: StoredFile, base: Path | None = None) -> bytes:
    """The stored file's bytes (get ``stored`` through a scoped read first). Raises
    AttachmentUnavailable when the file is missing or is not the one stored."""
    if not _STORED_NAME.match(stored.stored_name):
        raise AttachmentUnavailable(f"attachment {stored.id}: not a stored file name")
    path = (base or upload_dir()) / stored.stored_name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AttachmentUnavailable(f"attachment {stored.id}: the file is missing") from exc
    if hashlib.sha256(data).hexdigest() != stored.sha256:
        raise AttachmentUnavailable(f"attachment {stored.id}: the file was changed after it was stored")
    return data
