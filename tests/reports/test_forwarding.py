"""#21: the grant document follows the program's form of forwarding (VV Nr. 12 zu § 44
BHO), names the issuing authority, the recipient's legal representative and account,
and is laid out as a DIN 5008 letter: read back with pypdf, positions included."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from reports import selectors
from reports.pdf import agreement
from tests.reports.pdfs import reader, text

D = Decimal


@pytest.fixture
def approved(world, application_in):
    program = world.program
    program.authority_name = "Stadt Koblenz, Koordinierungsstelle"
    program.authority_address = "Willi-Hörter-Platz 1\n56068 Koblenz"
    program.authority_signatory = "Katrin Becker"
    program.save()
    organization = world.org_a
    organization.address = "Brenderweg 4\n56070 Koblenz"
    organization.legal_representative = "Lena Fischer"
    organization.iban = "DE89370400440532013000"
    organization.bic = "COBADEFFXXX"
    organization.save()
    return application_in("approved", end_date=date(world.call.funding_year, 6, 30))


def _render(application, language="de") -> bytes:
    with translation.override(language):
        return agreement.render(selectors.agreement_sheet(application, 1))


def test_a_decision_has_the_legal_remedy_naming_the_authority(approved):
    content = text(_render(approved))
    assert "Zuwendungsbescheid" in content
    assert "Widerspruch" in content
    assert "Stadt Koblenz, Koordinierungsstelle, Willi-Hörter-Platz 1, 56068 Koblenz" in content
    assert "§§ 48, 49" in content
    assert "DE89 3704 0044 0532 0130 00" in content
    assert "COBADEFFXXX" in content
    assert "vertreten durch Lena Fischer" in content
    assert "§ 91 BHO" not in content


def test_a_contract_has_both_signatures_and_no_legal_remedy(approved):
    approved.program.forwarding_form = "contract"
    approved.program.save()
    content = text(_render(approved))
    assert "Weiterleitungsvertrag" in content
    assert "Widerspruch" not in content
    assert "§ 91 BHO" in content and "Bundesrechnungshof" in content
    assert "§§ 187 bis 193 BGB" in content
    assert "Bestandteil dieses Vertrags" in content
    assert "Für den Zuwendungsgeber: Katrin Becker" in content
    assert "Für den Zuwendungsempfänger: Lena Fischer" in content
    english = text(_render(approved, "en"))
    assert "Forwarding contract" in english and "objection" not in english.lower()


def _positions(pdf: bytes) -> dict[str, list[tuple[float, float]]]:
    """Each text run on page 1 → where it stands: (x, y from the top) in mm."""
    found: dict[str, list[tuple[float, float]]] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():
            x, y = cm[4] + tm[4], cm[5] + tm[5]
            found.setdefault(text.strip(), []).append((x / mm, (A4[1] - y) / mm))

    reader(pdf).pages[0].extract_text(visitor_text=visit)
    return found


def _in_window(places, top, bottom):
    return [(x, y) for x, y in places if 20 <= x <= 30 and top <= y <= bottom]


def test_the_first_page_is_a_din_5008_letter(approved):
    """Form B: the address window 20 mm from the left and 45 mm from the top, 85 × 45 mm
    (the recipient's lines below the 17.7 mm sender zone); the information block from
    125 mm; the text starting below 98 mm."""
    positions = _positions(_render(approved))
    [(_x, name_y)] = _in_window(positions["Jugendzentrum A e.V."], 45 + 17.7, 90)
    [(_x, town_y)] = _in_window(positions["56070 Koblenz"], 45 + 17.7, 90)
    assert town_y > name_y
    sender = next(
        key for key in positions if key.startswith("Stadt Koblenz, Koordinierungsstelle ·")
    )
    assert _in_window(positions[sender], 45, 45 + 17.7)
    [(label_x, label_y)] = positions["Aktenzeichen"]
    assert 124 <= label_x <= 126 and 49 <= label_y <= 52
    [(_x, title_y)] = positions["Zuwendungsbescheid (Weiterleitungsbescheid)"]
    assert title_y >= 98


def test_the_approved_plan_is_the_documents_plan(world, application_in):
    """Approved 300 of 400 requested (deficit): the approved costs are 300, the plan's
    lines scaled to them."""
    world.program.fast_track_ceiling = D("5000.00")
    world.program.save()
    from workflows import services as flow

    submitted = application_in("submitted")
    approved = flow.application_transition(
        application=submitted,
        actor=world.office,
        name="fast_track_approve",
        payload={"approved_amount": "300.00"},
    )
    assert approved.approved_costs == D("300.00")
    content = text(_render(approved))
    assert "Zuwendungsfähige Ausgaben (bewilligter Plan) 300,00 €" in content
    assert "Gesamtkosten 300,00 €" in content


def test_a_sponsor_who_deducts_input_tax_gets_a_net_plan(approved):
    approved.organization.deducts_input_tax = True
    approved.organization.save()
    content = text(_render(approved))
    assert "netto: Der Zuwendungsempfänger ist vorsteuerabzugsberechtigt" in content
