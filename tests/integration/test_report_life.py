"""One report's whole life through the five real services (a container each) on the real
RabbitMQ, on SQLite and on PostgreSQL: returned → supplemented → dispatched → declined with a
suggestion → re-dispatched → follow-up → final → not satisfied → final → not satisfied again
(escalated) → final → satisfied → completed. Staff sign in at the registry (the test key pair)
and act at routing's desk, the reporter acts at intake with the report key; after each step the
reporter's view, the desk, notification's inboxes and reporting's figures must agree."""

import pytest
import requests
from kombu import Connection

from services import SERVICES, service_class
from services.agency_registry.commands import load_template
from shared.messaging import declare, service_queues
from tests.factories import make_report, wait_for
from tests.interface.agency_registry.test_agency_registry import Client, add_staff
from tests.interface.routing.test_routing_desk import Desk

STAFF = [
    ("nasional", "national_admin", "KEMENPANRB"),
    ("kominfo.barru", "coordinator_admin", "KAB-73-11-DISKOMINFO"),
    ("dinkes.barru", "liaison", "KAB-73-11-DINKES"),
    ("rsud.barru", "liaison", "KAB-73-11-RSUD"),
    ("staf.itwil.barru", "liaison", "KAB-73-11-INSPEKTORAT"),
]


@pytest.fixture(params=["sqlite", "postgresql"])
def system(request, container_factory, service_config, registry_db, pg_database, rabbit_config):
    """{service: base URL} and the desk, all five running on their own databases."""
    with Connection(rabbit_config["AMQP_URI"]) as conn:
        declare(
            conn,
            [queue for service in SERVICES for queue in service_queues(service_class(service))],
        )
    urls = {}
    for service in SERVICES:
        overrides = {}
        if request.param == "postgresql":
            overrides["DATABASE_URL"] = pg_database()
            if service == "agency_registry":
                load_template(with_districts=False, database_url=overrides["DATABASE_URL"])
        elif service == "agency_registry":
            overrides["DATABASE_URL"] = registry_db
        if service == "agency_registry":
            add_staff(overrides["DATABASE_URL"], *STAFF)
        config = service_config(service, **overrides)
        container_factory(service_class(service), config).start()
        urls[service] = f"http://{config['WEB_SERVER_ADDRESS']}"
    registry = Client(urls["agency_registry"])
    return urls, Desk(urls["routing"], registry), registry


