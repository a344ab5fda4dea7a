"""HTTP/1.1 to the other services over kept-alive connections, with as little work per call
as a page can pay: a request is one send, an answer is a status line, headers and a body of
Content-Length bytes (or chunks).

urllib3 spent about 0.6 ms of CPU per call (pool bookkeeping, a poll before reusing a
connection, the email-module header parser); this spends about a fifth of it. The services
are our own eventlet servers, so there is no TLS, no redirect and no proxy to speak.

    pool = Connections(timeout=(2, 8))
    status, headers, body = pool.request("GET", "http://127.0.0.1:8001/reports/…", {}, None)

Refused, timed out or cut connections raise ``WireError``. A kept-alive connection the
service closed while idle is not used again: one that is readable before a request was sent
(its FIN arrived) is dropped, as urllib3 drops it; one that ends before any byte of an answer
is retried on a fresh connection for a GET, whose repeat changes nothing, and is an error for
anything else (the service may have acted on it).
"""

from __future__ import annotations

import select
import socket
from collections import defaultdict
from urllib.parse import urlsplit

from urllib3 import HTTPHeaderDict

MAX_IDLE = 64  # connections kept per service
MAX_LINE = 65536


class WireError(Exception):
    """The service could not be reached, did not answer in time, or answered garbage."""


class _Closed(WireError):
    """The connection ended before any byte of an answer: safe to send again."""


class Connections:
    def __init__(self, timeout: tuple[float, float]):
        self.connect_timeout, self.read_timeout = timeout
        self._idle: dict[tuple, list] = defaultdict(list)

    def request(self, method: str, url: str, headers: dict, body: bytes | None):
        """(status, headers, body bytes)."""
        parts = urlsplit(url)
        address = (parts.hostname, parts.port or 80)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        lines = [f"{method} {target} HTTP/1.1", f"Host: {parts.netloc}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body is not None or method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body or b'')}")
        message = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")
        idle = self._idle[address]
        while idle:
            conn = idle.pop()
            if conn.dropped():
                conn.close()
                continue
            try:
                return self._exchange(conn, address, message, method)
            except _Closed:
                conn.close()  # closed by the service while idle
                if method not in ("GET", "HEAD"):
                    raise WireError("closed while idle") from None
        return self._exchange(self._connect(address), address, message, method)

    def _connect(self, address) -> _Connection:
        try:
            sock = socket.create_connection(address, timeout=self.connect_timeout)
        except OSError as exc:
            raise WireError(str(exc)) from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.settimeout(self.read_timeout)
        return _Connection(sock)

    def _exchange(self, conn: _Connection, address, message: bytes, method: str):
        try:
            status, headers, body, keep = conn.exchange(message, method)
        except _Closed:
            raise
        except (OSError, ValueError) as exc:
            conn.close()
            raise WireError(type(exc).__name__) from None
        except WireError:
            conn.close()
            raise
        if keep and len(self._idle[address]) < MAX_IDLE:
            self._idle[address].append(conn)
        else:
            conn.close()
        return status, headers, body

    def clear(self) -> None:
        for idle in self._idle.values():
            while idle:
                idle.pop().close()


class _Connection:
    def __init__(self, sock):
        self.sock = sock
        self.file = sock.makefile("rb")
        self.used = False

    def dropped(self) -> bool:
        """Readable while idle: the service closed it (or sent what nobody asked for)."""
        try:
            return bool(select.select([self.sock], [], [], 0)[0])
        except (OSError, ValueError):
            return True

    def exchange(self, message: bytes, method: str):
        reused, self.used = self.used, True
        try:
            self.sock.sendall(message)
            line = self.file.readline(MAX_LINE)
        except (ConnectionResetError, BrokenPipeError):
            line = b""
        if not line:
            if reused:
                raise _Closed("closed while idle")
            raise WireError("no answer")
        version, _, rest = line.partition(b" ")
        if not version.startswith(b"HTTP/1."):
            raise WireError("not HTTP")
        status = int(rest[:3])
        headers = HTTPHeaderDict()
        while True:
            line = self.file.readline(MAX_LINE)
            if line in (b"\r\n", b"\n"):
                break
            if not line:
                raise WireError("cut in the headers")
            name, _, value = line.decode("latin-1").partition(":")
            headers.add(name.strip(), value.strip())
        keep = headers.get("Connection", "").lower() != "close" and version != b"HTTP/1.0"
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            return status, headers, b"", keep
        if "chunked" in headers.get("Transfer-Encoding", "").lower():
            return status, headers, self._chunks(), keep
        length = headers.get("Content-Length")
        if length is None:  # the body runs to the end of the connection
            return status, headers, self.file.read(), False
        body = self.file.read(int(length))
        if len(body) != int(length):
            raise WireError("cut in the body")
        return status, headers, body, keep

    def _chunks(self) -> bytes:
        parts = []
        while True:
            size = int(self.file.readline(MAX_LINE).split(b";")[0].strip() or b"x", 16)
            if size == 0:
                while self.file.readline(MAX_LINE) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            parts.append(self.file.read(size))
            self.file.readline(MAX_LINE)

    def close(self) -> None:
        try:
            self.file.close()
            self.sock.close()
        except OSError:
            pass
