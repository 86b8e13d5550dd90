"""The load mix of ``bench/load.py`` (locust): sponsors list, read and edit; the office
lists, takes transitions and pays out; committee members vote; funders download the
report. The ids it works on come from ``BENCH_LOAD_DATA`` (a JSON file load.py wrote)."""

from __future__ import annotations

import json
import os
import random
from datetime import date

from locust import HttpUser, between, task

DATA = json.loads(open(os.environ["BENCH_LOAD_DATA"], encoding="utf-8").read())  # noqa: SIM115
PASSWORD = DATA["password"]
# Each run takes its own slice of the applications the office sends back for revision.
START = int(os.environ.get("BENCH_POOL_FROM", "0"))
POOL = list(reversed(DATA["submitted"][START : START + 400]))


class ZuwendoUser(HttpUser):
    abstract = True
    wait_time = between(0.05, 0.2)
    username = ""

    def on_start(self) -> None:
        response = self.client.post(
            "/api/auth/token/",
            json={"username": self.username, "password": PASSWORD},
            name="sign in",
        )
        self.client.headers["Authorization"] = f"Token {response.json()['token']}"


class Sponsor(ZuwendoUser):
    weight = 5
    username = DATA["sponsor"]

    def on_start(self) -> None:
        super().on_start()
        created = self.client.post(
            "/api/applications/",
            json={
                "call": DATA["call"],
                "organization": DATA["organization"],
                "title": "Lastprobe",
                "start_date": DATA["start"],
                "end_date": DATA["end"],
                "budget_lines": [
                    {"category": DATA["category"], "description": "Honorar", "amount": "300.00"}
                ],
            },
            name="create draft",
        )
        self.draft = created.json()["id"]

    @task(6)
    def list_own(self) -> None:
        self.client.get("/api/applications/?page_size=25", name="list applications")

    @task(3)
    def read_one(self) -> None:
        self.client.get(f"/api/applications/{DATA['funded']}/", name="read application")

    @task(2)
    def edit_draft(self) -> None:
        self.client.patch(
            f"/api/applications/{self.draft}/",
            json={"title": f"Lastprobe {random.randint(1, 10_000)}"},
            name="edit draft",
        )

    @task(1)
    def request_payout(self) -> None:
        self.client.post(
            f"/api/applications/{DATA['funded']}/payments/",
            json={"amount": "1.00", "note": "Lastprobe", "needed_by": str(date.today())},  # noqa: DTZ011 (the server's day is close enough for a load test),
            name="request payout",
        )

    @task(1)
    def application_pdf(self) -> None:
        self.client.get(f"/api/applications/{DATA['funded']}/pdf/", name="application pdf")


class Office(ZuwendoUser):
    weight = 3
    username = DATA["office"]

    @task(5)
    def list_submitted(self) -> None:
        self.client.get("/api/applications/?state=submitted&page_size=50", name="office list")

    @task(2)
    def send_back(self) -> None:
        if not POOL:
            return
        application = POOL.pop()
        self.client.post(
            f"/api/applications/{application}/transitions/request_revision/",
            json={"comment": "Bitte den Finanzierungsplan ergänzen."},
            name="transition request_revision",
        )

    @task(2)
    def pay_out(self) -> None:
        payments = self.client.get(
            f"/api/applications/{DATA['funded']}/payments/", name="list payments"
        ).json()
        waiting = [p["id"] for p in payments if p["state"] == "requested"]
        if waiting:
            payment = random.choice(waiting)
            for step in ("approve", "mark_paid"):
                with self.client.post(
                    f"/api/payments/{payment}/transitions/{step}/",
                    json={},
                    name=f"payout {step}",
                    catch_response=True,
                ) as response:
                    # Two office users may race for the same payout: the loser's 409 is
                    # the contract's answer, not an error.
                    if response.status_code == 409:
                        response.success()
                        break


class Committee(ZuwendoUser):
    weight = 2
    username = DATA["committee"]

    @task
    def vote(self) -> None:
        self.client.post(
            f"/api/applications/{DATA['review']}/votes/",
            json={"choice": random.choice(["approve", "abstain"]), "comment": ""},
            name="vote",
        )

    @task
    def tally(self) -> None:
        self.client.get(f"/api/applications/{DATA['review']}/tally/", name="tally")


class Funder(ZuwendoUser):
    weight = 1
    username = DATA["funder"]

    @task
    def report(self) -> None:
        self.client.get(f"/api/reports/{DATA['report']}/file/", name="report download")
