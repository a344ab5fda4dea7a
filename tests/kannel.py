"""A real Kannel for the tests (Debian's kannel and kannel-extras, installed by
deploy/local/ensure-services.sh): bearerbox and smsbox from a kannel.conf written into tmp, each
on free loopback ports of its own, and fakesmsc from kannel-extras as the citizen's phone.

What reaches the phone is read from fakesmsc's stdout, one line per SMS as it came over the
air ("Got message 3: <1708 +62813… text LAPOR: …>"): type ``text`` is one GSM 7-bit SMS,
``ucs-2`` one UCS-2 SMS, ``udh`` one part of a concatenated SMS whose header says which.
fakesmsc does not say the coding of a ``udh`` part: bearerbox's access log does, for every SMS
it sent ("[flags:<mclass>:<coding>:<mwi>:<compress>:<dlr-mask>]"), and the tests read both.
"""

from __future__ import annotations

import re
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_to_bytes

BEARERBOX = "/usr/sbin/bearerbox"
SMSBOX = "/usr/sbin/smsbox"
FAKESMSC = "/usr/lib/kannel/test/fakesmsc"
SENDSMS_USER, SENDSMS_PASSWORD = "satupintu", "sendsms-test-password"
# the README's reply-couldnotfetch: what the sender reads once Kannel's retries are spent
REPLY_COULDNOTFETCH = (
    "Maaf, layanan 1708 sedang gangguan. Kirim ulang SMS Anda beberapa menit lagi."
    " / Service down, please resend in a few minutes."
)

GOT = re.compile(r"Got message \d+: <(\S+) (\S+) (\S+) (.*)>$")
SENT = re.compile(r"Sent SMS .*\[to:([^\]]*)\] \[flags:-?\d+:(-?\d+):")


def installed() -> bool:
    return all(Path(p).exists() for p in (BEARERBOX, SMSBOX, FAKESMSC))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def kannel_conf(folder: Path, ports: dict, get_url: str, queue_delay: int = 1) -> str:
    """The test's kannel.conf: the regency's lines from the README (sendsms-user, sms-service,
    retries, reply-couldnotfetch), plus a fake SMSC for fakesmsc instead of the operator's
    SMSC; retries ``queue_delay`` seconds apart instead of 10."""
    return f"""
group = core
admin-port = {ports["admin"]}
admin-password = admin-test-password
admin-interface = 127.0.0.1
smsbox-port = {ports["smsbox"]}
smsbox-interface = 127.0.0.1
box-allow-ip = 127.0.0.1
log-file = "{folder}/bearerbox.log"
log-level = 0
access-log = "{folder}/access.log"
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = phone
host = 127.0.0.1
our-host = 127.0.0.1
port = {ports["fake"]}
connect-allow-ip = 127.0.0.1

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {ports["smsbox"]}
sendsms-port = {ports["sendsms"]}
sendsms-interface = 127.0.0.1
log-file = "{folder}/smsbox.log"
log-level = 0
http-request-retry = 3
http-queue-delay = {queue_delay}
reply-couldnotfetch = "{REPLY_COULDNOTFETCH}"

group = sendsms-user
username = {SENDSMS_USER}
password = {SENDSMS_PASSWORD}
user-allow-ip = 127.0.0.1
max-messages = 5
concatenation = true

group = sms-service
keyword = default
get-url = "{get_url}"
max-messages = 3
concatenation = true
"""


@dataclass
class Sms:
    """One SMS as the phone got it."""

    sender: str
    receiver: str
    kind: str  # text | ucs-2 | udh
    text: str  # decoded (a udh part: its own text, decoded with its coding)
    udh: bytes = b""

    @property
    def concatenation(self) -> tuple[int, int, int] | None:
        """(reference, total, sequence) of a part, from the 8-bit concatenation header."""
        if len(self.udh) == 6 and self.udh[:3] == b"\x05\x00\x03":
            return self.udh[3], self.udh[4], self.udh[5]
        return None


