"""Run all five services as separate ``nameko run`` processes; Ctrl-C stops them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

from shared.config import ROOT, SERVICE_CLASSES, SERVICES, config_path, load_config

READY_TIMEOUT = 60
MAX_RESTARTS, RESTART_WINDOW = 5, 60.0


def health_url(service: str) -> str:
    host, port = load_config(service)["WEB_SERVER_ADDRESS"].rsplit(":", 1)
    host = "127.0.0.1" if host in ("0.0.0.0", "") else host
    return f"http://{host}:{port}/health"


def start(service: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "shared.nameko_run",
            "--config",
            str(config_path(service)),
            SERVICE_CLASSES[service],
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    print(f"satupintu: started {service} (pid {process.pid})", flush=True)
    return process


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


def supervise(processes: dict[str, subprocess.Popen]) -> None:
    """Restart a service that dies (as a process manager would); give up if it keeps dying."""
    restarts: dict[str, list[float]] = {service: [] for service in processes}
    while True:
        time.sleep(0.5)
        for service, process in processes.items():
            if process.poll() is None:
                continue
            now = time.monotonic()
            recent = [at for at in restarts[service] if now - at < RESTART_WINDOW]
            if len(recent) >= MAX_RESTARTS:
                print(f"satupintu: {service} keeps exiting; stopping", file=sys.stderr)
                return
            print(
                f"satupintu: {service} exited with code {process.returncode}; restarting",
                file=sys.stderr,
                flush=True,
            )
            restarts[service] = recent + [now]
            processes[service] = start(service)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def run_all() -> int:
    processes: dict[str, subprocess.Popen] = {}
    signal.signal(signal.SIGTERM, _interrupt)  # stop the same way on SIGTERM as on Ctrl-C
    try:
        for service in SERVICES:
            processes[service] = start(service)
        deadline = time.monotonic() + READY_TIMEOUT
        for service in SERVICES:
            wait_healthy(service, processes[service], deadline)
        print(
            "satupintu is ready: "
            + ", ".join(
                f"{service} {health_url(service).rsplit('/', 1)[0]}" for service in SERVICES
            ),
            flush=True,
        )
        supervise(processes)
        return 1
    except KeyboardInterrupt:
        print("stopping…", file=sys.stderr)
        return 0
    except RuntimeError as exc:
        print(f"satupintu: {exc}", file=sys.stderr)
        return 1
    finally:
        stop(processes)
