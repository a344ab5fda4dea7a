"""The whole system the way `make run` starts it (`satupintu run`: the national template, every
service a process), on free ports, fresh SQLite files and its own RabbitMQ vhost; and Debian's
Chromium driven by Playwright. Used by the browser tests and by `make screenshots`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import requests

from services import SERVICES
from shared.config import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BIND = {
    "agency_registry": "REGISTRY",
    "routing": "ROUTING",
    "intake": "INTAKE",
    "notification": "NOTIFICATION",
    "reporting": "REPORTING",
    "portal": "PORTAL",
}
RABBIT_API = "http://127.0.0.1:15672/api"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def vhost():
    name = f"satupintu-browser-{uuid.uuid4().hex[:8]}"
    auth = ("guest", "guest")
    requests.put(f"{RABBIT_API}/vhosts/{name}", auth=auth, timeout=10).raise_for_status()
    requests.put(
        f"{RABBIT_API}/permissions/{name}/guest",
        json={"configure": ".*", "write": ".*", "read": ".*"},
        auth=auth,
        timeout=10,
    ).raise_for_status()
    try:
        yield f"amqp://guest:guest@127.0.0.1:5672/{name}"
    finally:
        requests.delete(f"{RABBIT_API}/vhosts/{name}", auth=auth, timeout=10)


@contextmanager
def running_system(folder: Path):
    """Yields {"portal": "http://127.0.0.1:…", "intake": …, …, "amqp": "amqp://…/<vhost>"} once
    every service is healthy."""
    from shared.broker import ROLES, Management

    with vhost() as amqp:
        prefix = f"{amqp.rsplit('/', 1)[1]}-"  # this system's broker users, deleted after
        env = {
            **os.environ,
            "AMQP_URI": amqp,
            "OUTBOX_RELAY_INTERVAL": "0.2",
            "KEYS_DIR": str(folder / "keys"),
            "BROKER_USER_PREFIX": prefix,
            "RABBITMQ_MANAGEMENT_URL": "http://guest:guest@127.0.0.1:15672",
        }
        urls = {}
        for service in SERVICES:
            port = free_port()
            env[f"{BIND[service]}_HTTP"] = f"127.0.0.1:{port}"
            env[f"{BIND[service]}_DATABASE_URL"] = f"sqlite:///{folder}/{service}.db"
            urls[service] = f"http://127.0.0.1:{port}"
            env[f"{service.upper()}_URL"] = urls[service]
        log_path = folder / "satupintu.log"
        with open(log_path, "w") as log:
            launcher = subprocess.Popen(
                [Path(sys.executable).parent / "satupintu", "run"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            deadline = time.monotonic() + 180
            while "satupintu is ready" not in log_path.read_text():
                if launcher.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log_path.read_text()[-3000:])
                time.sleep(0.3)
            yield {**urls, "amqp": amqp}  # the broker's vhost too, for benches that publish
        finally:
            launcher.send_signal(signal.SIGINT)
            try:
                launcher.wait(timeout=30)
            except subprocess.TimeoutExpired:
                launcher.kill()
            management = Management("http://guest:guest@127.0.0.1:15672")
            for role in ROLES:
                management.delete_user(prefix + role)


@contextmanager
def another_portal(folder: Path, urls: dict, **settings: str):
    """One more portal process in front of the running system's services, with its own
    ``settings`` (e.g. PORTAL_DESK_IDLE_SECONDS="3"); yields its address."""
    port = free_port()
    env = {
        **os.environ,
        **{f"{service.upper()}_URL": urls[service] for service in SERVICES},
        "PORTAL_HTTP": f"127.0.0.1:{port}",
        "KEYS_DIR": str(folder / "keys"),
        "PYTHONUNBUFFERED": "1",
        **settings,
    }
    log_path = folder / f"portal-{port}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "shared.nameko_run",
                "--config",
                "services/portal/config.yml",
                "services.portal.service:Portal",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    address = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{address}/static/portal.css", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log_path.read_text()[-3000:])
            time.sleep(0.3)
        yield address
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    # Not stopped: under eventlet's monkey patching (tests/conftest.py) Playwright's stop()
    # waits forever on its driver's pipe; the driver ends by itself when this process does.
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()


def tiny_png() -> bytes:
    """A real 1×1 PNG (intake checks what a file is, not only its name)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xc0\x20\x20")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