class Phone:
    """fakesmsc: sends the citizen's one SMS when it connects, then prints what it receives."""

    def __init__(self, kannel: Kannel, sender: str, text: str):
        self.kannel, self.sender = kannel, sender
        self.out = kannel.folder / f"phone-{sender.strip('+')}.out"
        message = f"{sender} 1708 text {text}"
        self.process = subprocess.Popen(
            [FAKESMSC, "-H", "127.0.0.1", "-r", str(kannel.ports["fake"]), "-m", "1", message],
            stdout=self.out.open("w"),
            stderr=subprocess.STDOUT,
        )

    def received(self) -> list[Sms]:
        """Every SMS to this phone so far, in order; udh parts decoded with the coding
        bearerbox logged for them."""
        codings = self.kannel.codings(self.sender)
        got = []
        for line in self.out.read_text(errors="replace").splitlines():
            match = GOT.search(line)
            if not match or match.group(2) != self.sender:
                continue
            sender, receiver, kind, rest = match.groups()
            if kind == "udh":
                udh, _, data = rest.partition(" data ")
                coding = codings[len(got)] if len(got) < len(codings) else None
                text = _url_bytes(data).decode(
                    "utf-16-be" if coding == 2 else "utf-8", errors="replace"
                )
                got.append(Sms(sender, receiver, kind, text, _url_bytes(udh)))
            elif kind == "ucs-2":
                got.append(Sms(sender, receiver, kind, _url_bytes(rest).decode("utf-16-be")))
            else:
                got.append(Sms(sender, receiver, kind, rest))
        return got

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Kannel:
    """bearerbox + smsbox on their own free ports, configured from ``kannel_conf``."""

    def __init__(self, folder: Path, get_url: str, queue_delay: int = 1):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.ports = {name: free_port() for name in ("admin", "smsbox", "fake", "sendsms")}
        self.conf = folder / "kannel.conf"
        self.conf.write_text(kannel_conf(folder, self.ports, get_url, queue_delay))
        self.processes: list[subprocess.Popen] = []
        self.phones: list[Phone] = []

    @property
    def sendsms_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['sendsms']}/cgi-bin/sendsms"

    def start(self) -> Kannel:
        self._run(BEARERBOX, "bearerbox")
        _wait_listening(self.ports["smsbox"])
        self._run(SMSBOX, "smsbox")
        _wait_listening(self.ports["sendsms"])
        return self

    def phone(self, sender: str, text: str) -> Phone:
        phone = Phone(self, sender, text)
        self.phones.append(phone)
        return phone

    def codings(self, receiver: str) -> list[int]:
        """The coding bearerbox logged for each SMS it sent to ``receiver``, in order."""
        log = self.folder / "access.log"
        if not log.exists():
            return []
        return [
            int(match.group(2))
            for match in map(SENT.search, log.read_text(errors="replace").splitlines())
            if match and match.group(1) == receiver
        ]

    def stop(self) -> None:
        for phone in self.phones:
            phone.stop()
        for process in reversed(self.processes):  # smsbox first, then bearerbox
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=5)

    def _run(self, binary: str, name: str) -> None:
        out = (self.folder / f"{name}.out").open("w")
        self.processes.append(
            subprocess.Popen([binary, str(self.conf)], stdout=out, stderr=subprocess.STDOUT)
        )

    def answers(self, status: int) -> int:
        """How many HTTP answers with ``status`` smsbox has logged (from intake, the get-url)."""
        log = self.folder / "smsbox.log"
        if not log.exists():
            return 0
        pattern = re.compile(rf"Status line: <HTTP/1\.[01] {status}\b")
        return sum(
            1 for line in log.read_text(errors="replace").splitlines() if pattern.search(line)
        )

    def logs(self) -> str:
        """The boxes' logs, for a failing test's report (they hold no secret of the system)."""
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-4000:]}"
            for path in sorted(self.folder.glob("*.log")) + sorted(self.folder.glob("*.out"))
        )


def _wait_listening(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


def _url_bytes(text: str) -> bytes:
    """fakesmsc's URL encoding: %XX bytes, + for a space."""
    return unquote_to_bytes(text.replace("+", "%20"))
