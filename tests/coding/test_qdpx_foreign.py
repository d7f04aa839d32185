"""Projects from other tools: PDFs with text representations, media RealReview skips, and what it reports."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.coding.conftest import make_zip

from realreview.coding import QdaCase, QdaSet, count, read_qdpx

U = "11111111-1111-4111-8111-111111111111"
PDF = "55555555-5555-4555-8555-555555555502"
REP = "55555555-5555-4555-8555-555555555503"
PICTURE = "55555555-5555-4555-8555-555555555505"
REP_TEXT = "Intro. The trust mechanism works.\r\n"

QDE = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="From ATLAS" origin="ATLAS.ti 23">
  <Users><User guid="{U}" id="alice@example.org"/></Users>
  <CodeBook><Codes>
    <Code guid="22222222-2222-4222-8222-222222222201" name="Mechanisms" isCodable="false" color="#FF0000">
      <Code guid="22222222-2222-4222-8222-222222222202" name="Trust" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="33333333-3333-4333-8333-333333333301" name="Sample size" typeOfVariable="Integer"/>
    <Variable guid="33333333-3333-4333-8333-333333333302" name="Effect" typeOfVariable="Float"/>
  </Variables>
  <Cases>
    <Case guid="44444444-4444-4444-8444-444444444401" name="Study A">
      <CodeRef targetGUID="22222222-2222-4222-8222-222222222202"/>
      <VariableValue><VariableRef targetGUID="33333333-3333-4333-8333-333333333301"/>
        <IntegerValue>120</IntegerValue></VariableValue>
      <VariableValue><VariableRef targetGUID="33333333-3333-4333-8333-333333333302"/>
        <FloatValue>0.25</FloatValue></VariableValue>
      <VariableValue><VariableRef targetGUID="33333333-3333-4333-8333-333333333302"/></VariableValue>
      <SourceRef targetGUID="{PDF}"/>
      <SourceRef targetGUID="{PICTURE}"/>
      <SelectionRef targetGUID="66666666-6666-4666-8666-666666666602"/>
    </Case>
  </Cases>
  <Sources>
    <PDFSource guid="{PDF}" name="Study A full text" path="internal://{PDF}.pdf" creatingUser="{U}"
        creationDateTime="2025-01-01T10:00:00Z">
      <PDFSelection guid="66666666-6666-4666-8666-666666666609" page="1" firstX="1" firstY="2" secondX="3" secondY="4">
        <Coding guid="88888888-8888-4888-8888-888888888809">
          <CodeRef targetGUID="22222222-2222-4222-8222-222222222202"/></Coding>
      </PDFSelection>
      <Representation guid="{REP}" name="Study A full text" plainTextPath="internal://{REP}.txt">
        <Description>Extracted text</Description>
        <PlainTextSelection guid="66666666-6666-4666-8666-666666666602" startPosition="11" endPosition="26">
          <Coding guid="88888888-8888-4888-8888-888888888802">
            <CodeRef targetGUID="22222222-2222-4222-8222-222222222202"/>
            <NoteRef targetGUID="77777777-7777-4777-8777-777777777701"/>
          </Coding>
        </PlainTextSelection>
        <NoteRef targetGUID="77777777-7777-4777-8777-777777777702"/>
      </Representation>
      <Coding guid="88888888-8888-4888-8888-888888888803">
          <CodeRef targetGUID="22222222-2222-4222-8222-222222222201"/></Coding>
      <NoteRef targetGUID="77777777-7777-4777-8777-777777777701"/>
      <VariableValue><VariableRef targetGUID="33333333-3333-4333-8333-333333333301"/>
        <IntegerValue>120</IntegerValue></VariableValue>
    </PDFSource>
    <PictureSource guid="{PICTURE}" name="Photo" path="internal://photo.jpg"/>
    <AudioSource guid="55555555-5555-4555-8555-555555555506" name="Interview audio"/>
    <PDFSource guid="55555555-5555-4555-8555-555555555507" name="Scan without text"/>
    <PDFSource guid="55555555-5555-4555-8555-555555555508" name="Missing PDF" path="internal://gone.pdf">
      <Representation guid="55555555-5555-4555-8555-555555555509" name="Missing PDF">
        <PlainTextContent>Only the text came.</PlainTextContent>
      </Representation>
    </PDFSource>
    <TextSource guid="55555555-5555-4555-8555-555555555510" name="Docx only" richTextPath="internal://d.docx"/>
  </Sources>
  <Notes>
    <Note guid="77777777-7777-4777-8777-777777777701" name="Memo 1" plainTextPath="internal://memo1.txt"/>
    <Note guid="77777777-7777-4777-8777-777777777702"><PlainTextContent>On the text.</PlainTextContent></Note>
  </Notes>
  <Links>
    <Link guid="aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaa1" originGUID="{U}" targetGUID="{PDF}"/>
  </Links>
  <Sets>
    <Set guid="99999999-9999-4999-8999-999999999901" name="CMO set">
      <MemberCode targetGUID="22222222-2222-4222-8222-222222222202"/>
      <MemberSource targetGUID="{PDF}"/>
      <MemberSource targetGUID="{PICTURE}"/>
      <MemberNote targetGUID="77777777-7777-4777-8777-777777777701"/>
    </Set>
  </Sets>
  <Description>Exported project</Description>
</Project>
"""
PDF_BYTES = b"%PDF-1.4 pretend\n"
FILES = {
    f"sources/{PDF}.pdf": PDF_BYTES,
    f"sources/{REP}.txt": REP_TEXT.encode("utf-8"),
    "sources/memo1.txt": b"A memo\r\nfrom a file.",
}


