"""Uploads kept safely: type by magic bytes AND extension, size and count limits, random file names
under the upload directory, all or nothing with the record, read back only within scope."""
from __future__ import annotations

import os
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.process import attachments as att
from core.process import capture as process
from core.base import rules
from core.base.db import read_session, write_tx
from core.base.models import Activity, Attachment, User
from core.base.scope import scope_for
from tests.factories import NOW, add_customer, make_org
from tests.process_samples import (
    EXE, HEIC, JPEG, M4A, MP3, OGG, PDF, PNG, VALID, WAV, WEBM, WEBP, photos,
)

SETTINGS = {k: d.default for k, d in rules.DEFINITIONS.items()}


@pytest.fixture
def uploads(tmp_path, monkeypatch):
    monkeypatch.setenv("COCKPIT_UPLOAD_DIR", str(tmp_path / "uploads"))
    return tmp_path / "uploads"


def stored_files(directory) -> list:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


# ---- checking (no database) ----------------------------------------------------------------------

@pytest.mark.parametrize("data, code", [(JPEG, "jpeg"), (PNG, "png"), (WEBP, "webp"), (HEIC, "heic"), (M4A, "m4a"),
                                        (MP3, "mp3"), (b"\xff\xfb\x90\x00" + b"\x00" * 8, "mp3"), (WAV, "wav"),
                                        (WEBM, "webm"), (OGG, "ogg"), (PDF, "pdf"), (EXE, None),
                                        (b"<html><script>", None), (b"GIF89a", None), (b"", None)])
def test_the_type_comes_from_the_first_bytes(data, code):
    assert att.sniff(data) == code


@pytest.mark.parametrize("given, shown", [
    ("../../etc/passwd.jpg", "passwd.jpg"), ("C:\\Users\\me\\照片 1.jpg", "照片 1.jpg"),
    ("/tmp/x/../../y.png", "y.png"), ("..", "upload"), ("", "upload"), (None, "upload"),
    (".hidden.pdf", "hidden.pdf"), ("a\x00b\nc\u202e.jpg", "abc.jpg"), ("  spaced   out .jpg ", "spaced out .jpg"),
])
def test_the_shown_name_keeps_no_path_and_no_control_characters(given, shown):
    assert att.sanitise_name(given) == shown


def test_a_long_name_is_cut_but_keeps_its_extension():
    name = att.sanitise_name("门店陈列" * 50 + ".jpeg")
    assert len(name) == att.NAME_MAX and name.endswith(".jpeg")


def test_a_photo_is_counted_by_its_name_before_the_check():
    assert att.is_photo("shelf.JPG") and att.is_photo("门店.heic") and att.is_photo("a.webp")
    assert not att.is_photo("note.m4a") and not att.is_photo("offer.pdf") and not att.is_photo("jpg")

@pytest.mark.parametrize("upload, key, params", [
    (att.Upload("virus.jpg", EXE), "process.err.file_type", {"name": "virus.jpg"}),
    (att.Upload("photo.jpg", PNG), "process.err.file_mismatch", {"name": "photo.jpg", "kind": "PNG"}),
    (att.Upload("invoice.exe", PDF), "process.err.file_mismatch", {"name": "invoice.exe", "kind": "PDF"}),
    (att.Upload("noext", JPEG), "process.err.file_mismatch", {"name": "noext", "kind": "JPG"}),
    (att.Upload("empty.jpg", b""), "process.err.file_empty", {"name": "empty.jpg"}),
])
def test_a_wrong_type_is_refused_with_a_message_naming_the_file(upload, key, params):
    with pytest.raises(att.AttachmentError) as err:
        att.check([att.Upload("fine.png", PNG), upload], SETTINGS)
    assert (err.value.field, err.value.msg_key, err.value.params) == ("attachments", key, params)
    assert params["name"] in err.value.message("zh")


def test_size_limits_per_file_per_record_and_count():
    small = dict(SETTINGS, upload_max_file_mb=0.1, upload_max_record_mb=0.25, upload_max_files=3)
    big = att.Upload("big.jpg", (JPEG + b"\x00" * 110_000)[:110_000])
    with pytest.raises(att.AttachmentError) as err:
        att.check([big], small)
    assert err.value.msg_key == "process.err.file_too_big"
    assert err.value.message("en") == "“big.jpg” is 0.105 MB; at most 0.1 MB per file."
    part = [att.Upload(f"p{i}.jpg", (JPEG + b"\x00" * 100_000)[:100_000]) for i in range(3)]
    with pytest.raises(att.AttachmentError) as err:
        att.check(part, small)
    assert err.value.msg_key == "process.err.record_too_big"
    assert err.value.message("en") == "The files add up to 0.286 MB; at most 0.25 MB per record."
    with pytest.raises(att.AttachmentError) as err:
        att.check(photos(4), small)
    assert (err.value.msg_key, err.value.params) == ("process.err.too_many_files", {"max": 3, "n": 4})
    ok = att.check([att.Upload("语音.m4a", M4A), att.Upload("方案.pdf", PDF), att.Upload("IMG_1.HEIC", HEIC)], small)
    assert [(c.type.category, c.type.content_type) for c in ok] == [
        ("voice", "audio/mp4"), ("document", "application/pdf"), ("photo", "image/heic")]


