#!/usr/bin/env python3
"""Copies docs/openapi.yaml into Sources/StewardServer/OpenAPI/OpenAPIDocument.swift, the copy
the server serves at /openapi.yaml. Run after editing the document; a test checks the two match."""
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
document = (root / "docs" / "openapi.yaml").read_text()
assert '"""#' not in document, "the document may not contain the raw string delimiter"
swift = (
    "/// The OpenAPI document of the API, served at `/openapi.yaml`.\n"
    "///\n"
    "/// A copy of `docs/openapi.yaml` (a test checks that the two are the same and that the router\n"
    "/// serves exactly the documented operations). Regenerate after editing the document:\n"
    "/// `python3 scripts/embed-openapi.py`.\n"
    "enum OpenAPIDocument {\n"
    '    static let yaml = #"""\n' + document + '\n"""#\n'
    "}\n"
)
(root / "Sources" / "StewardServer" / "OpenAPI" / "OpenAPIDocument.swift").write_text(swift)
