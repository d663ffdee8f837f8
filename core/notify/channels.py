"""Sending one message to one channel (SPEC §10): a DingTalk robot (signed when a secret is set), a
WeCom robot, a Slack-compatible webhook, a generic JSON webhook, or SMTP e-mail.

Nothing secret is kept in the database: a channel row names its secrets (``token_secret``,
``sign_secret``), and ``secret(name)`` reads them from the environment or ``.streamlit/secrets.toml``.
Every send has a short timeout and raises ``SendError`` (never anything else) when it fails, so the
caller logs the failure and retries later (core.notify.delivery).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import smtplib
import socket
import ssl
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, Callable, Mapping

from core.base import config

DINGTALK, WECOM, SLACK, WEBHOOK, EMAIL = "dingtalk", "wecom", "slack", "webhook", "email"
KINDS = (DINGTALK, WECOM, SLACK, WEBHOOK, EMAIL)
TOKEN = "{token}"  # in a webhook address: replaced by the token secret's value
SECRET_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,79}$")
# what a secret itself looks like (a DingTalk signing secret, a long hex token): refused as a *name*
LOOKS_LIKE_A_SECRET = re.compile(r"^(SEC[0-9a-fA-F]{20,}|[0-9a-fA-F]{32,})$")
# query parameters that carry a robot's token: their value must come from a secret, not the address
TOKEN_PARAMS = ("access_token", "key", "token")


class SendError(Exception):
    """The message did not get through; the text says why (never the secret)."""


class MissingSecret(SendError):
    """A secret the channel names is not set in the environment or in .streamlit/secrets.toml."""


def secret(name: str, env: Mapping[str, str] | None = None) -> str:
    """The value of the secret ``name``: the environment variable, else the secrets.toml entry."""
    env = os.environ if env is None else env
    value = env.get(name)
    if value:
        return value
    try:
        data = tomllib.loads(config.SECRETS_FILE.read_text(encoding="utf-8")) if config.SECRETS_FILE.exists() else {}
    except (OSError, tomllib.TOMLDecodeError):
        data = {}
    found = data.get(name)
    if found is None:
        raise MissingSecret(f"the secret {name} is not set (environment variable or .streamlit/secrets.toml)")
    return str(found)


def dingtalk_sign(secret_value: str, timestamp_ms: int) -> str:
    """DingTalk's robot signature: Base64(HMAC-SHA256(key=secret, "timestamp\\nsecret")), URL-encoded."""
    string_to_sign = f"{timestamp_ms}\n{secret_value}".encode("utf-8")
    digest = hmac.new(secret_value.encode("utf-8"), string_to_sign, digestmod=hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def payload(kind: str, title: str, markdown: str, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The JSON body each kind of webhook expects for a markdown message."""
    if kind == DINGTALK:
        return {"msgtype": "markdown", "markdown": {"title": title, "text": f"### {title}\n\n{markdown}"}}
    if kind == WECOM:
        content = f"### {title}\n{markdown}"
        while len(content.encode("utf-8")) > 4096:  # WeCom refuses markdown over 4096 bytes
            content = content[:-200] + "…"
        return {"msgtype": "markdown", "markdown": {"content": content}}
    if kind == SLACK:
        return {"text": f"*{title}*\n{markdown}"}
    if kind == WEBHOOK:
        return {"title": title, "text": markdown, **dict(extra or {})}
    raise ValueError(f"{kind!r} is not a webhook kind")


@dataclass(frozen=True)
class Target:
    """What a send needs of a channel row (core.base.models.Channel)."""
    kind: str
    address: str
    token_secret: str = ""
    sign_secret: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)


def webhook_url(target: Target, env: Mapping[str, str] | None = None,
                clock: Callable[[], float] = time.time) -> str:
    url = target.address
    if TOKEN in url:
        if not target.token_secret:
            raise SendError("the address has {token} but the channel names no token secret")
        url = url.replace(TOKEN, urllib.parse.quote(secret(target.token_secret, env), safe=":/?&=%"))
    if target.kind == DINGTALK and target.sign_secret:
        ts = int(clock() * 1000)
        url += ("&" if "?" in url else "?") + f"timestamp={ts}&sign={dingtalk_sign(secret(target.sign_secret, env), ts)}"
    return url


def _post_json(url: str, body: dict[str, Any], timeout: float) -> str:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (an admin's webhook address)
            return resp.read(65536).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        raise SendError(f"HTTP {exc.code} {exc.reason}") from None
    except (socket.timeout, TimeoutError):
        raise SendError(f"no answer within {timeout:g} s (timed out)") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise SendError(f"no answer within {timeout:g} s (timed out)") from None
        raise SendError(f"cannot reach the address: {reason}") from None
    except (OSError, ValueError) as exc:
        raise SendError(f"cannot reach the address: {exc}") from None


def _check_robot_answer(kind: str, text: str) -> None:
    """DingTalk and WeCom answer HTTP 200 with {"errcode": n, "errmsg": …}; n ≠ 0 is a refusal."""
    if kind not in (DINGTALK, WECOM):
        return
    try:
        answer = json.loads(text)
    except ValueError:
        raise SendError(f"the robot's answer is not JSON: {text[:100]!r}") from None
    if isinstance(answer, dict) and answer.get("errcode", 0) != 0:
        raise SendError(f"the robot refused the message: errcode {answer.get('errcode')} {answer.get('errmsg', '')}")


def _send_email(target: Target, title: str, markdown: str, timeout: float, env) -> None:
    opts = dict(target.options or {})
    host, port = opts.get("smtp_host") or "", int(opts.get("smtp_port") or 25)
    if not host:
        raise SendError("the e-mail channel names no SMTP server")
    recipients = [a.strip() for a in target.address.split(",") if a.strip()]
    msg = EmailMessage()
    msg["Subject"] = title
    msg["From"] = opts.get("sender") or "sales-cockpit@localhost"
    msg["To"] = ", ".join(recipients)
    msg.set_content(markdown)
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            if opts.get("starttls"):
                smtp.starttls(context=ssl.create_default_context())
            if opts.get("smtp_user"):
                smtp.login(opts["smtp_user"], secret(target.token_secret, env) if target.token_secret else "")
            smtp.send_message(msg, to_addrs=recipients)
    except MissingSecret:
        raise
    except (socket.timeout, TimeoutError):
        raise SendError(f"the SMTP server did not answer within {timeout:g} s (timed out)") from None
    except smtplib.SMTPException as exc:
        raise SendError(f"the SMTP server refused: {exc}") from None
    except OSError as exc:
        raise SendError(f"cannot reach the SMTP server {host}:{port}: {exc}") from None


def send(target: Target, title: str, markdown: str, *, timeout: float = 5.0, extra: Mapping[str, Any] | None = None,
         env: Mapping[str, str] | None = None) -> None:
    """Send one message; raise SendError when it did not get through (and nothing else)."""
    try:
        if target.kind == EMAIL:
            _send_email(target, title, markdown, timeout, env)
            return
        text = _post_json(webhook_url(target, env), payload(target.kind, title, markdown, extra), timeout)
        _check_robot_answer(target.kind, text)
    except SendError:
        raise
    except Exception as exc:  # a failing endpoint must never break a page or a job run
        raise SendError(f"{type(exc).__name__}: {exc}") from None


def address_problem(kind: str, address: str, token_secret: str) -> str | None:
    """Why an address cannot be used (a text key of core/texts/delivery.py), or None."""
    address = address.strip()
    if kind == EMAIL:
        parts = [a.strip() for a in address.split(",") if a.strip()]
        if not parts or any(not re.fullmatch(r"[^@\s,]+@[^@\s,]+\.[^@\s,]+", a) for a in parts):
            return "delivery.err.email"
        return None
    if address == TOKEN:  # the whole URL is the secret (a Slack hook's path is its token)
        return None if token_secret else "delivery.err.token_needed"
    parsed = urllib.parse.urlsplit(address)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return "delivery.err.url"
    query = urllib.parse.parse_qs(parsed.query.replace(TOKEN, "TOKEN_PLACEHOLDER"))
    for name in TOKEN_PARAMS:
        for value in query.get(name, []):
            if value != "TOKEN_PLACEHOLDER":
                return "delivery.err.token_in_address"
    if TOKEN in address and not token_secret:
        return "delivery.err.token_needed"
    return None


def secret_name_problem(name: str) -> str | None:
    """Why ``name`` cannot name a secret (a text key), or None; '' is no secret."""
    if not name:
        return None
    if LOOKS_LIKE_A_SECRET.match(name):
        return "delivery.err.secret_value"
    if not SECRET_NAME.match(name):
        return "delivery.err.secret_name"
    return None
