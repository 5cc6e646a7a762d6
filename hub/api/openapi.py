"""Build the OpenAPI 3.1 document from the endpoint table and the request models."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic.json_schema import models_json_schema

from connectors.messengers import MESSENGERS
from connectors.registry import CONNECTORS, header_scheme
from hub.api.endpoints import Endpoint

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": "string"},
            },
        }
    },
}


def _parameters(endpoint: Endpoint) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer" if name == "id" else "string"},
        }
        for name in re.findall(r"{(\w+)}", endpoint.path)
    ]
    params += [
        {
            "name": q.name,
            "in": "query",
            "required": False,
            "schema": {"type": q.type},
            **({"description": q.description} if q.description else {}),
        }
        for q in endpoint.query
    ]
    return params


def _operation_id(endpoint: Endpoint) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", endpoint.path.lower()).strip("_")
    return f"{endpoint.method.lower()}_{slug}"


# Endpoints that authenticate by a signature or secret of their own: the hub's hooks, then each
# connector type whose scheme the registry gives (an endpoint's ``auth`` names its scheme).
SCHEMES: Mapping[str, Mapping[str, str]] = {
    "signature": header_scheme("X-Dozvon-Signature"),
    "telegram": header_scheme("X-Telegram-Bot-Api-Secret-Token"),
    **{kind: spec.security for kind, spec in CONNECTORS.items() if spec.security is not None},
    **{
        f"messenger_{kind}": header_scheme(spec.secret_header)
        for kind, spec in MESSENGERS.items()
        if spec.secret_header is not None
    },
}


def build_openapi(endpoints: list[Endpoint], version: str) -> dict[str, Any]:
    models = sorted({e.body for e in endpoints if e.body is not None}, key=lambda m: m.__name__)
    _, schemas = models_json_schema(
        [(m, "validation") for m in models],
        by_alias=True,
        ref_template="#/components/schemas/{model}",
    )
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in endpoints:
        responses: dict[str, Any] = {
            str(endpoint.status): {"description": "success"},
            "400": {
                "description": "bad input",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
        }
        if endpoint.auth != "none":
            responses["401"] = {"description": "missing or wrong credentials"}
        if endpoint.auth == "bearer" and endpoint.roles is not None:
            responses["403"] = {
                "description": "the token's role may not do this, or the change would leave a "
                "record outside the scope of the token's person"
            }
            if "{" in endpoint.path:
                responses["404"] = {
                    "description": "nothing there — or, for a token of a person, outside his "
                    "scope (another team's client, case, number or call)"
                }
        operation: dict[str, Any] = {
            "summary": endpoint.summary,
            "tags": [endpoint.tag],
            "operationId": _operation_id(endpoint),
            "parameters": _parameters(endpoint),
            "responses": responses,
        }
        if endpoint.auth == "bearer":
            operation["security"] = [{"bearer": []}]
        elif endpoint.auth in SCHEMES:
            operation["security"] = [{endpoint.auth: []}]
        else:
            operation["security"] = []
        if endpoint.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {"$ref": f"#/components/schemas/{endpoint.body.__name__}"}
                    }
                },
            }
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = operation
    components = dict(schemas.get("$defs", {}))
    components["Error"] = _ERROR
    return {
        "openapi": "3.1.0",
        "info": {"title": "Dozvon API", "version": version},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                **{name: dict(scheme) for name, scheme in SCHEMES.items()},
            },
        },
    }
