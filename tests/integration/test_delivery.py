"""Pushing alerts and texts to channels against real endpoints on 127.0.0.1 (no mock of the
delivery code): the payloads DingTalk and WeCom expect, DingTalk's signature, e-mail over SMTP,
retries with back-off after a 500, a timeout that does not block, and no duplicate when the job
runs again."""
from __future__ import annotations

import base64
import hashlib
import hmac
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.base import rules
from core.base.db import read_session, write_tx
from core.base.models import Alert, Channel, Delivery
from core.base.scope import COMPANY
from core.notify import channels as ch
from core.notify import delivery
from tests.factories import NOW
from tests.notify_servers import HttpEndpoint, Mailbox, start_http, start_smtp

SIGNING = "SEC0123456789abcdef0123456789abcdef"


@pytest.fixture
def endpoint():
    ep = HttpEndpoint()
    server = start_http(ep)
    yield ep
    server.shutdown()
    server.server_close()


@pytest.fixture
def mailbox():
    box = Mailbox()
    server = start_smtp(box)
    yield box
    server.shutdown()
    server.server_close()


@pytest.fixture
def secrets(monkeypatch):
    monkeypatch.setenv("TEST_ROBOT_TOKEN", "tok-123")
    monkeypatch.setenv("TEST_ROBOT_SIGN", SIGNING)
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "pw")


# ---- one send, each kind -----------------------------------------------------------------------

def test_dingtalk_gets_its_markdown_payload_and_a_valid_signature(endpoint, secrets):
    target = ch.Target(ch.DINGTALK, endpoint.url + "/robot/send?access_token={token}", "TEST_ROBOT_TOKEN",
                       "TEST_ROBOT_SIGN")
    before = int(time.time() * 1000)
    ch.send(target, "Alert", "Team Alpha: first response **62%**")
    [hit] = endpoint.hits
    assert hit.path == "/robot/send" and hit.query["access_token"] == "tok-123"
    assert hit.body == {"msgtype": "markdown",
                        "markdown": {"title": "Alert", "text": "### Alert\n\nTeam Alpha: first response **62%**"}}
    ts = int(hit.query["timestamp"])
    assert before <= ts <= int(time.time() * 1000)
    # DingTalk's documented check: Base64(HmacSHA256(secret, timestamp + "\n" + secret))
    expected = base64.b64encode(hmac.new(SIGNING.encode(), f"{ts}\n{SIGNING}".encode(), hashlib.sha256).digest())
    assert hit.query["sign"] == expected.decode()  # parse_qsl has URL-decoded it


def test_an_unsigned_dingtalk_robot_gets_no_signature(endpoint, secrets):
    ch.send(ch.Target(ch.DINGTALK, endpoint.url + "/robot/send?access_token={token}", "TEST_ROBOT_TOKEN"), "t", "x")
    assert set(endpoint.hits[0].query) == {"access_token"}


def test_wecom_gets_its_markdown_content_and_a_refusal_is_an_error(endpoint, secrets):
    target = ch.Target(ch.WECOM, endpoint.url + "/cgi-bin/webhook/send?key={token}", "TEST_ROBOT_TOKEN")
    ch.send(target, "Brief", "3 lights red")
    assert endpoint.hits[0].query == {"key": "tok-123"}
    assert endpoint.hits[0].body == {"msgtype": "markdown", "markdown": {"content": "### Brief\n3 lights red"}}
    endpoint.answers = [(200, '{"errcode": 93000, "errmsg": "invalid webhook url"}', 0)]
    with pytest.raises(ch.SendError, match="93000"):
        ch.send(target, "Brief", "again")


def test_slack_and_generic_webhooks(endpoint, secrets):
    endpoint.answers = [(200, "ok", 0)]
    ch.send(ch.Target(ch.SLACK, "{token}", "SLACK_URL"), "Brief", "text",
            env={"SLACK_URL": endpoint.url + "/services/T/B/X"})
    assert endpoint.hits[0].path == "/services/T/B/X" and endpoint.hits[0].body == {"text": "*Brief*\ntext"}
    ch.send(ch.Target(ch.WEBHOOK, endpoint.url + "/hook"), "Alert", "late", extra={"kind": "alert", "alert_id": 7})
    assert endpoint.hits[1].body == {"title": "Alert", "text": "late", "kind": "alert", "alert_id": 7}


