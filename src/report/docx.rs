//! A minimal WordprocessingML (`.docx`) writer for submissions: a title, a cover table,
//! headings, numbered paragraphs with a hanging indent and Word endnotes (numbered 1, 2, 3
//! as the paragraphs cite them), and page numbers in the footer.
//! OHCHR asks for UPR submissions as Word documents; this writes the same content as the
//! PDF. Text is escaped for XML, and characters XML 1.0 forbids are dropped.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

/// A block of the document body.
pub enum Block {
    Title(String),
    /// A two-column table of label and value.
    Cover(Vec<(String, String)>),
    Heading(String),
    /// A paragraph numbered `number`, with its text and the endnotes it cites (their
    /// text), whose references follow the text.
    Numbered {
        number: usize,
        text: String,
        notes: Vec<String>,
    },
    Text(String),
    PageBreak,
}

/// Escapes `text` for XML character data and attributes.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn run(text: &str, props: &str) -> String {
    format!(r#"<w:r>{props}<w:t xml:space="preserve">{}</w:t></w:r>"#, xml(text))
}

/// The document body, and the endnotes' text in the order they are cited (endnote `i`
/// has id `i + 1`).
fn body(blocks: &[Block]) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut endnotes: Vec<String> = Vec::new();
    for block in blocks {
        match block {
            Block::Title(t) => {
                out += &format!(
                    r#"<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr>{}</w:p>"#,
                    run(t, "")
                );
            }
            Block::Heading(t) => {
                out += &format!(
                    r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>{}</w:p>"#,
                    run(t, "")
                );
            }
            Block::Text(t) => out += &format!("<w:p>{}</w:p>", run(t, "")),
            Block::Numbered { number, text, notes } => {
                out += r#"<w:p><w:pPr><w:pStyle w:val="Numbered"/></w:pPr>"#;
                out += &run(&format!("{number}."), "");
                out += "<w:r><w:tab/></w:r>";
                out += &run(text, "");
                for note in notes {
                    endnotes.push(note.clone());
                    out += &format!(
                        r#"<w:r><w:rPr><w:rStyle w:val="EndnoteReference"/></w:rPr><w:endnoteReference w:id="{}"/></w:r>"#,
                        endnotes.len()
                    );
                }
                out += "</w:p>";
            }
            Block::Cover(rows) => {
                out += r#"<w:tbl><w:tblPr><w:tblW w:w="5000" w:type="pct"/><w:tblBorders><w:insideH w:val="single" w:sz="4" w:color="CCCCCC"/><w:bottom w:val="single" w:sz="4" w:color="CCCCCC"/></w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="6000"/></w:tblGrid>"#;
                for (label, value) in rows {
                    out += &format!(
                        "<w:tr><w:tc><w:p>{}</w:p></w:tc><w:tc><w:p>{}</w:p></w:tc></w:tr>",
                        run(label, "<w:rPr><w:b/></w:rPr>"),
                        run(value, "")
                    );
                }
                out += "</w:tbl>";
            }
            Block::PageBreak => out += r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#,
        }
    }
    (out, endnotes)
}

/// `word/endnotes.xml`: the two separators Word requires, then the notes.
fn endnotes(notes: &[String]) -> String {
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:endnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:endnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:endnote><w:endnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:endnote>"#,
    );
    for (i, note) in notes.iter().enumerate() {
        out += &format!(
            r#"<w:endnote w:id="{}"><w:p><w:pPr><w:pStyle w:val="EndnoteText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="EndnoteReference"/></w:rPr><w:endnoteRef/></w:r>{}</w:p></w:endnote>"#,
            i + 1,
            run(&format!(" {note}"), "")
        );
    }
    out + "</w:endnotes>"
}

const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:endnotePr><w:numFmt w:val="decimal"/><w:endnote w:id="-1"/><w:endnote w:id="0"/></w:endnotePr></w:settings>"#;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/endnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes" Target="endnotes.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/></Relationships>"#;

const FOOTER: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:ftr>"#;

fn styles(lang: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Noto Sans" w:hAnsi="Noto Sans" w:eastAsia="Noto Sans CJK KR" w:cs="Noto Sans Arabic"/><w:sz w:val="21"/><w:lang w:val="{lang}"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="36"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Numbered"><w:name w:val="Numbered paragraph"/><w:basedOn w:val="Normal"/><w:pPr><w:tabs><w:tab w:val="left" w:pos="567"/></w:tabs><w:ind w:left="567" w:hanging="567"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="EndnoteText"><w:name w:val="endnote text"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="60" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="18"/></w:rPr></w:style><w:style w:type="character" w:styleId="EndnoteReference"><w:name w:val="endnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style></w:styles>"#
    )
}

fn core(title: &str, author: &str, lang: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:language>{lang}</dc:language></cp:coreProperties>"#,
        xml(title),
        xml(author)
    )
}

/// The `.docx` file of `blocks`, with document `title`, `author` and language `lang`
/// (`en`, `es`, `fr`). The same input gives the same bytes.
pub fn write(blocks: &[Block], title: &str, author: &str, lang: &str) -> std::io::Result<Vec<u8>> {
    let (body, notes) = body(blocks);
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{}<w:sectPr><w:footerReference w:type="default" r:id="rId2"/><w:endnotePr><w:numFmt w:val="decimal"/></w:endnotePr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1247" w:right="1134" w:bottom="1247" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr></w:body></w:document>"#,
        body
    );
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    let parts: [(&str, &str); 9] = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("docProps/core.xml", &core(title, author, lang)),
        ("word/_rels/document.xml.rels", DOC_RELS),
        ("word/styles.xml", &styles(lang)),
        ("word/footer1.xml", FOOTER),
        ("word/endnotes.xml", &endnotes(&notes)),
        ("word/settings.xml", SETTINGS),
        ("word/document.xml", &document),
    ];
    for (name, text) in parts {
        zip.start_file(name, options).map_err(std::io::Error::other)?;
        zip.write_all(text.as_bytes())?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_forbidden_characters_dropped() {
        assert_eq!(xml("a<b>&\"c\"\u{1}\u{7}d"), "a&lt;b&gt;&amp;&quot;c&quot;d");
        let bytes = write(
            &[Block::Numbered {
                number: 1,
                text: "<w:t>x</w:t>".into(),
                notes: vec!["<source> & \u{1}".into()],
            }],
            "T",
            "A",
            "en",
        )
        .unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut doc = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut doc)
            .unwrap();
        assert!(doc.contains("&lt;w:t&gt;x&lt;/w:t&gt;"));
        assert!(doc.contains(r#"<w:endnoteReference w:id="1"/>"#));
        let mut notes = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("word/endnotes.xml").unwrap(), &mut notes)
            .unwrap();
        assert!(notes.contains(r#"<w:endnote w:id="1">"#));
        assert!(notes.contains("&lt;source&gt; &amp; </w:t>"));
    }
}
