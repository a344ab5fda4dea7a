"""The signed-in officer as a desk page sees them: who they are (kept in the session at
sign-in: name, role, agency, its name and time zone, the root of their subtree) and calls to the services
with their token, which never leaves the server side of the session cookie.

    officer = request.officer
    reply = officer.get("routing", "/desk/dispositions", params={"status": "dispatched"})
    reply = officer.post("routing", f"/desk/dispositions/{tid}/followups", json={...},
                         headers={"If-Match": '"7"'})
    officer.unread        # the staff inbox's unread count (None when notification is down)

A 401 from any service (token expired, account deactivated) raises SignedOut, which the
desk's guard turns into the sign-in page with a message.
"""

from __future__ import annotations

import eventlet

from services.portal.upstream import Api, Download, Reply, UpstreamDown

# what sign-in keeps in the session's "desk" entry besides the token and the clocks
IDENTITY = ("username", "full_name", "role", "agency_code", "agency_name", "scope", "timezone")
COORDINATORS = frozenset({"coordinator_admin", "national_admin"})


class SignedOut(Exception):
    """A service no longer accepts the officer's token."""


class Officer:
    def __init__(self, api: Api, desk: dict):
        self._api, self._token = api, desk["token"]
        for name in IDENTITY:
            setattr(self, name, desk.get(name))
        self._unread = eventlet.spawn(self._unread_count)  # alongside the page's own calls

    @property
    def is_coordinator(self) -> bool:
        return self.role in COORDINATORS

    @property
    def read_only(self) -> bool:
        return self.role == "oversight_viewer"

    def get(self, service: str, path: str, params=None) -> Reply:
        return self._checked(self._api.get(service, path, params=params, token=self._token))

    def post(self, service: str, path: str, json=None, files=None, headers=None) -> Reply:
        reply = self._api.post(
            service, path, json=json, files=files, token=self._token, headers=headers
        )
        return self._checked(reply)

    def download(self, service: str, path: str, params=None) -> Download:
        found = self._api.download(service, path, params=params, token=self._token)
        if found.status == 401:
            raise SignedOut()
        return found

    def together(self, *calls):
        return self._api.together(*calls)

    @property
    def unread(self) -> int | None:
        return self._unread.wait()

    def _unread_count(self) -> int | None:
        try:
            reply = self._api.get(
                "notification", "/staff/inbox", params={"limit": 1}, token=self._token
            )
        except UpstreamDown:
            return None
        return reply.body.get("unread") if reply.ok else None

    @staticmethod
    def _checked(reply: Reply) -> Reply:
        if reply.status == 401:
            raise SignedOut()
        return reply