def test_a_missing_secret_is_a_send_error_naming_it_not_a_crash(endpoint):
    with pytest.raises(ch.MissingSecret, match="NO_SUCH_SECRET"):
        ch.send(ch.Target(ch.WECOM, endpoint.url + "/s?key={token}", "NO_SUCH_SECRET"), "t", "x", env={})
    assert endpoint.hits == []


def test_email_goes_through_smtp(mailbox, secrets):
    target = ch.Target(ch.EMAIL, "lena@example.com, dora@example.com",
                       options={"smtp_host": "127.0.0.1", "smtp_port": mailbox.port, "sender": "cockpit@example.com"})
    ch.send(target, "晨会简报", "三个红灯")
    [(sender, rcpts, msg)] = mailbox.messages
    assert sender == "cockpit@example.com" and rcpts == ["lena@example.com", "dora@example.com"]
    assert msg["Subject"] == "晨会简报" and "三个红灯" in msg.get_content()


def test_an_unreachable_smtp_server_is_a_send_error():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    with pytest.raises(ch.SendError, match="cannot reach the SMTP server"):
        ch.send(ch.Target(ch.EMAIL, "x@example.com", options={"smtp_host": "127.0.0.1", "smtp_port": port}), "t", "x",
                timeout=1)


def test_a_slow_endpoint_times_out_quickly(endpoint):
    endpoint.answers = [(200, "{}", 3.0)]
    started = time.monotonic()
    with pytest.raises(ch.SendError, match="timed out"):
        ch.send(ch.Target(ch.WEBHOOK, endpoint.url + "/slow"), "t", "x", timeout=0.5)
    assert time.monotonic() - started < 2.0


# ---- the job and the log -----------------------------------------------------------------------

def _channel(engine, org, url, **kw) -> int:
    with write_tx(engine) as s:
        return delivery.save_channel(s, COMPANY, now=NOW - timedelta(days=1), name=kw.pop("name", "alpha chat"),
                                     kind=kw.pop("kind", ch.WEBHOOK), address=url, **kw)


def _alert(engine, org, key="a:1", recipient=None, team=None):
    with write_tx(engine) as s:
        s.add(Alert(recipient_id=(recipient or org.lead_alpha).id, team_id=(team or org.alpha).id, kind="sla_breach",
                    message="Lead L-1 of a1 has waited 49 h", created_at=NOW - timedelta(hours=1), dedupe_key=key))


def _run(engine, at):
    with write_tx(engine) as s:
        return delivery.deliver_alerts(s, at)


def _deliveries(engine):
    with read_session(engine) as s:
        return s.scalars(select(Delivery).order_by(Delivery.id)).all()


def test_a_500_is_retried_with_back_off_until_it_gets_through_and_never_twice(engine, org, endpoint):
    _channel(engine, org, endpoint.url + "/hook", team_id=org.alpha.id)
    _alert(engine, org)
    endpoint.answers = [(500, "oops", 0), (500, "oops", 0), (200, "{}", 0)]
    assert _run(engine, NOW) == 0
    [d] = _deliveries(engine)
    assert (d.status, d.attempts, d.next_attempt_at) == ("pending", 1, NOW + timedelta(minutes=5))
    assert "HTTP 500" in d.last_error
    assert _run(engine, NOW + timedelta(minutes=4)) == 0 and len(endpoint.hits) == 1  # not due yet
    assert _run(engine, NOW + timedelta(minutes=5)) == 0
    [d] = _deliveries(engine)
    assert (d.attempts, d.next_attempt_at) == (2, NOW + timedelta(minutes=15))  # 5, then 10 minutes
    assert _run(engine, NOW + timedelta(minutes=15)) == 1
    [d] = _deliveries(engine)
    assert (d.status, d.attempts, d.sent_at, d.last_error) == ("sent", 3, NOW + timedelta(minutes=15), "")
    assert endpoint.hits[-1].body["text"] == "Lead L-1 of a1 has waited 49 h"
    # idempotent: running again sends nothing and logs nothing more
    assert _run(engine, NOW + timedelta(minutes=20)) == 0
    assert len(endpoint.hits) == 3 and len(_deliveries(engine)) == 1


