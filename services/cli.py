"""``satupintu``: the operator's one entry point. Each command lives beside what it acts on;
this only gathers them.

satupintu run | declare | dead-letters | broker-users    the whole system (services.system)
satupintu secrets DIR                                    docker-compose's secrets (services.deployment)
satupintu load-template | create-admin                   the agency registry
satupintu open311-key NAME | sms-gateway-line            intake's keys
satupintu backfill-duplicates                            intake's duplicate keys for old reports
satupintu deliveries [--replay ID …]                     notification's deliveries
satupintu rebuild-reporting                              reporting's figures from its journal
satupintu import FILE [--service S]                      history into every service (services.importing)
"""

from __future__ import annotations

import argparse
import sys

from services import deployment, importing, system
from services.agency_registry import commands as registry_commands
from services.intake import backfill, keys
from services.notification import commands as notification_commands
from services.reporting import rebuild

COMMANDS = (
    system,
    deployment,
    registry_commands,
    keys,
    backfill,
    notification_commands,
    rebuild,
    importing,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="satupintu", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for module in COMMANDS:
        module.register(commands)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
