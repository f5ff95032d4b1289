"""The OpenAPI document as a page for people: each operation, its parameters and its
responses, and the objects they carry, read from the same document programs fetch."""

from dataclasses import dataclass, field

from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator

REF = "#/components/schemas/"


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    required: bool
    kind: str
    description: str


@dataclass(frozen=True)
class Reply:
    status: str
    description: str
    media_types: tuple[str, ...]
    body: str
    body_anchor: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    anchor: str
    description: str
    parameters: list[Parameter] = field(default_factory=list)
    replies: list[Reply] = field(default_factory=list)


@dataclass(frozen=True)
class Member:
    name: str
    kind: str
    required: bool
    description: str


@dataclass(frozen=True)
class Shape:
    name: str
    anchor: str
    description: str
    members: list[Member]


def kind_of(schema: dict) -> str:
    """A schema in words: "string (date)", "one of: a, b", "list of Action", "Rag"."""
    if schema.get("nullable"):
        return kind_of({k: v for k, v in schema.items() if k != "nullable"}) + ", or null"
    if "$ref" in schema:
        return schema["$ref"].removeprefix(REF)
    for combined in ("allOf", "oneOf", "anyOf"):
        if combined in schema:
            kinds = [kind_of(part) for part in schema[combined]]
            return " or ".join(kinds)
    if "enum" in schema:
        return "one of: " + ", ".join(str(value) for value in schema["enum"] if value is not None)
    kind = schema.get("type", "any")
    if kind == "array":
        return f"list of {kind_of(schema.get('items', {}))}"
    if schema.get("format"):
        kind = f"{kind} ({schema['format']})"
    return kind


def body_of(content: dict) -> tuple[tuple[str, ...], str]:
    media_types = tuple(content)
    bodies = {kind_of(part.get("schema", {})) for part in content.values()}
    return media_types, ", ".join(sorted(bodies))


def operations(document: dict) -> list[Operation]:
    found = []
    for path, methods in document["paths"].items():
        for method, spec in methods.items():
            parameters = [
                Parameter(
                    name=p["name"],
                    location=p["in"],
                    required=p.get("required", False),
                    kind=kind_of(p.get("schema", {})),
                    description=p.get("description", ""),
                )
                for p in spec.get("parameters", [])
            ]
            replies = []
            for status, reply in sorted(spec.get("responses", {}).items()):
                media_types, body = body_of(reply.get("content", {}))
                anchor = f"object-{body}" if body in document["components"]["schemas"] else ""
                replies.append(
                    Reply(status, reply.get("description", ""), media_types, body, anchor)
                )
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    anchor=spec["operationId"],
                    description=spec.get("description", ""),
                    parameters=parameters,
                    replies=replies,
                )
            )
    return found


def shapes(document: dict) -> list[Shape]:
    found = []
    for name, schema in sorted(document["components"]["schemas"].items()):
        required = set(schema.get("required", ()))
        members = [
            Member(key, kind_of(value), key in required, value.get("description", ""))
            for key, value in schema.get("properties", {}).items()
        ]
        description = schema.get("description", "")
        if not members:
            description = description or kind_of(schema)
        found.append(Shape(name, f"object-{name}", description, members))
    return found


@require_GET
def api_docs(request):
    """The API described for people; the document itself is linked for programs."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    context = {
        "info": document["info"],
        "operations": operations(document),
        "shapes": shapes(document),
    }
    return render(request, "api/docs.html", context)