def caller(session, user):
    """The scope ``user`` writes with."""
    return scope_for(session, session.get(User, user.id))


# ---- storing and reading back -------------------------------------------------------------------

@pytest.fixture
def org(engine):
    with write_tx(engine) as s:
        org = make_org(s)
        org.cid = add_customer(s, org.a1, name="Store Co", created_at=NOW - timedelta(days=9)).id
    return org


def log(engine, user, scenario, files, **kw):
    with write_tx(engine) as s:
        return process.log_scenario(s, caller(s, user), scenario, fields=VALID[scenario], now=NOW,
                                    attachments=files, **kw)


def test_files_are_stored_under_random_names_and_read_back_within_scope(engine, org, uploads):
    files = [att.Upload("../../etc/cron.d/陈列 1.jpg", JPEG + b"1"), att.Upload("C:\\x\\说明.pdf", PDF)]
    got = log(engine, org.a1, "promotion", files, customer_id=org.cid)
    names = stored_files(uploads)
    assert len(names) == 2
    for name in names:
        assert att._STORED_NAME.match(name) and "陈列" not in name and "etc" not in name
    assert not (uploads.parent / "etc").exists()
    with read_session(engine) as s:
        rows = s.scalars(select(Attachment).order_by(Attachment.id)).all()
        assert [(r.original_name, r.category, r.content_type, r.size_bytes) for r in rows] == [
            ("陈列 1.jpg", "photo", "image/jpeg", len(JPEG) + 1), ("说明.pdf", "document", "application/pdf", len(PDF))]
        assert {r.stored_name for r in rows} == set(names)
        assert all((r.activity_id, r.owner_id, r.team_id) == (got.activity.id, org.a1.id, org.alpha.id) for r in rows)
        first = rows[0].id
        a1, a2 = scope_for(s, s.get(User, org.a1.id)), scope_for(s, s.get(User, org.a2.id))
        lena, leo = scope_for(s, s.get(User, org.lead_alpha.id)), scope_for(s, s.get(User, org.lead_beta.id))
        stored = att.attachment_file(a1, s, first)
        assert att.read_bytes(stored) == JPEG + b"1"
        assert att.attachment_file(lena, s, first) == stored
        assert att.attachment_file(a2, s, first) is None and att.attachment_file(leo, s, first) is None
        assert att.attachment_file(a1, s, 9999) is None and att.attachment_file(a1, s, "1") is None
        assert [f.original_name for f in att.attachments_of(a1, s, (got.activity.id,))] == ["陈列 1.jpg", "说明.pdf"]
        assert att.attachments_of(a2, s, (got.activity.id,)) == []
    assert got.activity.fields["photos"] == 1 and got.activity.fields["documents"] == 1


def test_a_changed_or_missing_file_is_not_served(engine, org, uploads):
    log(engine, org.a1, "cold_visit", [att.Upload("p.png", PNG)], customer_id=org.cid)
    with read_session(engine) as s:
        stored = att.attachment_file(scope_for(s, s.get(User, org.a1.id)), s, 1)
    path = uploads / stored.stored_name
    path.write_bytes(PNG + b"tampered")
    with pytest.raises(att.AttachmentUnavailable):
        att.read_bytes(stored)
    path.unlink()
    with pytest.raises(att.AttachmentUnavailable):
        att.read_bytes(stored)
    with pytest.raises(att.AttachmentUnavailable):  # a name from the database is never a path
        att.read_bytes(att.StoredFile(**{**stored.__dict__, "stored_name": "../../secret.png"}))


@pytest.mark.parametrize("files, message", [
    ([att.Upload("shelf.jpg", JPEG), att.Upload("setup.exe", EXE)], "“setup.exe” is not an accepted file"),
    ([att.Upload("shelf.jpg", JPEG + b"\x00" * (11 * 1024 * 1024))], "“shelf.jpg” is 11.0 MB; at most 10 MB per file."),
])
def test_an_oversized_or_wrong_type_upload_refuses_the_record_and_saves_nothing(engine, org, uploads, files, message):
    with pytest.raises(process.InvalidActivity) as err:
        log(engine, org.a1, "cold_visit", files, customer_id=org.cid)
    assert err.value.field == "attachments"
    assert message in err.value.errors["attachments"].message("en")
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Activity)) == 0
        assert s.scalar(select(func.count()).select_from(Attachment)) == 0
    assert stored_files(uploads) == []


def test_files_written_by_a_transaction_that_rolls_back_are_removed(engine, org, uploads):
    with pytest.raises(RuntimeError):
        with write_tx(engine) as s:
            process.log_scenario(s, caller(s, org.a1), "cold_visit", fields=VALID["cold_visit"], now=NOW,
                                 customer_id=org.cid, attachments=photos(2))
            assert len(stored_files(uploads)) == 2
            raise RuntimeError("something later in the same transaction failed")
    assert stored_files(uploads) == []
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Attachment)) == 0


def test_files_are_private_to_the_server_process(engine, org, uploads):
    log(engine, org.a1, "cold_visit", [att.Upload("p.jpg", JPEG)], customer_id=org.cid)
    [name] = stored_files(uploads)
    assert os.stat(uploads / name).st_mode & 0o007 == 0  # nothing for other users of the machine
