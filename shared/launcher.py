"""Run services as separate ``nameko run`` processes; Ctrl-C stops them all.

What to run comes from the caller: ``{service: "module:Class"}`` (``services.SERVICE_CLASSES``).

Each service connects to RabbitMQ as its own broker user (``shared.broker``). The services
never outlive the launcher: each runs in a process group of its own that the launcher stops
on SIGINT, SIGTERM and SIGHUP, and the kernel sends it SIGTERM should the launcher die any
other way (SIGKILL included: ``prctl(PR_SET_PDEATHSIG)``).
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
import urllib.request

from shared.config import ROOT, config_path, load_config

READY_TIMEOUT = 60
MAX_RESTARTS, RESTART_WINDOW = 5, 60.0


def health_url(service: str) -> str:
    host, port = load_config(service)["WEB_SERVER_ADDRESS"].rsplit(":", 1)
    host = "127.0.0.1" if host in ("0.0.0.0", "") else host
    return f"http://{host}:{port}/health"


PR_SET_PDEATHSIG = 1
# what the launcher keeps to itself: the broker administrator and every service's password
PRIVATE_ENV = ("RABBITMQ_MANAGEMENT_URL", "OPERATOR_AMQP_URI")


def _die_with_parent(parent: int):
    """Runs in the child between fork and exec: SIGTERM when the launcher goes."""

    def arrange() -> None:
        if sys.platform.startswith("linux"):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # the launcher died before prctl took hold
            os._exit(1)

    return arrange


def child_env(service: str, amqp_uris: dict[str, str]) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if (name not in PRIVATE_ENV and not name.startswith("BROKER_"))
        or name == "BROKER_USER_PREFIX"
    }
    env["PYTHONUNBUFFERED"] = "1"
    if service in amqp_uris:
        env["AMQP_URI"] = amqp_uris[service]
    return env


def start(service: str, target: str, amqp_uris: dict[str, str] | None = None) -> subprocess.Popen:
    """``nameko run`` of ``target`` ("module:Class") with the service's config.yml."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "shared.nameko_run",
            "--config",
            str(config_path(service)),
            target,
        ],
        cwd=ROOT,
        env=child_env(service, amqp_uris or {}),
        start_new_session=True,  # its own process group: stopped by the launcher, not the tty
        preexec_fn=_die_with_parent(os.getpid()),
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


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def stop(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + 20
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait()


def supervise(
    processes: dict[str, subprocess.Popen], targets: dict[str, str], amqp_uris: dict[str, str]
) -> None:
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
            processes[service] = start(service, targets[service], amqp_uris)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def run_all(targets: dict[str, str], amqp_uris: dict[str, str] | None = None) -> int:
    """Start each of ``targets`` in order (``amqp_uris[service]`` as its AMQP_URI), wait until
    all are healthy, and watch them."""
    amqp_uris = amqp_uris or {}
    processes: dict[str, subprocess.Popen] = {}
    # stop the same way on SIGTERM and SIGHUP as on Ctrl-C; SIGINT too when it was ignored
    # (a background job of a non-interactive shell starts with SIGINT ignored)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    try:
        for service, target in targets.items():
            processes[service] = start(service, target, amqp_uris)
        deadline = time.monotonic() + READY_TIMEOUT
        for service in targets:
            wait_healthy(service, processes[service], deadline)
        print(
            "satupintu is ready: "
            + ", ".join(
                f"{service} {health_url(service).rsplit('/', 1)[0]}" for service in targets
            ),
            flush=True,
        )
        supervise(processes, targets, amqp_uris)
        return 1
    except KeyboardInterrupt:
        print("stopping…", file=sys.stderr)
        return 0
    except RuntimeError as exc:
        print(f"satupintu: {exc}", file=sys.stderr)
        return 1
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C does not cut the stop short
        stop(processes)