def test_a_delivery_is_given_up_after_the_attempts_setting(engine, org, endpoint):
    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"delivery_max_attempts": 2, "delivery_backoff_minutes": 1}, NOW)
    _channel(engine, org, endpoint.url + "/hook", user_id=org.lead_alpha.id)
    _alert(engine, org)
    endpoint.answers = [(500, "oops", 0)]
    _run(engine, NOW)
    _run(engine, NOW + timedelta(minutes=1))
    _run(engine, NOW + timedelta(hours=1))
    [d] = _deliveries(engine)
    assert (d.status, d.attempts, d.next_attempt_at) == ("failed", 2, None)
    assert len(endpoint.hits) == 2


def test_a_timeout_does_not_block_the_job_and_is_retried(engine, org, endpoint):
    with write_tx(engine) as s:
        rules.save_settings(s, COMPANY, {"delivery_timeout_seconds": 1}, NOW)
    _channel(engine, org, endpoint.url + "/hook", team_id=org.alpha.id)
    _alert(engine, org)
    endpoint.answers = [(200, "{}", 4.0)]
    started = time.monotonic()
    assert _run(engine, NOW) == 0
    assert time.monotonic() - started < 3.0
    [d] = _deliveries(engine)
    assert d.status == "pending" and "timed out" in d.last_error


def test_alerts_go_only_to_the_channels_subscribed_to_them(engine, org, endpoint):
    alpha = _channel(engine, org, endpoint.url + "/alpha", team_id=org.alpha.id)
    beta = _channel(engine, org, endpoint.url + "/beta", name="beta chat", team_id=org.beta.id)
    _channel(engine, org, endpoint.url + "/briefs-only", name="dora", user_id=org.director.id, send_alerts=False)
    _alert(engine, org, "a:alpha")
    _alert(engine, org, "a:beta", recipient=org.lead_beta, team=org.beta)
    assert _run(engine, NOW) == 2
    assert sorted(h.path for h in endpoint.hits) == ["/alpha", "/beta"]
    by_channel = {d.channel_id: d for d in _deliveries(engine)}
    assert set(by_channel) == {alpha, beta}


def test_deliver_text_reaches_the_readers_and_their_teams_channels_once_per_key(engine, org, endpoint):
    _channel(engine, org, endpoint.url + "/lena", name="lena", user_id=org.lead_alpha.id)
    _channel(engine, org, endpoint.url + "/alpha", team_id=org.alpha.id)
    _channel(engine, org, endpoint.url + "/beta", name="beta chat", team_id=org.beta.id)
    _channel(engine, org, endpoint.url + "/no-brief", name="no brief", team_id=org.alpha.id, send_brief=False)
    for _ in range(2):
        with write_tx(engine) as s:
            delivery.deliver_text(s, [org.lead_alpha.id], "Morning brief", "Two lights red.", NOW,
                                  dedupe_key="brief:2026-11-23")
    assert sorted(h.path for h in endpoint.hits) == ["/alpha", "/lena"]
    assert endpoint.hits[0].body["text"] == "Two lights red."
    assert [d.kind for d in _deliveries(engine)] == ["text", "text"]


def test_a_failing_endpoint_leaves_the_text_logged_for_a_retry(engine, org, endpoint):
    _channel(engine, org, endpoint.url + "/lena", name="lena", user_id=org.lead_alpha.id)
    endpoint.answers = [(503, "down", 0), (200, "{}", 0)]
    with write_tx(engine) as s:
        assert delivery.deliver_text(s, [org.lead_alpha.id], "Brief", "x", NOW) == 0
    assert _run(engine, NOW + timedelta(minutes=5)) == 1
    assert [d.status for d in _deliveries(engine)] == ["sent"]


def test_the_test_message_reports_success_and_failure_without_raising(engine, org, endpoint):
    cid = _channel(engine, org, endpoint.url + "/hook", team_id=org.alpha.id)
    with write_tx(engine) as s:
        assert delivery.send_test(s, COMPANY, cid, NOW) == {"ok": True, "error": ""}
    endpoint.answers = [(500, "x", 0)]
    with write_tx(engine) as s:
        got = delivery.send_test(s, COMPANY, cid, NOW)
    assert not got["ok"] and "HTTP 500" in got["error"]
    assert [(d.kind, d.status) for d in _deliveries(engine)][-1] == ("test", "failed")  # a test is not retried


# ---- the channel form: secrets never in the database -------------------------------------------

