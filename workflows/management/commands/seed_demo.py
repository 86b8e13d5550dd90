"""Demo data: two programs, calls, categories, organisations, one user per role, and
applications spread over the lifecycle, funded ones with payouts, receipts and proofs of
use (one closed, one owing money back, one still running). The Koblenz program has two
decision bodies (its Begleitausschuss and a Jugendforum deciding the Jugendfonds):
applications are decided in writing and at a meeting with signed minutes, one with a
declared conflict of interest.
Idempotent: run it as often as you like.

The demo accounts have known passwords, so the command runs only with ``DEBUG=1``
(``make run``); on any other database ``--force`` loads it with a random password per
new account, printed once.

Applications are driven through the real services, so their audit trails and file
numbers are what the office would see.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from core.audit import trail_of
from grants.models import (
    Call,
    CostCategory,
    DecisionBody,
    FinancingType,
    Program,
    ProgramRole,
    User,
)
from grants.roles import forget_roles
from projects import services as project_services
from projects.models import Application, Membership, Organization
from projects.roles import forget_memberships
from workflows import committee, meetings, money
from workflows import services as flow
from workflows.notifications import send_meeting_invitations

DEMO_PASSWORD = "zuwendo-demo"
ADMIN_PASSWORD = "zuwendo-admin"

CATEGORIES = [
    ("personal", "Personalausgaben"),
    ("honorare", "Honorare"),
    ("sachausgaben", "Sachausgaben"),
    ("reisekosten", "Reisekosten"),
    ("oeffentlichkeitsarbeit", "Öffentlichkeitsarbeit"),
    ("sonstiges", "Sonstige Ausgaben"),
]

PROGRAMS = {
    "PFD-KO": {
        "name": "Partnerschaft für Demokratie Koblenz – Aktions- und Initiativfonds",
        "funder_name": "Bundesamt für Familie und zivilgesellschaftliche Aufgaben (BAFzA)",
        "committee_name": "Begleitausschuss",
        "year_budget": Decimal("60000.00"),
        "max_grant": Decimal("5000.00"),
        "financing_type": FinancingType.DEFICIT,
        "funder_contacts": ["foerderung@bafza.example"],
        "forwarding_form": "decision",
        "authority_name": "Stadt Koblenz, Koordinierungs- und Fachstelle",
        "authority_address": "Willi-Hörter-Platz 1\n56068 Koblenz",
        "authority_signatory": "Katrin Becker",
        "treasury_name": "Stadtkasse Koblenz",
        "treasury_iban": "DE71570501200000001234",
    },
    "BIF-HRO": {
        "name": "Bildungsfonds Rostock",
        "funder_name": "Hanse- und Universitätsstadt Rostock, Amt für Schule und Sport",
        "committee_name": "Bündnis für Bildung",
        "year_budget": Decimal("120000.00"),
        "max_grant": Decimal("15000.00"),
        "min_own_share_percent": Decimal("10.00"),
        "financing_type": FinancingType.SHARE,
        "spending_window_days": 61,
        "funder_contacts": ["bildung@rostock.example"],
        "forwarding_form": "contract",
        "proof_of_use_due_months": 3,
        "authority_name": "Hanse- und Universitätsstadt Rostock, Amt für Schule und Sport",
        "authority_address": "Neuer Markt 1\n18055 Rostock",
        "authority_signatory": "Jens Hansen",
        "treasury_name": "Stadtkasse Rostock",
        "treasury_iban": "DE90130500000200012345",
    },
}

# username, first, last, language, (program code, role, voting, chair) or None
PEOPLE = [
    ("buero.koblenz", "Katrin", "Becker", "de", ("PFD-KO", "office", False, False)),
    ("buero.rostock", "Jens", "Hansen", "de", ("BIF-HRO", "office", False, False)),
    ("foerdergeber", "Thomas", "Richter", "de", ("PFD-KO", "funder", False, False)),
    ("traeger.koblenz", "Lena", "Fischer", "de", None),
    ("traeger.rostock", "Noah", "Klein", "en", None),
]

FORUM = "Jugendforum Koblenz"
# username, first, last, language, program, body (None: the default body), voting, chair,
# the member they deputise for
SEATS = [
    ("ausschuss.vorsitz", "Ayşe", "Demir", "de", "PFD-KO", None, True, True, None),
    ("ausschuss.mitglied1", "Peter", "Schmitt", "de", "PFD-KO", None, True, False, None),
    ("ausschuss.mitglied2", "Maria", "Wagner", "en", "PFD-KO", None, True, False, None),
    ("ausschuss.mitglied3", "Lukas", "Weber", "de", "PFD-KO", None, True, False, None),
    ("ausschuss.mitglied4", "Hatice", "Yılmaz", "de", "PFD-KO", None, True, False, None),
    (
        "ausschuss.vertretung",
        "Jonas",
        "Braun",
        "de",
        "PFD-KO",
        None,
        True,
        False,
        "ausschuss.mitglied1",
    ),
    ("ausschuss.beratend", "Sabine", "Koch", "de", "PFD-KO", None, False, False, None),
    ("jugendforum.vorsitz", "Mira", "Schulz", "de", "PFD-KO", FORUM, True, True, None),
    ("jugendforum.mitglied1", "Ben", "Hoffmann", "de", "PFD-KO", FORUM, True, False, None),
    ("jugendforum.mitglied2", "Emma", "Schäfer", "en", "PFD-KO", FORUM, True, False, None),
    ("jugendforum.mitglied3", "Leon", "Zimmermann", "de", "PFD-KO", FORUM, True, False, None),
    ("jugendforum.mitglied4", "Lea", "Krüger", "de", "PFD-KO", FORUM, True, False, None),
]

# name, legal form, municipal, member, address, legal representative, IBAN (the
# published example IBANs, valid check digits, no real account)
ORGANIZATIONS = [
    (
        "Jugendzentrum Koblenz-Lützel e.V.",
        "eingetragener Verein",
        False,
        "traeger.koblenz",
        "Brenderweg 4\n56070 Koblenz",
        "Lena Fischer (Vorsitzende)",
        "DE89370400440532013000",
    ),
    (
        "Kulturverein Rostock-Mitte e.V.",
        "eingetragener Verein",
        False,
        "traeger.rostock",
        "Kröpeliner Straße 20\n18055 Rostock",
        "Noah Klein (Vorstand)",
        "DE02120300000000202051",
    ),
]

# title, call ("PFD-KO", "BIF-HRO", or "youth": the Jugendfonds), organisation index,
# lines [(category, description, amount)], own funds, the steps to take after creation:
# (transition or committee step, actor username, extra kwargs)
FORWARD = ("forward_to_committee", "buero.koblenz", {"comment": "Formal geprüft, vollständig."})
APPLICATIONS = [
    (
        "Demokratiewerkstatt für Jugendliche",
        "PFD-KO",
        0,
        [
            ("honorare", "Workshopleitung, 4 Termine", "1200.00"),
            ("sachausgaben", "Material", "300.00"),
        ],
        "150.00",
        [],
    ),
    (
        "Lesereihe „Stimmen der Vielfalt“",
        "PFD-KO",
        0,
        [
            ("honorare", "Lesungshonorare", "800.00"),
            ("oeffentlichkeitsarbeit", "Plakate", "200.00"),
        ],
        "0.00",
        [("submit", "traeger.koblenz", {})],
    ),
    (
        "Stadtteilfest gegen Rassismus",
        "PFD-KO",
        0,
        [("sachausgaben", "Bühnentechnik", "2500.00"), ("honorare", "Moderation", "600.00")],
        "300.00",
        [
            ("submit", "traeger.koblenz", {}),
            (
                "request_revision",
                "buero.koblenz",
                {"comment": "Bitte die Kosten für die Bühnentechnik mit einem Angebot belegen."},
            ),
        ],
    ),
    (
        "Erinnerungsorte Koblenz – digitale Stadtführung",
        "PFD-KO",
        0,
        [
            ("personal", "Projektkoordination (Minijob)", "2400.00"),
            ("sachausgaben", "App", "1600.00"),
        ],
        "400.00",
        [
            ("submit", "traeger.koblenz", {}),
            FORWARD,
            ("vote", "ausschuss.vorsitz", {"choice": "approve", "comment": "Wichtiges Thema."}),
            ("vote", "ausschuss.mitglied2", {"choice": "abstain", "comment": ""}),
        ],
    ),
    (
        "Antirassismus-Training an Berufsschulen",
        "PFD-KO",
        0,
        [
            ("honorare", "Trainerinnen, 6 Termine", "2400.00"),
            ("sachausgaben", "Material", "300.00"),
        ],
        "300.00",
        [
            ("submit", "traeger.koblenz", {}),
            FORWARD,
            ("vote", "ausschuss.vorsitz", {"choice": "approve", "comment": "Überzeugend."}),
            ("vote", "ausschuss.vertretung", {"choice": "approve", "comment": "In Vertretung."}),
            ("vote", "ausschuss.mitglied2", {"choice": "approve", "comment": ""}),
            ("vote", "ausschuss.mitglied3", {"choice": "reject", "comment": "Zu teuer."}),
            (
                "approve",
                "buero.koblenz",
                {
                    "approved_amount": "2200.00",
                    "conditions": "Evaluation nach dem letzten Termin vorlegen.",
                    "comment": "Empfehlung des Begleitausschusses im Umlaufverfahren.",
                },
            ),
        ],
    ),
    (
        "Podcast „Junge Stimmen“",
        "youth",
        0,
        [("sachausgaben", "Mikrofone und Schnitt", "900.00"), ("honorare", "Coaching", "300.00")],
        "0.00",
        [
            ("submit", "traeger.koblenz", {}),
            FORWARD,
            (
                "conflict",
                "jugendforum.mitglied4",
                {"reason": "Ich arbeite ehrenamtlich im Jugendzentrum Lützel."},
            ),
            (
                "object",
                "jugendforum.mitglied1",
                {"reason": "Wir sollten das mit den Jugendlichen in der Sitzung besprechen."},
            ),
            ("meeting", "buero.koblenz", {}),
            (
                "approve",
                "buero.koblenz",
                {"approved_amount": "1200.00", "comment": "Beschluss des Jugendforums."},
            ),
        ],
    ),
    (
        "Kiezgespräche im Nachbarschaftscafé",
        "PFD-KO",
        0,
        [("sachausgaben", "Bewirtung und Material", "450.00")],
        "0.00",
        [
            ("submit", "traeger.koblenz", {}),
            ("fast_track_approve", "buero.koblenz", {"comment": "Kleinprojekt, Eilverfahren."}),
        ],
    ),
    (
        "Medienkompetenz für Seniorinnen und Senioren",
        "PFD-KO",
        0,
        [("honorare", "Kursleitung", "380.00"), ("sachausgaben", "Leihgeräte", "100.00")],
        "0.00",
        [
            ("submit", "traeger.koblenz", {}),
            ("fast_track_approve", "buero.koblenz", {"conditions": "Teilnehmendenliste führen."}),
            ("accept_agreement", "traeger.koblenz", {}),
        ],
    ),
    (
        "Sommercamp ohne Grenzen",
        "PFD-KO",
        0,
        [("reisekosten", "Busfahrt", "900.00")],
        "0.00",
        [
            ("submit", "traeger.koblenz", {}),
            ("reject", "buero.koblenz", {"comment": "Nicht förderfähig: reine Freizeitmaßnahme."}),
        ],
    ),
    (
        "Theaterprojekt „Wir sind hier“",
        "PFD-KO",
        0,
        [("honorare", "Theaterpädagogik", "1500.00")],
        "0.00",
        [("submit", "traeger.koblenz", {}), ("withdraw", "traeger.koblenz", {})],
    ),
    (
        "Lernwerkstatt MINT im Stadtteil",
        "BIF-HRO",
        1,
        [
            ("personal", "Lernbegleitung", "6000.00"),
            ("sachausgaben", "Experimentierkästen", "1500.00"),
        ],
        "900.00",
        [("submit", "traeger.rostock", {})],
    ),
    ("Ferienleseclub", "BIF-HRO", 1, [("honorare", "Leseförderung", "2000.00")], "250.00", []),
]


MEETING_VOTERS = ("mitglied1", "mitglied2", "mitglied3")


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load it without DEBUG: every new account gets a random password, printed once.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates accounts with published passwords (an administrator "
                "among them). It runs only with DEBUG=1; to load the demo elsewhere, add "
                "--force: every new account then gets a random password, printed once."
            )
        self.random_passwords = not settings.DEBUG
        self.passwords: dict[str, str] = {}
        # The demo's own notification mails would only flood the console.
        locmem = "django.core.mail.backends.locmem.EmailBackend"
        with override_settings(EMAIL_BACKEND=locmem), transaction.atomic():
            self._seed()
        self._print_logins()

    def _seed(self):
        programs = {code: self._program(code, fields) for code, fields in PROGRAMS.items()}
        forum, _ = DecisionBody.objects.get_or_create(
            program=programs["PFD-KO"], name=FORUM, defaults={"kind": DecisionBody.Kind.YOUTH_FORUM}
        )
        calls = {code: self._call(program, "Förderrunde") for code, program in programs.items()}
        calls["youth"] = self._call(programs["PFD-KO"], "Jugendfonds", body=forum)
        users = self._people(programs)
        organizations = self._organizations(users)
        for title, code, org_index, lines, own, steps in APPLICATIONS:
            self._application(
                title, calls[code], organizations[org_index], lines, own, steps, users
            )
        self._money(programs["PFD-KO"], organizations[0], users)
        self._attachments(calls["PFD-KO"], users)

    def _attachments(self, call, users):
        """The call asks for the statutes and the exemption notice (optional in the demo,
        so its steps above need none); the first applications carry a one-page statute
        and a receipt scan, marked clean under the demo's explicit ATTACHMENT_SCAN=off
        (no virus scanner runs here). The same bytes each time: loading twice adds
        nothing."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from grants.models import AnnexType
        from workflows import attachments

        statute, _ = AnnexType.objects.get_or_create(
            call=call,
            name="Satzung",
            defaults={"description": "Die gültige Satzung des Trägers.", "required": False},
        )
        AnnexType.objects.get_or_create(
            call=call,
            name="Freistellungsbescheid",
            defaults={
                "description": "Der aktuelle Freistellungsbescheid des Finanzamts.",
                "required": False,
                "position": 1,
            },
        )
        sponsor = users["traeger.koblenz"]
        with override_settings(ATTACHMENT_SCAN="off"):
            for application in Application.objects.filter(call=call).order_by("pk")[:3]:
                attachment, _new = attachments.attachment_upload(
                    application=application,
                    actor=sponsor,
                    upload=SimpleUploadedFile("Satzung.pdf", _statute_pdf()),
                    annex_type=statute,
                )
                attachments.attachment_scan(attachment.pk)
            funded = (
                Application.objects.filter(program=call.program, state="funded")
                .exclude(expenditures=None)
                .order_by("pk")
                .first()
            )
            line = funded.expenditures.order_by("pk").first() if funded else None
            if line is not None:
                attachment, _new = attachments.attachment_upload(
                    application=funded,
                    actor=sponsor,
                    upload=SimpleUploadedFile("Beleg-Baumarkt.png", _receipt_png()),
                    owner="receipt",
                    owner_id=line.pk,
                )
                attachments.attachment_scan(attachment.pk)

    def _program(self, code, fields):
        program, _ = Program.objects.update_or_create(code=code, defaults=fields)
        for position, (slug, name) in enumerate(CATEGORIES):
            CostCategory.objects.update_or_create(
                program=program, code=slug, defaults={"name": name, "position": position}
            )
        return program

    def _call(self, program, name, body=None):
        # Opened at midnight 30 days ago, closing at 23:59 in 45 days; the committee
        # votes until 18:00 three weeks later (the times an office would choose).
        opens, closes = _at(-30, 0, 0), _at(45, 23, 59)
        call, _ = Call.objects.get_or_create(
            program=program,
            title=f"{name} {closes.year}",
            defaults={
                "opens_at": opens,
                "closes_at": closes,
                "vote_deadline": _at(66, 18, 0),
                "budget": program.year_budget if body is None else Decimal("5000.00"),
                "funding_year": closes.year,
                "body": body,
            },
        )
        if not call.is_open:  # an old demo database: keep the demo call open
            call.opens_at, call.closes_at, call.vote_deadline = opens, closes, _at(66, 18, 0)
            call.save()
        return call

    def _user(self, username, password, **fields):
        fields.setdefault("verified_email", fields.get("email", "").lower())
        user, created = User.objects.get_or_create(username=username, defaults=fields)
        if created:
            if self.random_passwords:
                password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save()
            self.passwords[username] = password
        elif not self.random_passwords:
            self.passwords[username] = password
        return user

    def _people(self, programs):
        users = {
            "admin": self._user(
                "admin",
                ADMIN_PASSWORD,
                is_staff=True,
                is_superuser=True,
                email="admin@zuwendo.example",
                first_name="Ada",
                last_name="Admin",
            )
        }
        for username, first, last, language, role in PEOPLE:
            user = self._user(
                username,
                DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                language=language,
                email=f"{username}@zuwendo.example",
                is_staff=bool(role and role[1] in ("office", "committee")),
            )
            if role:
                code, kind, voting, chair = role
                ProgramRole.objects.get_or_create(
                    program=programs[code],
                    user=user,
                    role=kind,
                    defaults={"voting": voting, "chair": chair},
                )
            forget_roles(user)
            users[username] = user
        for username, first, last, language, code, body, voting, chair, deputy_for in SEATS:
            user = self._user(
                username,
                DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                language=language,
                email=f"{username}@zuwendo.example",
                is_staff=True,
            )
            program = programs[code]
            seat_body = program.bodies.get(name=body) if body else program.default_body()
            principal = (
                ProgramRole.objects.get(body=seat_body, user=users[deputy_for])
                if deputy_for
                else None
            )
            ProgramRole.objects.get_or_create(
                program=program,
                user=user,
                role=ProgramRole.Kind.COMMITTEE,
                body=seat_body,
                defaults={"voting": voting, "chair": chair, "deputy_for": principal},
            )
            forget_roles(user)
            users[username] = user
        return users

    def _organizations(self, users):
        organizations = []
        for name, legal_form, municipal, member, address, representative, iban in ORGANIZATIONS:
            organization, _ = Organization.objects.get_or_create(
                name=name,
                defaults={
                    "legal_form": legal_form,
                    "is_municipal": municipal,
                    "email": f"{member}@zuwendo.example",
                    "address": address,
                    "legal_representative": representative,
                    "iban": iban,
                    "account_holder": name,
                },
            )
            Membership.objects.get_or_create(organization=organization, user=users[member])
            forget_memberships(users[member])
            organizations.append(organization)
        return organizations

    def _application(self, title, call, organization, lines, own, steps, users):
        if Application.objects.filter(title=title, organization=organization).exists():
            return
        categories = {c.code: c for c in CostCategory.objects.filter(program=call.program)}
        year = call.funding_year
        sponsor = organization.members.order_by("pk").first()
        application = project_services.application_create(
            actor=sponsor,
            organization=organization,
            call=call,
            title=title,
            summary=f"{title} – ein Projekt von {organization.name}",
            field_of_action="Demokratieförderung" if call.program.code == "PFD-KO" else "Bildung",
            target_group="Jugendliche" if "Jugend" in title else "Stadtgesellschaft",
            start_date=date(year, 3, 1),
            end_date=date(year, 10, 31),
            expected_participants=40,
            own_funds=Decimal(own),
            budget_lines=[
                project_services.BudgetLineInput(categories[code], text, Decimal(amount))
                for code, text, amount in lines
            ],
        )
        for name, username, kwargs in steps:
            actor = users[username]
            if name == "vote":
                committee.vote_cast(application=application, actor=actor, **kwargs)
            elif name == "conflict":
                committee.conflict_declare(application=application, actor=actor, **kwargs)
            elif name == "object":
                committee.objection_raise(application=application, actor=actor, **kwargs)
            elif name == "meeting":
                self._meeting(application, actor, users)
            else:
                payload = {"comment": "", **kwargs}
                flow.application_transition(
                    application=application, actor=actor, name=name, payload=payload
                )

    def _money(self, program, organization, users):
        """This year's small-projects round, already over: one project closed without a
        reclaim, one owing money back with interest running, one still spending."""
        today = timezone.localdate()
        title = f"Kleinprojekte {today.year}"
        if Call.objects.filter(program=program, title=title).exists():
            return
        now = timezone.now()
        call = Call.objects.create(
            program=program,
            title=title,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=30),
            budget=Decimal("5000.00"),
            funding_year=today.year,
        )
        office, sponsor = users["buero.koblenz"], users["traeger.koblenz"]
        year = today.year
        for name, amount, first, spent, end, field, group in (
            (
                "Fahrradwerkstatt für Geflüchtete",
                "400.00",
                "400.00",
                "400.00",
                date(year, 10, 31),
                "Vielfaltgestaltung",
                "Geflüchtete",
            ),
            (
                "Nachbarschaftschor Lützel",
                "450.00",
                "450.00",
                "300.00",
                date(year, 9, 30),
                "Demokratieförderung",
                "Stadtgesellschaft",
            ),
            (
                "Stadtteilfest „Lützel hält zusammen“",
                "500.00",
                "500.00",
                "470.00",
                date(year, 11, 15),
                "Demokratieförderung",
                "Stadtgesellschaft",
            ),
            (
                "Erzählcafé der Generationen",
                "480.00",
                "200.00",
                "180.00",
                date(year, 12, 18),
                "Vielfaltgestaltung",
                "Seniorinnen und Senioren",
            ),
        ):
            application = project_services.application_create(
                actor=sponsor,
                organization=organization,
                call=call,
                title=name,
                summary=f"{name} – ein Kleinprojekt von {organization.name}",
                field_of_action=field,
                target_group=group,
                start_date=date(year, 3, 1),
                end_date=end,
                expected_participants=25,
                budget_lines=[
                    project_services.BudgetLineInput(
                        CostCategory.objects.get(program=program, code="sachausgaben"),
                        "Material und Raummiete",
                        Decimal(amount),
                    )
                ],
            )
            for step, actor in (
                ("submit", sponsor),
                ("fast_track_approve", office),
                ("accept_agreement", sponsor),
            ):
                flow.application_transition(
                    application=application, actor=actor, name=step, payload={}
                )
            # The demo's history took place in March: the file is dated as it would be.
            _dated(application, submitted_at=_moment(year, 3, 2), decided_at=_moment(year, 3, 5))
            payout = money.payout_request(
                application=application,
                actor=sponsor,
                amount=Decimal(first),
                needed_by=timezone.localdate(),
            )
            money.payment_approve(payment=payout, actor=office)
            _dated(
                payout,
                requested_at=_moment(year, 3, 12),
                decided_at=_moment(year, 3, 13),
                needed_by=date(year, 4, 20),  # the day of its receipt
            )
            money.payment_mark_paid(payment=payout, actor=office, paid_on=date(year, 3, 16))
            money.expenditure_create(
                application=application,
                actor=sponsor,
                date=date(year, 4, 20),
                payee="Baumarkt Koblenz",
                purpose="Material",
                category=CostCategory.objects.get(program=program, code="sachausgaben"),
                amount=Decimal(spent),
                receipt_number="2026-0417",
            )
            if end >= today:  # still running: a tranche to pay, another to approve
                tranches = ("150.00", "130.00") if Decimal(first) < Decimal(amount) else ()
                for tranche in tranches:
                    later = money.payout_request(
                        application=application,
                        actor=sponsor,
                        amount=Decimal(tranche),
                        needed_by=min(today + timedelta(days=7), end),
                    )
                    if tranche == "150.00":
                        money.payment_approve(payment=later, actor=office)
                continue
            money.proof_of_use_save(
                application=application,
                actor=sponsor,
                narrative="Das Projekt fand wie geplant statt; Fotos und Liste liegen vor.",
                participants=23,
                certified=True,
            )
            flow.application_transition(
                application=application, actor=sponsor, name="submit_proof_of_use", payload={}
            )
            if end > today - timedelta(days=30):
                continue  # ended lately: its proof of use waits for the office's check
            money.check_note_save(
                application=application,
                actor=office,
                extent="full",
                result="Belegliste vollständig geprüft; alle Ausgaben zuwendungsfähig.",
            )
            flow.application_transition(
                application=application, actor=office, name="accept_proof", payload={}
            )
        call.opens_at, call.closes_at = _at(-300, 0, 0), _at(-240, 23, 59)
        call.save(update_fields=["opens_at", "closes_at"])

    def _meeting(self, application, keeper, users):
        """The Jugendforum met two days ago: four of five present (the fifth declared a
        conflict), three approve, one abstains; keeper and chair signed the minutes."""
        body = application.call.body
        starts = _at(-2, 18, 0)
        meeting = meetings.meeting_create(
            actor=keeper,
            body=body,
            starts_at=starts,
            place="Jugendzentrum Lützel, Großer Saal",
            agenda=[application],
            notes="Sitzung des Jugendforums zum Jugendfonds.",
        )
        meetings.meeting_invite(meeting=meeting, actor=keeper)
        # The invitation went out two days before (its task runs after the seed's
        # transaction): send it now, so the delivery log records every member invited
        # (§ 90 Abs. 1 S. 1 VwVfG) before the votes are counted.
        invitation = (
            trail_of(meeting).filter(namespace="meeting", action="invite").order_by("-pk").first()
        )
        send_meeting_invitations(audit_entry_id=invitation.pk)
        present = [users[f"jugendforum.{name}"] for name in ("vorsitz", *MEETING_VOTERS)]
        meetings.meeting_attendance(meeting=meeting, actor=keeper, present=present)
        for member, choice in zip(
            present, ["approve", "approve", "approve", "abstain"], strict=True
        ):
            meetings.meeting_vote_record(
                meeting=meeting, actor=keeper, application=application, member=member, choice=choice
            )
        meetings.meeting_sign(meeting=meeting, actor=keeper, signature="keeper")
        meetings.meeting_sign(meeting=meeting, actor=users["jugendforum.vorsitz"])
        # Dated as it happened: invited nine days before, attendance at the start,
        # the minutes signed the next morning.
        _dated(
            meeting,
            invited_at=starts - timedelta(days=9),
            attendance_recorded_at=starts,
            keeper_signed_at=starts + timedelta(hours=15),
            chair_signed_at=starts + timedelta(hours=16),
        )

    def _print_logins(self):
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Logins (username / password):"))
        unchanged = "(unchanged)"
        admin_password = self.passwords.get("admin", unchanged)
        self.stdout.write(f"  {'admin':<22} {admin_password:<18} administrator (admin site)")
        for username, _first, _last, _language, role in PEOPLE:
            what = f"{role[1]} {role[0]}" if role else "sponsor"
            self.stdout.write(
                f"  {username:<22} {self.passwords.get(username, unchanged):<18} {what}"
            )
        for username, _first, _last, _language, code, body, voting, chair, deputy in SEATS:
            what = f"{body or 'Begleitausschuss'} {code}: "
            what += "chair" if chair else ("voting" if voting else "advisory")
            if deputy:
                what += f", deputy of {deputy}"
            self.stdout.write(
                f"  {username:<22} {self.passwords.get(username, unchanged):<18} {what}"
            )
        if self.random_passwords and self.passwords:
            self.stdout.write("These passwords are shown once; nothing stores them in clear.")


