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


def test_certificate_is_a_tagged_pdf_a_3a_with_language_and_title(award):
    reader = _reader(award)
    xml = reader.xmp_metadata.stream.get_data().decode()
    assert 'pdfaid:part="3"' in xml and 'pdfaid:conformance="A"' in xml  # level A: the accessible conformance
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])  # tagged: a reading order
    assert root["/Lang"] == award.program.language
    assert reader.metadata.title == f"{award.program.title} — {award.learner.legal_name}"


def test_images_in_the_certificate_carry_alternative_text(award):
    html = certificates.render_html(award)
    assert 'alt="QR code linking to the verification page of this credential"' in html
    assert f'alt="{award.program.title} badge"' in html


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


def _template(award, **fields):
    from awards.models import CertificateTemplate

    return CertificateTemplate.objects.create(name=fields.pop("name", "Faculty design"), **fields)


def _signature_png():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", (300, 80), (0, 0, 0, 0)).save(out, format="PNG")
    return out.getvalue()


def test_a_template_s_signatories_paper_and_heading_are_in_the_pdf(award):
    from django.core.files.base import ContentFile

    template = _template(
        award, institution=award.program.institution, paper_size="letter", orientation="portrait",
        heading="Microcredential Certificate",
    )  # fmt: skip
    signatory = template.signatories.create(name="Dr Grace Hopper", title="University Registrar", order=1)
    signatory.signature.save("hopper.png", ContentFile(_signature_png()), save=True)
    reader = PdfReader(io.BytesIO(certificates.render(award)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Dr Grace Hopper" in text and "University Registrar" in text
    assert "MICROCREDENTIAL CERTIFICATE" in text.upper()
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (612, 792)  # portrait Letter


def test_a_program_s_own_template_wins_over_its_institution_s(award):
    _template(award, name="Institution", institution=award.program.institution, heading="Institution Heading")
    _template(award, name="Program", program=award.program, heading="Program Heading")
    assert certificates.template_for(award.program).name == "Program"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(certificates.render(award))).pages)
    assert "PROGRAM HEADING" in text.upper() and "INSTITUTION HEADING" not in text.upper()


def test_the_registrar_previews_a_template_as_a_pdf(registrar_client, award):
    template = _template(award, institution=award.program.institution)
    response = registrar_client.get(f"/admin/awards/certificatetemplate/{template.pk}/preview.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_a_template_needs_a_program_or_an_institution(award):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        _template(award)


def test_a_french_program_s_certificate_is_in_french(award):
    from catalog.models import Program

    Program.objects.filter(pk=award.program_id).update(language="fr")
    award.refresh_from_db()
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(certificates.render(award))).pages)
    assert "Nous certifions que" in text and "CERTIFICAT DE RÉUSSITE" in text.upper()
