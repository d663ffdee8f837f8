"""Real endpoints on 127.0.0.1 for the delivery tests: an HTTP server that records each request and
answers from a script (status, body, delay), and a tiny SMTP server that keeps each message."""
from __future__ import annotations

import json
import socketserver
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Hit:
    path: str
    query: dict
    body: dict


@dataclass
class HttpEndpoint:
    """``answers``: (status, body, delay seconds) per request in turn; the last repeats."""
    answers: list = field(default_factory=lambda: [(200, '{"errcode": 0, "errmsg": "ok"}', 0.0)])
    hits: list = field(default_factory=list)
    url: str = ""

    def answer(self):
        return self.answers[min(len(self.hits) - 1, len(self.answers) - 1)]


def start_http(endpoint: HttpEndpoint) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            parts = urllib.parse.urlsplit(self.path)
            endpoint.hits.append(Hit(parts.path, dict(urllib.parse.parse_qsl(parts.query)), json.loads(raw or b"{}")))
            status, body, delay = endpoint.answer()
            if delay:
                time.sleep(delay)
            data = body.encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the client gave up waiting (the timeout test)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    endpoint.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@dataclass
class Mailbox:
    messages: list = field(default_factory=list)  # (mail from, [rcpt to], email.message.Message)
    port: int = 0


def start_smtp(box: Mailbox) -> socketserver.ThreadingTCPServer:
    """Just enough SMTP (RFC 5321) for smtplib: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""
    class Handler(socketserver.StreamRequestHandler):
        def handle(self):
            def say(line: str):
                self.wfile.write((line + "\r\n").encode())
            say("220 localhost test SMTP")
            sender, rcpts = "", []
            while True:
                line = self.rfile.readline()
                if not line:
                    return
                cmd = line.decode().strip()
                verb = cmd[:4].upper()
                if verb == "EHLO":
                    say("250-localhost")
                    say("250 8BITMIME")
                elif verb == "HELO":
                    say("250 localhost")
                elif verb == "MAIL":
                    sender, rcpts = cmd.split(":", 1)[1].strip().strip("<>").split(">")[0], []
                    say("250 OK")
                elif verb == "RCPT":
                    rcpts.append(cmd.split(":", 1)[1].strip().strip("<>"))
                    say("250 OK")
                elif verb == "DATA":
                    say("354 go ahead")
                    data = b""
                    while True:
                        chunk = self.rfile.readline()
                        if chunk in (b".\r\n", b".\n", b""):
                            break
                        data += chunk[1:] if chunk.startswith(b"..") else chunk
                    box.messages.append((sender, rcpts, message_from_bytes(data, policy=policy.default)))
                    say("250 queued")
                elif verb == "QUIT":
                    say("221 bye")
                    return
                else:
                    say("250 OK")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    box.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
