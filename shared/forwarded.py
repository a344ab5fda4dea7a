"""Who is asking: the client's address, behind proxies we trust and only those.

A service that sits behind a proxy (intake behind the portal, the portal behind a load
balancer) sees the proxy's address as its peer; the proxy says the client's in
``X-Forwarded-For``. That header is believed only when the peer is one of the configured
``TRUSTED_PROXIES`` (addresses or networks, comma-separated), and then read from the right:
each hop a trusted proxy appended is skipped, and the first address no trusted proxy owns is
the client. Whatever a client writes at the left of the header itself is never reached, so a
forged header earns no new budget of a rate limit.

    trusted = trusted_proxies("127.0.0.1, 10.0.0.0/8")
    client_address("127.0.0.1", "203.0.113.5", trusted)   → "203.0.113.5"
    client_address("198.51.100.7", "203.0.113.5", trusted) → "198.51.100.7" (not a proxy)
"""

from __future__ import annotations

import ipaddress

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxies(setting) -> tuple[Network, ...]:
    """``"127.0.0.1, ::1, 10.0.0.0/8"`` → the networks; empty → trust no one."""
    parts = setting if isinstance(setting, (list, tuple)) else str(setting or "").split(",")
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in parts if part.strip())


def _trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(peer: str | None, forwarded_for: str | None, trusted) -> str:
    """The client's address: ``peer`` itself unless it is a trusted proxy; then the rightmost
    address of ``forwarded_for`` that is not a trusted proxy."""
    address = peer or "unknown"
    if not trusted or not forwarded_for or not _trusted(address, trusted):
        return address
    for hop in reversed([part.strip() for part in forwarded_for.split(",")]):
        if not hop:
            continue
        address = hop
        if not _trusted(hop, trusted):
            break
    return address
