"""Text extraction (HTML, PDF, DOCX), cleaning, document metadata, indicators and targets,
and policy task lists. `parsers.document.parse_document` is the one entry point the CLI
and the pipeline share."""

PARSER_VERSION = "0.2.0"  # 0.2.0: PDF text from PDFium (keeps ·, sub- and superscripts)
