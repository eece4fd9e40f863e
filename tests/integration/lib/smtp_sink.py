#!/usr/bin/python3
"""A local SMTP listener for the notification tests (Debian's python3-aiosmtpd).

Usage: smtp_sink.py PORT MODE [N]
  MODE accept      accepts every message
       refuse      answers RCPT with 550 (permanent)
       defer       answers RCPT with 451 (temporary) N times, then accepts
       slow        accepts, but waits N seconds before answering the first DATA (a delivery in
                   flight); later messages are answered at once
Listens on 127.0.0.1:PORT, prints "ready" once listening, then one JSON line per accepted
message: the envelope and the message as parsed by Python's email package (headers decoded,
the text and HTML parts decoded), so the test checks what a mail client would show. Also one
line per refusal ({"refused": code}). Stops on SIGTERM or when stdin closes.
"""
import asyncio
import email
import email.policy
import json
import signal
import sys
import threading

from aiosmtpd.controller import Controller


def raw_header(content, name):
    """The header as sent (folded lines joined), to see its RFC 2047 encoding."""
    head = content.split(b"\r\n\r\n", 1)[0].replace(b"\r\n ", b" ")
    for line in head.split(b"\r\n"):
        if line.startswith(name):
            return line[len(name):].strip().decode("ascii", "replace")
    return None


class Handler:
    def __init__(self, mode, n):
        self.mode = mode
        self.remaining = n
        self.lock = threading.Lock()

    def emit(self, obj):
        sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
        sys.stdout.flush()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "refuse":
            self.emit({"refused": 550, "rcpt": address})
            return "550 5.1.1 mailbox unavailable"
        if self.mode == "defer":
            with self.lock:
                if self.remaining > 0:
                    self.remaining -= 1
                    self.emit({"refused": 451, "rcpt": address})
                    return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "slow":
            self.emit({"data_started": envelope.rcpt_tos})
            with self.lock:
                delay, self.remaining = self.remaining, 0
            await asyncio.sleep(delay)
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        parts = {}
        for part in msg.walk():
            if part.is_multipart():
                continue
            parts[part.get_content_type()] = part.get_content()
        self.emit({
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "subject": str(msg["subject"]),
            "raw_subject": raw_header(envelope.content, b"Subject:"),
            "from": str(msg["from"]),
            "to": str(msg["to"]),
            "message_id": str(msg["message-id"]),
            "date": str(msg["date"]),
            "content_type": msg.get_content_type(),
            "text": parts.get("text/plain"),
            "html": parts.get("text/html"),
            "defects": [str(d) for d in msg.defects],
        })
        return "250 Message accepted"


def main():
    port = int(sys.argv[1])
    mode = sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    controller = Controller(Handler(mode, n), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