def _project():  # type: ignore[no-untyped-def]
    return read_qdpx(make_zip({"project.qde": QDE.encode(), **FILES}), name="atlas.qdpx")


def test_pdf_sources_take_their_text_and_selections_from_the_representation() -> None:
    project = _project()
    pdf, text_only = project.sources
    assert (pdf.guid, pdf.kind, pdf.pdf, pdf.text) == (PDF, "pdf", PDF_BYTES, REP_TEXT)
    assert pdf.description == "Extracted text"
    assert pdf.created == datetime(2025, 1, 1, 10, tzinfo=UTC) and pdf.creating_user == U
    (selection,) = pdf.selections
    assert pdf.text[selection.start : selection.end] == "trust mechanism"
    assert [c.code_guid for c in selection.codings] == ["22222222-2222-4222-8222-222222222202"]
    assert pdf.note_guids == ("77777777-7777-4777-8777-777777777701", "77777777-7777-4777-8777-777777777702")
    assert (text_only.name, text_only.kind, text_only.pdf, text_only.text) == (
        "Missing PDF",
        "pdf",
        None,
        "Only the text came.",
    )


def test_notes_users_cases_and_sets() -> None:
    project = _project()
    assert [user.name for user in project.users] == ["alice@example.org"]  # no name: its id
    assert [note.text for note in project.notes] == ["A memo\r\nfrom a file.", "On the text."]
    assert [note.name for note in project.notes] == ["Memo 1", None]
    assert project.cases == (
        QdaCase(
            "44444444-4444-4444-8444-444444444401",
            "Study A",
            values=(
                ("33333333-3333-4333-8333-333333333301", 120),
                ("33333333-3333-4333-8333-333333333302", 0.25),
                ("33333333-3333-4333-8333-333333333302", None),
            ),
            source_guids=(PDF,),
        ),
    )
    assert project.sets == (
        QdaSet(
            "99999999-9999-4999-8999-999999999901",
            "CMO set",
            None,
            ("22222222-2222-4222-8222-222222222202",),
            (PDF,),
        ),
    )
    assert project.codes[0].color == "#FF0000" and not project.codes[0].is_codable
    assert project.description == "Exported project"
    assert (count(project).sources, count(project).codes, count(project).cases) == (2, 2, 1)


def test_what_was_left_out_is_reported() -> None:
    assert _project().notes_on_import == (
        f"PictureSource {PICTURE} 'Photo': skipped (RealReview reads text and PDF sources, not picture)",
        "AudioSource 55555555-5555-4555-8555-555555555506 'Interview audio': skipped (RealReview reads text and "
        "PDF sources, not audio)",
        "PDFSource 55555555-5555-4555-8555-555555555507 'Scan without text': skipped (it has no plain-text "
        "representation)",
        "PDFSource 55555555-5555-4555-8555-555555555508 'Missing PDF': the PDF internal://gone.pdf is not in the "
        "archive; only its text was imported",
        "TextSource 55555555-5555-4555-8555-555555555510 'Docx only': skipped (it has rich text only, no plain text)",
        "PDF region selections: 1 not imported (RealReview selects text)",
        "codings of a whole source: 1 not imported (RealReview codes excerpts)",
        "variable values of a source: 1 not imported (values belong to cases)",
        "notes attached to codings: 1 not imported (RealReview keeps notes on excerpts)",
        "codes of cases: 1 not imported (RealReview codes excerpts)",
        "selections of cases: 1 not imported (a case's sources are kept)",
        "references to skipped sources: 2 not imported (the sources themselves were skipped)",
        "notes in sets: 1 not imported (RealReview's sets hold codes and sources)",
        "links: 1 not imported (RealReview has no links between items)",
    )
