"""The admin's program and call pages show the office its own programs only."""

from django.test import Client


def test_office_sees_only_its_programs_and_calls(world):
    world.office.is_staff = True
    world.office.save()
    browser = Client()
    browser.force_login(world.office)

    programs = browser.get("/admin/grants/program/").content.decode()
    calls = browser.get("/admin/grants/call/").content.decode()

    assert world.program.name in programs
    other = world.other_office.program_roles.get().program
    assert other.name not in programs
    assert world.call.title in calls


def test_admin_sees_every_program(world):
    browser = Client()
    browser.force_login(world.admin)

    page = browser.get("/admin/grants/program/").content.decode()

    assert world.program.name in page
    assert world.other_office.program_roles.get().program.name in page
