import io

import pytest
from pypdf import PdfReader

from awards import certificates, services, tasks
from awards.credentials import credential_url
from awards.models import Award

pytestmark = pytest.mark.django_db


@pytest.fixture
def award(passed_attempt):
    return Award.objects.get()


def _reader(award):
    with award.certificate.open("rb") as handle:
        return PdfReader(io.BytesIO(handle.read()))


def _links(reader):
    return [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if annotation.get_object().get("/Subtype") == "/Link"
    ]


def test_issued_award_gets_a_certificate_rendered_by_the_task(award):
    assert award.certificate.name.startswith("certificates/") and award.certificate.name.endswith(".pdf")


def test_certificate_text_names_learner_achievement_and_rubric_results(award):
    text = " ".join(page.extract_text() for page in _reader(award).pages)
    assert award.learner.legal_name in text
    assert award.program.title in text and award.program.institution.name in text
    assert "Analysis" in text and "L3" in text


def test_certificate_links_to_the_public_verification_page(award):
    assert credential_url(award) in _links(_reader(award))


def test_signed_credential_is_embedded_byte_for_byte(award):
    attachments = _reader(award).attachments
    assert list(attachments) == [f"credential-{award.pk}.json"]
    assert attachments[f"credential-{award.pk}.json"][0] == award.credential.encode()


def test_certificate_is_pdf_a_3b(award):
    metadata = _reader(award).xmp_metadata
    assert metadata is not None
    xml = metadata.stream.get_data().decode()
    assert 'pdfaid:part="3"' in xml and 'pdfaid:conformance="B"' in xml


def test_fonts_are_embedded(award):
    page = _reader(award).pages[0]
    fonts = page["/Resources"]["/Font"]
    assert all(
        "/FontFile2" in font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for font in fonts.values()
    )


def test_rendering_again_does_nothing_unless_forced(award):
    first = award.certificate.name
    assert tasks.render_certificate.apply(args=[str(award.pk)]).get() == {"award": str(award.pk), "rendered_now": False}
    assert services.certificate_render(award.pk, force=True) is True
    award.refresh_from_db()
    assert award.certificate.name != first


def test_us_letter_size_renders(award):
    reader = PdfReader(io.BytesIO(certificates.render(award, page_size="Letter")))
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (792, 612)  # landscape Letter in points