def _at(days: int, hour: int, minute: int) -> datetime:
    """``days`` from today at that local time."""
    day = timezone.localdate() + timedelta(days=days)
    return datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=timezone.get_default_timezone()
    )


def _moment(year: int, month: int, day: int) -> datetime:
    """10 o'clock on that day, Berlin time."""
    return datetime(year, month, day, 10, tzinfo=timezone.get_default_timezone())


def _dated(obj, **moments: datetime) -> None:
    """Dates a step of the demo's history on the day it took place (the services stamp
    it with today): only time stamps change, through the queryset, as a migration would."""
    type(obj).objects.filter(pk=obj.pk).update(**moments)
    obj.refresh_from_db()


def _statute_pdf() -> bytes:
    """A one-page statute, the same bytes every time (reportlab's invariant mode)."""
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    page.setTitle("Satzung")
    page.drawString(72, 760, "Satzung des Jugendzentrums Koblenz-Lützel e.V.")
    page.drawString(72, 740, "§ 1 Name, Sitz: Der Verein führt den Namen … (Demo)")
    page.save()
    return buffer.getvalue()


def _receipt_png() -> bytes:
    """A small receipt scan: white with a grey line of text."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (320, 180), "white")
    ImageDraw.Draw(image).text((12, 12), "Baumarkt Koblenz  Material  400,00 EUR", fill="gray")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=False)
    return buffer.getvalue()