class Life:
    """One report, followed through every service."""

    def __init__(self, system):
        self.urls, self.desk, self.registry = system
        self.tid = self.key = None
        self.told: list[str] = []  # what the reporter's inbox should hold, in order

    def intake(self, method, path, **kwargs):
        headers = {"X-Report-Key": self.key} if self.key else {}
        url = f"{self.urls['intake']}{path}"
        return requests.request(method, url, headers=headers, timeout=10, **kwargs)

    def reporter_view(self) -> dict:
        response = self.intake("GET", f"/reports/{self.tid}")
        assert response.status_code == 200, response.text
        return response.json()

    def inbox(self) -> list[str]:
        response = requests.get(
            f"{self.urls['notification']}/inbox/{self.tid}",
            headers={"X-Report-Key": self.key},
            timeout=10,
        )
        assert response.status_code == 200, response.text
        return [item["kind"] for item in response.json()["items"]]

    def staff_inbox(self, who) -> list[str]:
        if who not in self.registry.tokens:
            self.registry.login(who)
        response = requests.get(
            f"{self.urls['notification']}/staff/inbox",
            headers={"Authorization": f"Bearer {self.registry.tokens[who]}"},
            timeout=10,
        )
        assert response.status_code == 200, response.text
        return [(i["kind"], i["tracking_id"]) for i in response.json()["items"]]

    def figures(self) -> dict:
        return requests.get(f"{self.urls['reporting']}/stats", timeout=10).json()

    def card(self, agency) -> dict:
        url = f"{self.urls['reporting']}/statistics/agencies/{agency}"
        response = requests.get(url, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def agree(self, status: str, holder: str | None, told: list[str]) -> None:
        """Every service shows the report in ``status`` (held by ``holder``), the reporter has
        been told ``told`` more things."""
        self.told += told
        wait_for(lambda: self.reporter_view()["status"]["code"] == status, timeout=20)
        wait_for(lambda: self.inbox() == self.told, timeout=20)
        if holder is not None:
            detail = wait_for(
                lambda: (d := self.desk.detail(self.tid))["status"]["code"] == status and d,
                timeout=20,
            )
            assert detail["agency_code"] == holder
            assert self.reporter_view()["agency"]["code"] == holder
        # counted once, in its status, at the agency holding it and only there
        wait_for(lambda: self.counted() == ({status: 1}, {holder: {status: 1}}), timeout=20)

    def counted(self) -> tuple[dict, dict]:
        figures = self.figures()
        agencies = {a["agency_code"]: a["counts"] for a in figures["agencies"]}
        return figures["by_status"], agencies

    def followup(self, who, text, final):
        path = f"/desk/dispositions/{self.tid}/followups"
        response = self.desk("POST", path, who, json={"text": text, "final": final})
        assert response.status_code == 201, response.text

    def feedback(self, satisfied: bool, expected_status: str):
        body = {"satisfied": satisfied, "note": "Belum ada perubahan" if not satisfied else "Ok"}
        response = self.intake("POST", f"/reports/{self.tid}/feedback", json=body)
        assert response.status_code == 200, response.text
        assert response.json()["status"]["code"] == expected_status


def test_a_report_lives_from_returned_to_completed_and_every_service_agrees(system):
    life = Life(system)
    incomplete = make_report(category_id="kesehatan", title="Obat kosong di RSUD Barru")
    del incomplete["event_date"]
    answer = life.intake("POST", "/reports", json=incomplete)
    assert answer.status_code == 201, answer.text
    life.tid, life.key = answer.json()["tracking_id"], answer.json()["report_key"]
    life.agree("returned", None, ["report_returned"])
    assert life.desk("GET", f"/desk/dispositions/{life.tid}", "nasional").status_code == 404

    supplemented = life.intake(
        "POST", f"/reports/{life.tid}/supplement", json={"event_date": "2026-11-20"}
    )
    assert supplemented.status_code == 200, supplemented.text
    life.agree("dispatched", "KAB-73-11-DINKES", ["report_received", "report_routed"])
    detail = life.desk.detail(life.tid, "dinkes.barru")
    assert detail["report"]["title"] == "Obat kosong di RSUD Barru"  # intake's text, asked for
    assert ("new_disposition", life.tid) in life.staff_inbox("dinkes.barru")

    decline = {"reason": "Rumah sakit milik RSUD", "suggested_agency_code": "KAB-73-11-RSUD"}
    declined = life.desk(
        "POST", f"/desk/dispositions/{life.tid}/decline", "dinkes.barru", json=decline
    )
    assert declined.status_code == 200, declined.text
    life.agree("dispatched", "KAB-73-11-RSUD", ["report_routed"])
    detail = life.desk.detail(life.tid, "rsud.barru")
    assert [d["suggested_agency_code"] for d in detail["declines"]] == ["KAB-73-11-RSUD"]
    assert ("new_disposition", life.tid) in life.staff_inbox("rsud.barru")
    wait_for(lambda: life.card("KAB-73-11-DINKES")["decline_rate"]["declines"] == 1)

    life.followup("rsud.barru", "Stok obat sedang dicek.", final=False)
    life.agree("in_progress", "KAB-73-11-RSUD", ["followup"])
    life.followup("rsud.barru", "Obat sudah tersedia.", final=True)
    life.agree("awaiting_feedback", "KAB-73-11-RSUD", ["awaiting_feedback"])

    life.feedback(False, "in_progress")
    life.agree("in_progress", "KAB-73-11-RSUD", ["report_reopened"])
    assert life.desk.detail(life.tid)["unsatisfied_rounds"] == 1
    life.followup("rsud.barru", "Sudah kami tambah stoknya.", final=True)
    life.agree("awaiting_feedback", "KAB-73-11-RSUD", ["awaiting_feedback"])

    life.feedback(False, "in_progress")  # the second time: escalated (SPEC §5)
    life.agree("in_progress", "KAB-73-11-RSUD", ["report_reopened"])
    wait_for(lambda: ("escalated", life.tid) in life.staff_inbox("kominfo.barru"))
    # the Inspektorat's staff read it now that it is escalated to them
    escalated = life.desk.detail(life.tid, "staf.itwil.barru")
    assert escalated["access"] == "escalated" and escalated["unsatisfied_rounds"] == 2
    # reporting's rates count reports: this one was reopened, after a final follow-up
    reopen = wait_for(lambda: (r := life.card("KAB-73-11-RSUD")["reopen_rate"])["reopened"] and r)
    assert (reopen["reopened"], reopen["final_followups"]) == (1, 1)

    life.followup("rsud.barru", "Tuntas, obat tersedia setiap hari.", final=True)
    life.agree("awaiting_feedback", "KAB-73-11-RSUD", ["awaiting_feedback"])
    life.feedback(True, "completed")
    life.agree("completed", "KAB-73-11-RSUD", ["report_completed"])
    card = wait_for(lambda: (c := life.card("KAB-73-11-RSUD"))["by_status"]["completed"] == 1 and c)
    assert (card["satisfaction_rate"]["satisfied"], card["satisfaction_rate"]["feedbacks"]) == (
        1,
        1,
    )
    assert card["decline_rate"]["declines"] == 0  # RSUD kept it; Dinkes declined it
    assert life.card("KAB-73-11-DINKES")["decline_rate"]["declines"] == 1
    public = requests.get(f"{life.urls['intake']}/reports/{life.tid}", timeout=10).json()
    assert public["status"]["code"] == "completed"
    assert "Belum ada perubahan" not in str(public)  # the reporter's feedback note stays theirs
