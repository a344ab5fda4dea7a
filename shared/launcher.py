"""Run all five services as separate ``nameko run`` processes; Ctrl-C stops them all."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

from shared.config import ROOT, SERVICES, config_path, load_config

READY_TIMEOUT = 60


def health_url(service: str) -> str:
    host, port = load_config(service)["WEB_SERVER_ADDRESS"].rsplit(":", 1)
    host = "127.0.0.1" if host in ("0.0.0.0", "") else host
    return f"http://{host}:{port}/health"


def start(service: str) -> subprocess.Popen:
    module = f"services.{service}.service"
    return subprocess.Popen(
        [sys.executable, "-m", "nameko", "run", "--config", str(config_path(service)), module],
        cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def wait_healthy(service: str, process: subprocess.Popen, deadline: float) -> None:
    url = health_url(service)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{service} exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{service} not healthy after {READY_TIMEOUT}s ({url})")


def stop(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 20
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def run_all() -> int:
    processes: dict[str, subprocess.Popen] = {}
    signal.signal(signal.SIGTERM, _interrupt)  # stop the same way on SIGTERM as on Ctrl-C
    try:
        for service in SERVICES:  # the registry first: routing loads its replica from it
            processes[service] = start(service)
        deadline = time.monotonic() + READY_TIMEOUT
        for service in SERVICES:
            wait_healthy(service, processes[service], deadline)
        print("satupintu is ready: " + ", ".join(
            f"{service} {health_url(service).rsplit('/', 1)[0]}" for service in SERVICES), flush=True)
        while all(process.poll() is None for process in processes.values()):
            time.sleep(0.5)
        dead = [name for name, process in processes.items() if process.poll() is not None]
        print(f"stopping: {', '.join(dead)} exited", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stopping…", file=sys.stderr)
        return 0
    except RuntimeError as exc:
        print(f"satupintu: {exc}", file=sys.stderr)
        return 1
    finally:
        stop(processes)
