"""The system's services: the one place that knows them all (``shared/`` knows none).

In the order the launcher starts them: the registry first (routing loads its replica from
it), the portal last (its health asks the others).
"""

from __future__ import annotations

import importlib

SERVICE_CLASSES = {
    "agency_registry": "services.agency_registry.service:AgencyRegistry",
    "routing": "services.routing.service:Routing",
    "intake": "services.intake.service:Intake",
    "notification": "services.notification.service:Notification",
    "reporting": "services.reporting.service:Reporting",
    "portal": "services.portal.service:Portal",
}
SERVICES = tuple(SERVICE_CLASSES)
DATABASE_SERVICES = tuple(service for service in SERVICES if service != "portal")  # no data


def service_class(service: str):
    module, cls = SERVICE_CLASSES[service].split(":")
    return getattr(importlib.import_module(module), cls)
