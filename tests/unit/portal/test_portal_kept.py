"""The portal keeps an upstream answer only when its service marks it the public's to share,
for as long as it says, and never more of them than it was given room for."""

from services.portal.kept import Kept, shared_for
from services.portal.upstream import Reply


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def reply(cache_control=None, status=200):
    headers = {"Cache-Control": cache_control} if cache_control else {}
    return Reply(status, {"by_colour": {"red": 1}}, b"{}", headers)


def test_only_a_public_answer_with_a_max_age_may_be_shared():
    assert shared_for("public, max-age=30") == 30
    assert shared_for("max-age=30, public") == 30
    assert shared_for("Public, Max-Age=5") == 5
    for words in (
        "",
        "max-age=30",
        "public",
        "private, max-age=30",
        "public, no-store, max-age=9",
        "public, no-cache, max-age=9",
        "public, s-maxage=30",
    ):
        assert shared_for(words) == 0, words


def test_an_answer_is_served_again_until_its_max_age_has_passed():
    clock = Clock()
    kept = Kept(entries=10, clock=clock)
    given = reply("public, max-age=30")
    kept.keep("http://reporting/statistics/nation", given)
    clock.now += 29.9
    assert kept.get("http://reporting/statistics/nation") is given
    clock.now += 0.1
    assert kept.get("http://reporting/statistics/nation") is None


def test_private_uncacheable_and_failed_answers_are_not_kept():
    kept = Kept(entries=10, clock=Clock())
    kept.keep("a", reply("private, no-store"))
    kept.keep("b", reply())
    kept.keep("c", reply("public, max-age=30", status=404))
    assert [kept.get(url) for url in "abc"] == [None, None, None]


def test_the_least_recently_asked_answer_makes_room():
    kept = Kept(entries=2, clock=Clock())
    first, second, third = (reply("public, max-age=30") for _ in range(3))
    kept.keep("first", first)
    kept.keep("second", second)
    assert kept.get("first") is first  # asked again: now the most recent
    kept.keep("third", third)
    assert kept.get("second") is None
    assert kept.get("first") is first and kept.get("third") is third


def test_no_room_keeps_nothing():
    kept = Kept(entries=0, clock=Clock())
    kept.keep("a", reply("public, max-age=30"))
    assert kept.get("a") is None


def test_visitors_asking_at_once_for_a_stale_answer_share_one_call_and_its_outcome():
    import eventlet

    clock, calls = Clock(), []
    kept = Kept(entries=10, clock=clock)

    def call(answer):
        def run():
            calls.append(answer)
            eventlet.sleep(0.05)  # the service takes its time; others arrive meanwhile
            if isinstance(answer, Exception):
                raise answer
            return answer

        return run

    def together(url, answer, visitors):
        outcomes = []
        for asking in [eventlet.spawn(kept.answer, url, call(answer)) for _ in range(visitors)]:
            try:
                outcomes.append(asking.wait())
            except RuntimeError as exc:
                outcomes.append(exc)
        return outcomes

    for url in ("figures", "rankings", "limited"):
        kept.keep(url, reply("public, max-age=30"))
    clock.now += 30  # all three stale now

    fresh = reply("public, max-age=30")
    assert together("figures", fresh, 5) == [fresh] * 5 and calls == [fresh]
    assert kept.answer("figures", call(reply())) is fresh  # kept again: not asked

    down, calls[:] = RuntimeError("reporting is down"), []
    assert together("rankings", down, 4) == [down] * 4 and calls == [down]

    refused, calls[:] = reply("public, max-age=30", status=429), []  # one visitor's limit
    assert together("limited", refused, 3) == [refused] * 3 and calls == [refused] * 3

    never, calls[:] = reply(), []  # never kept: every visitor asks, none waits for another
    assert together("recent", never, 3) == [never] * 3 and calls == [never] * 3
