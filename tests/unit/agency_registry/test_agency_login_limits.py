"""The registry's login windows, on a clock the test moves (no I/O)."""

from services.agency_registry.login_limits import Windows
from services.agency_registry.staff import normal_username
from shared.fixed_windows import Limit


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_limit_parses_count_per_seconds():
    assert Limit.parse("5/900") == Limit(5, 900.0)
    assert Limit.parse("0/60").count == 0


def test_a_name_resolves_stripped_and_case_folded():
    assert normal_username("  Dinkes.BARRU ") == "dinkes.barru"


def test_the_fourth_attempt_of_three_waits_until_the_window_ends():
    clock = Clock()
    windows = Windows(Limit(3, 900), clock=clock)
    assert [windows.allow("dinkes.barru") for _ in range(3)] == [0, 0, 0]
    clock.now += 300  # 600 s of the window left
    assert windows.allow("dinkes.barru") == 600
    assert windows.allow("kominfo.barru") == 0  # another key has its own window
    clock.now += 600  # the window is over: a fresh one
    assert windows.allow("dinkes.barru") == 0


def test_clear_forgets_a_key_and_zero_turns_the_limit_off():
    clock = Clock()
    windows = Windows(Limit(1, 60), clock=clock)
    assert windows.allow("a") == 0 and windows.allow("a") == 60
    windows.clear("a")
    assert windows.allow("a") == 0
    off = Windows(Limit(0, 60), clock=clock)
    assert all(off.allow("a") == 0 for _ in range(100))


def test_the_table_is_bounded_oldest_first():
    clock = Clock()
    windows = Windows(Limit(1, 60), max_keys=2, clock=clock)
    windows.allow("a"), windows.allow("b"), windows.allow("c")  # "a" is dropped
    assert windows.allow("a") == 0 and windows.allow("c") == 60
