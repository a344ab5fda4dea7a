"""The officers' desk on the portal, under /desk/: agency staff, coordinators and oversight
bodies work through the services' HTTP APIs with their own staff token (the registry's
POST /auth/token), which lives only in the encrypted, HttpOnly, SameSite session cookie.

How a desk page is written (the whole interface):

    from services.portal.desk.guard import officer_page
    from services.portal.desk.layout import render_desk
    from services.portal.handler import page

    class RegistrationPages:
        @page("GET", "/desk/registrations")
        @officer_page                       # signed in, not idle, else /desk/login
        def desk_registrations(self, request):
            officer = request.officer       # desk.officer.Officer
            reply = officer.get("agency_registry", "/registrations")   # with the token;
            # a 401 from any service sends the officer to /desk/login with a message
            return render_desk(request, "desk/registrations.html", items=reply.body["items"])

- ``request.officer``: ``username``, ``full_name``, ``role``, ``agency_code``,
  ``agency_name``, ``scope`` (the root of their subtree), ``is_coordinator``, ``read_only``,
  ``unread`` (staff inbox), ``get(service, path, params=)``, ``post(service, path, json=,
  files=, headers=)``, ``together(*calls)``.
- Templates extend ``desk/base.html`` (the officer's name, agency, unread count and menu on
  every page; ``{% block desk_nav %}`` adds menu items); text in messages/desk.<lang>.yml.
- Every POST form carries ``<input type="hidden" name="csrf" value="{{ csrf }}">``: the
  portal's handler refuses a POST without it.
- Mix the page class into ``DeskPages`` below; the Portal class mixes DeskPages in.

Pages: signin (/desk/login, /desk/logout), queue (/desk/dispositions and its .csv), report
(/desk/dispositions/<id>, its actions POSTed to /desk/dispositions/<id>/<action> with the
version read as If-Match, and /desk/dispositions/<id>/lampiran/<file id>), inbox
(/desk/inbox). Idle timeout: PORTAL_DESK_IDLE_SECONDS (default 1800).

Coordination and oversight (ADMIN_PAGES, templates extending desk/_admin.html, words in
messages/desk_admin.<lang>.yml, menu in desk/_nav_admin.html): registrations
(/desk/registrations, approve or reject), staff (/desk/staff, add, deactivate, reset a
password; /desk/new-password after a reset), statistics (/desk/statistics, /desk/rankings and
their .csv), and the logs (/desk/audit, /desk/identity-reads).
"""

from services.portal.desk.inbox import InboxPages
from services.portal.desk.new_password import NewPasswordPages
from services.portal.desk.oversight import AuditPages, OversightPages
from services.portal.desk.queue import QueuePages
from services.portal.desk.registrations import RegistrationPages
from services.portal.desk.report import ReportPages
from services.portal.desk.signin import SignInPages
from services.portal.desk.staff import StaffPages
from services.portal.desk.statistics import StatisticsPages

# coordination, administration and oversight: registrations, staff, statistics, the logs
ADMIN_PAGES = (
    NewPasswordPages,
    RegistrationPages,
    StaffPages,
    StatisticsPages,
    OversightPages,
    AuditPages,
)


class DeskPages(SignInPages, QueuePages, ReportPages, InboxPages, *ADMIN_PAGES):
    """Every desk page; needs the Portal's ``api`` and ``desk_settings``."""


__all__ = ["DeskPages"]
