"""Real servers the notification tests talk to, each in its own process so it can be stopped and
started again: an SMTP server (aiosmtpd, into a maildir) and an HTTP server that records every
request as a JSON line (standing in for the SMS gateway and Twitter).

    python tests/servers.py http PORT LOGFILE [STATUS]
"""

import json
import mailbox
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit


class Process:
    def __init__(self, args: list[str], port: int):
        self.args, self.port, self.process = args, port, None

    def start(self) -> "Process":
        import socket

        self.process = subprocess.Popen(
            self.args,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=Path(__file__).resolve().parents[1],
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        raise RuntimeError(f"{self.args} did not listen on {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def smtp_server(port: int, maildir: Path) -> Process:
    return Process(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "aiosmtpd.handlers.Mailbox",
            str(maildir),
        ],
        port,
    )


class RefusingRecipients:
    """An aiosmtpd handler that refuses every recipient and quotes the address back, as real
    mail servers do ("550 5.1.1 <siti@…>: User unknown")."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"


def refusing_smtp_server(port: int) -> Process:
    return Process(
        [
            sys.executable,
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            f"127.0.0.1:{port}",
            "-c",
            "tests.servers.RefusingRecipients",
        ],
        port,
    )


def mails(maildir: Path) -> list:
    return list(mailbox.Maildir(str(maildir), create=True)) if maildir.exists() else []


def http_recorder(port: int, log: Path, status: int = 202) -> Process:
    return Process([sys.executable, __file__, "http", str(port), str(log), str(status)], port)


def requests_seen(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def _serve_http(port: int, log: str, status: int) -> None:
    class Recorder(BaseHTTPRequestHandler):
        def _record(self):
            length = int(self.headers.get("Content-Length") or 0)
            url = urlsplit(self.path)
            entry = {
                "method": self.command,
                "path": url.path,
                "query": {k: v[0] for k, v in parse_qs(url.query).items()},
                "headers": dict(self.headers),
                "body": self.rfile.read(length).decode() if length else "",
            }
            with open(log, "a") as out:
                out.write(json.dumps(entry) + "\n")
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b"0: Accepted for delivery")

        do_GET = do_POST = _record

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Recorder).serve_forever()


if __name__ == "__main__" and sys.argv[1] == "http":
    _serve_http(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 else 202)
