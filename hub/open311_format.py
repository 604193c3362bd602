"""GeoReport v2 bodies in the two formats the spec names: JSON, and XML (the one it requires),
with the spec's element names: <services><service>, <service_definition>,
<service_requests><request>, <errors><error>, <discovery>."""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

from fastapi.responses import JSONResponse, Response

MEDIA_TYPES = {"json": "application/json", "xml": "text/xml; charset=utf-8"}
# A list's element is named for one of its items.
ITEM = {"services": "service", "service_requests": "request", "attributes": "attribute",
        "values": "value", "endpoints": "endpoint", "formats": "format", "errors": "error"}
# Characters XML 1.0 cannot carry at all, not even escaped.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def format_of(path: str) -> str:
    """The format a URL asks for: its suffix (".xml" or ".json")."""
    return "xml" if path.endswith(".xml") else "json"


def render(fmt: str, root: str, body: Any, status: int = 200,
           headers: dict[str, str] | None = None) -> Response:
    if fmt == "xml":
        return Response(to_xml(root, body), status_code=status, headers=headers,
                        media_type=MEDIA_TYPES["xml"])
    return JSONResponse(body, status_code=status, headers=headers)


def errors(path: str, status: int, description: str,
           headers: dict[str, str] | None = None) -> Response:
    """The spec's error shape, in the format the URL asked for."""
    return render(format_of(path), "errors", [{"code": status, "description": description}],
                  status, headers)


def to_xml(root: str, body: Any) -> bytes:
    return DECLARATION + ElementTree.tostring(_element(root, body), encoding="unicode").encode()


def _element(tag: str, value: Any) -> ElementTree.Element:
    element = ElementTree.Element(tag)
    if isinstance(value, dict):
        element.extend(_element(key, item) for key, item in value.items())
    elif isinstance(value, list):
        element.extend(_element(ITEM[tag], item) for item in value)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:  # None: an empty element, as the spec's examples show
        element.text = NOT_XML.sub("\ufffd", str(value))
    return element