@pytest.mark.parametrize("kw, field, key", [
    (dict(address="https://oapi.dingtalk.com/robot/send?access_token=abc123"), "address",
     "delivery.err.token_in_address"),
    (dict(address="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={token}", token_secret=""), "address",
     "delivery.err.token_needed"),
    (dict(address="ftp://x"), "address", "delivery.err.url"),
    (dict(token_secret="SEC0123456789abcdef0123456789"), "token_secret", "delivery.err.secret_value"),
    (dict(token_secret="my secret"), "token_secret", "delivery.err.secret_name"),
    (dict(kind=ch.WECOM, sign_secret="SIGN"), "sign_secret", "delivery.err.sign_only_dingtalk"),
    (dict(name=" "), "name", "delivery.err.name"),
    (dict(team_id=None), "user_id", "delivery.err.owner"),
    (dict(kind=ch.EMAIL, address="not-an-address"), "address", "delivery.err.email"),
    (dict(kind=ch.EMAIL, address="a@example.com"), "smtp_host", "delivery.err.smtp_host"),
    (dict(kind=ch.EMAIL, address="a@example.com", options={"smtp_host": "h", "smtp_port": "x"}), "smtp_port",
     "delivery.err.smtp_port"),
])
def test_a_bad_channel_is_refused_at_its_field_and_nothing_is_written(engine, org, kw, field, key):
    values = dict(name="alpha", kind=ch.DINGTALK, address="https://oapi.dingtalk.com/robot/send?access_token={token}",
                  token_secret="TOKEN", team_id=org.alpha.id) | kw
    with pytest.raises(delivery.InvalidChannel) as err:
        with write_tx(engine) as s:
            delivery.save_channel(s, COMPANY, now=NOW, **values)
    assert (err.value.field, err.value.msg_key) == (field, key)
    with read_session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Channel)) == 0


def test_a_saved_channel_keeps_secret_names_only_and_is_audited(engine, org):
    cid = _channel(engine, org, "https://oapi.dingtalk.com/robot/send?access_token={token}", kind=ch.DINGTALK,
                   team_id=org.alpha.id, token_secret="DINGTALK_ALPHA_TOKEN", sign_secret="DINGTALK_ALPHA_SIGN")
    with write_tx(engine) as s:
        delivery.save_channel(s, COMPANY, now=NOW, channel_id=cid, name="alpha group", kind=ch.DINGTALK,
                              address="https://oapi.dingtalk.com/robot/send?access_token={token}",
                              team_id=org.alpha.id, token_secret="DINGTALK_ALPHA_TOKEN", active=False)
    with read_session(engine) as s:
        row = s.get(Channel, cid)
        assert (row.name, row.active, row.sign_secret) == ("alpha group", False, "")
        assert row.token_secret == "DINGTALK_ALPHA_TOKEN"
    from core.base.models import AuditLog
    with read_session(engine) as s:
        actions = s.execute(select(AuditLog.action, AuditLog.entity_id).where(AuditLog.entity == "channel")).all()
    assert actions == [("create", str(cid)), ("update", str(cid))]


# ---- the morning brief pushed (core.notify.briefing) ---------------------------------------------

def test_the_brief_goes_to_each_reader_in_their_scope_once_a_working_day(engine, org, endpoint):
    from core.base.scope import scope_for
    from core.notify import briefing
    from core.process import brief

    _channel(engine, org, endpoint.url + "/lena", name="lena", user_id=org.lead_alpha.id)
    _channel(engine, org, endpoint.url + "/beta", name="beta chat", team_id=org.beta.id)  # leo leads Beta
    morning = NOW.replace(hour=9, minute=0)
    with write_tx(engine) as s:
        assert briefing.push_brief(s, morning.replace(hour=7)) == 0  # before brief_push_hour (8)
        assert briefing.push_brief(s, morning + timedelta(days=(5 - morning.weekday()) % 7)) == 0  # a Saturday
    assert endpoint.hits == []
    for _ in range(2):  # cron every 5 minutes: the day's brief goes once
        with write_tx(engine) as s:
            briefing.push_brief(s, morning)
    assert sorted(h.path for h in endpoint.hits) == ["/beta", "/lena"]
    with read_session(engine) as s:
        want = {name: brief.brief(scope_for(s, user), s, morning, user.language or "zh").markdown("")
                for name, user in (("/lena", org.lead_alpha), ("/beta", org.lead_beta))}
    got = {h.path: h.body["text"] for h in endpoint.hits}
    assert got == want  # each in their own scope (tests/integration/test_brief.py: a lead never reads another team)
