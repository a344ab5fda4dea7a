"""Real RabbitMQ (a fresh vhost per test, from nameko's pytest plugin) and real databases
(SQLite files in tmp_path; PostgreSQL databases created per test). Nothing is faked."""

import eventlet

eventlet.monkey_patch()  # noqa: E402 — before anything opens a socket

import socket  # noqa: E402
import uuid  # noqa: E402

import pytest  # noqa: E402

from shared.config import load_config  # noqa: E402

# helper modules whose asserts should read like the tests' own (imported by test modules)
pytest.register_assert_rewrite("tests.interface.notification.notification_stage")

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
CALLER_ROLES = (
    "intake",
    "routing",
    "agency_registry",
    "notification",
    "reporting",
    "portal",
    "operator",
)


_ISSUED_PORTS: set[int] = set()


def free_port() -> int:
    """A loopback port nothing listens on now and that this test run has not handed out before
    (the kernel may offer a just-freed port again; two services of one test must not share it).
    Another process may still take it before the service binds: the window is the service's
    start-up, and a clash shows as a failed start, never as a wrong answer."""
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if port not in _ISSUED_PORTS:
            _ISSUED_PORTS.add(port)
            return port


@pytest.fixture(scope="session")
def staff_keys(tmp_path_factory):
    """(private, public) key files for staff tokens, made once: the registry signs, others verify."""
    from shared.staff_keys import generate_key_pair

    folder = tmp_path_factory.mktemp("keys")
    private, public = folder / "staff-token.key", folder / "staff-token.pub"
    generate_key_pair(private, public)
    return private, public


@pytest.fixture
def service_config(rabbit_config, tmp_path, staff_keys):
    """service_config("intake", **overrides) → its config.yml on this test's vhost, own DB file, free port."""

    def make(service: str, **overrides) -> dict:
        config = load_config(
            service,
            AMQP_URI=rabbit_config["AMQP_URI"],
            DATABASE_URL=f"sqlite:///{tmp_path}/{service}.db",
            WEB_SERVER_ADDRESS=f"127.0.0.1:{free_port()}",
            EVENT_HANDLER_BACKOFF=0.05,
            OUTBOX_RELAY_INTERVAL=0.2,
            STAFF_TOKEN_PRIVATE_KEY_FILE=str(staff_keys[0]),
            STAFF_TOKEN_PUBLIC_KEY_FILE=str(staff_keys[1]),
            # the tests' services all connect as the fixtures' one user; the caller checks
            # themselves are proven with a user per service in tests/interface/shared/test_rpc_callers.py
            RPC_CALLERS={role: [rabbit_config["username"]] for role in CALLER_ROLES},
        )
        config.update(overrides)
        return config

    return make


@pytest.fixture
def pg_database():
    """pg_database() → the URL of a fresh PostgreSQL database; all dropped after the test."""
    import psycopg2

    admin = psycopg2.connect(PG_ADMIN_URL)
    admin.autocommit = True
    created = []

    def create() -> str:
        name = f"satupintu_test_{uuid.uuid4().hex[:12]}"
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        return f"postgresql://postgres@127.0.0.1:5432/{name}"

    yield create
    with admin.cursor() as cursor:
        for name in created:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(scope="session")
def template_db(tmp_path_factory):
    """A registry database with the national template (no kecamatan units), built once."""
    from services.agency_registry.commands import load_template

    path = tmp_path_factory.mktemp("template") / "agency_registry.db"
    load_template(with_districts=False, database_url=f"sqlite:///{path}")
    return path


@pytest.fixture
def registry_db(template_db, tmp_path):
    """This test's own copy of the template database; its URL."""
    import shutil

    copy = tmp_path / "agency_registry.db"
    shutil.copy(template_db, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def broker_user(request, rabbit_config):
    """broker_user("notification") → (name, AMQP URI) of a new broker user on this test's vhost
    with that role's permissions from deploy/rabbitmq/permissions.yml (``role=None``: every
    permission, as anyone holding the old shared credentials had); deleted after the test."""
    import secrets

    from shared import broker

    management = broker.Management(request.config.getoption("RABBIT_API_URI"))
    vhost = rabbit_config["vhost"]
    spec = broker.load_permissions()["users"]
    made = []

    def make(role: str | None, name: str | None = None) -> tuple[str, str]:
        user = f"{vhost}-{name or role}"
        password = secrets.token_urlsafe(24)
        management.put_user(user, password)
        made.append(user)
        if role is None:
            management.put_permissions(
                vhost, user, {"configure": ".*", "write": ".*", "read": ".*"}
            )
        else:
            permissions, topics = broker.permissions_for(spec[role], user)
            management.put_permissions(vhost, user, permissions)
            management.put_topic_permissions(vhost, user, topics)
        return user, broker.service_uri(rabbit_config["AMQP_URI"], user, password)

    yield make
    for user in made:
        management.delete_user(user)
