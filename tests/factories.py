"""Factories and waiting helpers shared by the tests."""

import time


def wait_for(predicate, timeout: float = 10.0, interval: float = 0.05):
    """Poll ``predicate`` until it returns something truthy, or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(interval)


def make_report(**overrides) -> dict:
    """A complete, valid POST /reports body; ``overrides`` replace top-level fields."""
    report = {
        "classification": "complaint",
        "category_id": "pendidikan.sma",
        "title": "Pungutan di SMA negeri",
        "body": "Sekolah meminta uang gedung yang tidak sesuai aturan.",
        "event_date": "2026-11-20",
        "location": {"region_code": "73.11", "address": "Jl. Poros Barru"},
        "privacy": "public",
        "reporter": {"name": "Andi", "phone": "+6281234567890", "email": "andi@example.id"},
    }
    report.update(overrides)
    return report
