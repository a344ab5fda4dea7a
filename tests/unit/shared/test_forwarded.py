"""X-Forwarded-For is believed from trusted proxies only, and read from the right."""

import pytest

from shared.forwarded import client_address, trusted_proxies

TRUSTED = trusted_proxies("127.0.0.1, ::1, 10.0.0.0/8")


@pytest.mark.parametrize(
    "peer, header, client",
    [
        ("127.0.0.1", "203.0.113.5", "203.0.113.5"),  # the portal names its visitor
        ("198.51.100.7", "203.0.113.5", "198.51.100.7"),  # a stranger's header is ignored
        ("127.0.0.1", None, "127.0.0.1"),  # the proxy itself asking
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # a forged left part is skipped
        ("127.0.0.1", "203.0.113.5, 10.1.2.3", "203.0.113.5"),  # balancer, then portal
        ("127.0.0.1", "10.1.2.3, 10.4.5.6", "10.1.2.3"),  # every hop a proxy: the first
        ("::1", "2001:db8::1", "2001:db8::1"),
        ("127.0.0.1", "not-an-address", "not-an-address"),  # still one sender, theirs
        (None, "203.0.113.5", "unknown"),
    ],
)
def test_the_client_is_the_rightmost_hop_no_trusted_proxy_owns(peer, header, client):
    assert client_address(peer, header, TRUSTED) == client


def test_without_trusted_proxies_the_header_means_nothing():
    assert trusted_proxies("") == () and trusted_proxies(None) == ()
    assert client_address("127.0.0.1", "203.0.113.5", ()) == "127.0.0.1"


def test_networks_and_lists_are_read():
    assert [str(n) for n in trusted_proxies(["10.0.0.0/8", " 192.0.2.1 "])] == [
        "10.0.0.0/8",
        "192.0.2.1/32",
    ]
    with pytest.raises(ValueError):
        trusted_proxies("portal.internal")
