"""``satupintu deliveries``: notification's deliveries for ops, asked of the running service
over RPC as the operator's broker user, with a timeout."""

from __future__ import annotations

import json


def deliveries(status: str, replay_ids: list[int]) -> int:
    from services.system import operator_amqp_uri
    from shared.rpc import CallerRpcProxy

    with CallerRpcProxy({"AMQP_URI": operator_amqp_uri()}, timeout=30) as cluster:
        if replay_ids:
            print(f"queued again: {cluster.notification.replay_deliveries(replay_ids)}")
            return 0
        for delivery in cluster.notification.list_deliveries(status):
            print(json.dumps(delivery, default=str))
    return 0


def register(commands) -> None:
    sent = commands.add_parser("deliveries", help="list or replay notification deliveries")
    sent.add_argument(
        "--status", default="dead", choices=("queued", "sent", "failed", "dead", "skipped")
    )
    sent.add_argument(
        "--replay",
        nargs="+",
        type=int,
        default=[],
        metavar="ID",
        help="queue these dead deliveries again",
    )
    sent.set_defaults(run=lambda args: deliveries(args.status, args.replay))
