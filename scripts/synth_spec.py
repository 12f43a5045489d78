#!/usr/bin/env python3
"""Writes a large synthetic OpenAPI 3.1 description for the generator benchmarks.

Each "resource" is shaped like one of Featurebase's (a tag with its own module, list/get/create/
update/delete endpoints, cursor and page pagination, inline error responses with error codes,
markdown descriptions) and adds the shapes that cost the generator the most:

- 30 named schemas: objects with required, optional, nullable and optional-nullable properties,
  string enums, `const` fields, arrays, maps (`additionalProperties`), inline objects nested three
  deep (hoisted), a discriminated union (`oneOf` + `discriminator.mapping`, 5 members), an untagged
  union (`oneOf` of a string, two objects and an array), an inline `anyOf` scalar union, an `allOf`
  composition, self-recursive types (boxed), and references into the previous resource's module;
- 10 operations with path, query and header parameters, JSON request bodies and 2-4 responses.

Scale 1 has 100 resources: 3,000 schemas (plus 1 shared) and 1,000 operations. Scale N has N times
as many of everything, so generator time should grow linearly in N.

`--constructs` reshapes a few of each resource's schemas and operations into the constructs of
issue 13 (the counts stay): an `allOf` with a union member, a union beside `properties`, members
that only list `required`, a `prefixItems` tuple, two operations without tags (grouped by path)
and a deprecated one. `--compact` writes the JSON without indentation (1x is then 3.5 MB instead
of 8 MB). Without them the output is as it was.

Usage: python3 scripts/synth_spec.py [--scale N] [--out FILE] [--constructs] [--compact]
(default: scale 1, stdout)
Only the Python standard library is used; the output is deterministic.
"""

import argparse
import json
import sys

RESOURCES_PER_SCALE = 100
# `--constructs` (see the module docs).
CONSTRUCTS = False

WORDS_A = [
    "Amber", "Basalt", "Cedar", "Delta", "Ember", "Fjord", "Garnet", "Harbor", "Indigo", "Juniper",
    "Kestrel", "Lagoon", "Meadow", "Nimbus", "Onyx", "Prairie", "Quartz", "Raven", "Sierra", "Tundra",
    "Umber", "Violet", "Willow", "Xenon", "Yarrow", "Zephyr",
]
WORDS_B = [
    "Account", "Badge", "Campaign", "Digest", "Estimate", "Forecast", "Grant", "Handoff", "Invoice",
    "Journey", "Keyword", "Ledger", "Milestone", "Notice", "Order", "Playbook", "Quota", "Receipt",
    "Segment", "Ticket", "Upload", "Voucher", "Webinar", "Export", "Yield", "Zone",
]

LOREM = (
    "Returns the matching objects of your organization. Results are sorted by creation time, newest "
    "first, and can be narrowed with the query parameters below. Deleted objects are never returned."
)


def resource_names(count):
    """Distinct (PascalName, plural path segment, tag) triples."""
    out = []
    for i in range(count):
        a = WORDS_A[i % len(WORDS_A)]
        b = WORDS_B[(i // len(WORDS_A)) % len(WORDS_B)]
        n = i // (len(WORDS_A) * len(WORDS_B))
        suffix = "" if n == 0 else str(n + 1)
        pascal = f"{a}{b}{suffix}"
        plural = f"{a.lower()}-{b.lower()}s{suffix}"
        tag = f"{a} {b}s{(' ' + suffix) if suffix else ''}"
        out.append((pascal, plural, tag))
    return out


def ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties, required=(), description=None):
    s = {"type": "object", "properties": properties}
    if required:
        s["required"] = list(required)
    if description:
        s["description"] = description
    return s


def string(**kw):
    return {"type": "string", **kw}


def nullable_string(**kw):
    return {"type": ["string", "null"], **kw}


def timestamp(description):
    return {"type": "string", "format": "date-time", "description": description}


def error_response(status, codes):
    lines = "\n".join(f"- `{c}`: the request cannot be served ({c.replace('_', ' ')})" for c in codes)
    code = {"type": "string", "const": codes[0]} if len(codes) == 1 else {"type": "string", "enum": codes}
    return {
        "description": f"Error\n\nPossible error codes:\n{lines}",
        "content": {
            "application/json": {
                "schema": obj(
                    {
                        "error": obj(
                            {
                                "type": string(const="invalid_request_error"),
                                "code": code,
                                "message": string(),
                                "param": string(),
                                "status": {"type": "integer", "const": status},
                            },
                            ["type", "code", "message", "status"],
                        )
                    },
                    ["error"],
                )
            }
        },
    }


def json_content(schema):
    return {"content": {"application/json": {"schema": schema}}}


def with_constructs(s, p):
    """The `--constructs` shapes, in place of some of a resource's schemas (their number stays)."""
    detailed = s[f"{p}Detailed"]
    detailed["allOf"].append({
        "oneOf": [
            obj({"view": string(const="full"), "history": {"type": "array", "items": ref(f"{p}Change")}}, ["view"]),
            obj({"view": string(const="brief")}, ["view"]),
        ]
    })
    s[f"{p}Attachment"] = {
        "description": "A file or a link, with a caption.",
        "type": "object",
        "properties": {"caption": string()},
        "oneOf": [ref(f"{p}File"), ref(f"{p}Link")],
    }
    s[f"{p}Change"]["properties"]["span"] = {
        "type": "array",
        "prefixItems": [{"type": "integer"}, {"type": "integer"}],
        "items": False,
    }
    s[f"{p}Summary"]["oneOf"] = [{"required": ["title"]}, {"required": ["status"]}]


def resource_schemas(p, prev):
    """The 30 schemas of resource `p`; `prev` is the previous resource's name (cross-module refs)."""
    s = {}
    s[f"{p}Status"] = {"type": "string", "enum": ["draft", "active", "paused", "archived", "deleted"]}
    s[f"{p}Visibility"] = {"type": "string", "enum": ["public", "authorOnly", "companyOnly"]}
    s[f"{p}Owner"] = obj(
        {
            "type": {"type": "string", "enum": ["admin", "customer", "lead", "bot"]},
            "id": nullable_string(),
            "name": string(),
            "email": string(format="email"),
            "profilePicture": nullable_string(format="uri"),
        },
        ["type", "id"],
        f"Who owns a {p}.",
    )
    s[f"{p}Meta"] = obj({"key": string(), "value": string(), "updatedAt": timestamp("Last change.")}, ["key"])
    s[f"{p}Item"] = obj(
        {
            "id": string(),
            "title": string(minLength=1, maxLength=255),
            "quantity": {"type": "integer", "minimum": 0},
            "price": {"type": "number", "minimum": 0},
            "tags": {"type": "array", "items": string(maxLength=64)},
            "metadata": {"type": "object", "additionalProperties": ref(f"{p}Meta")},
        },
        ["id", "title", "quantity"],
    )
    s[f"{p}Settings"] = obj(
        {
            "notifications": obj(
                {
                    "email": {"type": "boolean", "default": True},
                    "digest": obj(
                        {
                            "frequency": {"type": "string", "enum": ["daily", "weekly", "monthly"]},
                            "hour": {"type": "integer", "minimum": 0, "maximum": 23},
                            "window": obj({"from": string(), "to": string()}, ["from", "to"]),
                        },
                        ["frequency"],
                    ),
                }
            ),
            "locale": string(default="en"),
            "limits": {"type": "object", "additionalProperties": {"type": "integer"}},
        }
    )
    s[f"{p}File"] = obj(
        {"kind": string(const="file"), "url": string(format="uri"), "size": {"type": "integer"}, "mime": string()},
        ["kind", "url"],
    )
    s[f"{p}Link"] = obj({"kind": string(const="link"), "href": string(format="uri"), "title": string()}, ["href"])
    s[f"{p}Attachment"] = {
        "description": "A file, a link, a plain URL or a list of URLs.",
        "oneOf": [string(), ref(f"{p}File"), ref(f"{p}Link"), {"type": "array", "items": string()}],
    }
    s[f"{p}Change"] = obj({"field": string(), "from": nullable_string(), "to": nullable_string()}, ["field"])
    members = {
        "created": ("CreatedEvent", {"by": ref(f"{p}Owner")}),
        "updated": ("UpdatedEvent", {"changes": {"type": "array", "items": ref(f"{p}Change")}}),
        "commented": ("CommentedEvent", {"comment": ref(f"{p}Comment")}),
        "deleted": ("DeletedEvent", {"reason": nullable_string()}),
        "assigned": ("AssignedEvent", {"assigneeId": nullable_string(), "teamId": nullable_string()}),
    }
    for tag, (suffix, extra) in members.items():
        props = {
            "object": string(const="event"),
            "id": string(),
            "kind": string(const=tag),
            "createdAt": timestamp("When it happened."),
            **extra,
        }
        s[f"{p}{suffix}"] = obj(props, ["object", "id", "kind", "createdAt"], f"A `{tag}` event.")
    s[f"{p}Event"] = {
        "description": f"Something that happened to a {p}.",
        "oneOf": [ref(f"{p}{suffix}") for suffix, _ in members.values()],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {tag: f"#/components/schemas/{p}{suffix}" for tag, (suffix, _) in members.items()},
        },
    }
    s[f"{p}Comment"] = obj(
        {
            "id": string(),
            "body": string(),
            "author": ref(f"{p}Owner"),
            "replies": {"type": "array", "items": ref(f"{p}Comment")},
        },
        ["id", "body"],
    )
    s[f"{p}Node"] = obj(
        {"id": string(), "children": {"type": "array", "items": ref(f"{p}Node")}, "parent": ref(f"{p}Node")},
        ["id"],
    )
    s[f"{p}Summary"] = obj(
        {"id": string(), "title": string(), "status": ref(f"{p}Status"), "score": {"type": ["number", "null"]}},
        ["id", "title"],
    )
    related = ref(f"{prev}Summary") if prev else ref(f"{p}Summary")
    s[p] = obj(
        {
            "object": string(const=p[0].lower() + p[1:]),
            "id": string(),
            "title": string(minLength=2, maxLength=512),
            "content": string(default=""),
            "status": ref(f"{p}Status"),
            "visibility": ref(f"{p}Visibility"),
            "owner": ref(f"{p}Owner"),
            "items": {"type": "array", "items": ref(f"{p}Item")},
            "metadata": {"type": "object", "additionalProperties": ref(f"{p}Meta")},
            "settings": ref(f"{p}Settings"),
            "attachment": ref(f"{p}Attachment"),
            "lastEvent": ref(f"{p}Event"),
            "value": {"anyOf": [string(), {"type": "number"}, {"type": "boolean"}, {"type": "null"}]},
            "related": related,
            "eta": nullable_string(),
            "tree": ref(f"{p}Node"),
            "upvotes": {"type": "integer"},
            "createdAt": timestamp("Creation time."),
            "updatedAt": timestamp("Last update."),
        },
        ["object", "id", "title", "status", "owner", "createdAt", "updatedAt", "eta"],
        f"A {p}.\n\nHolds everything about one {p}: its owner, items, settings and last event.",
    )
    s[f"{p}Detailed"] = {
        "allOf": [
            ref(p),
            obj({"stats": obj({"views": {"type": "integer"}, "votes": {"type": "integer"}}), "events": {
                "type": "array", "items": ref(f"{p}Event")}}),
        ]
    }
    s[f"{p}List"] = obj(
        {"object": string(const="list"), "data": {"type": "array", "items": ref(p)}, "nextCursor": nullable_string()},
        ["object", "data", "nextCursor"],
    )
    s[f"{p}EventList"] = obj(
        {
            "object": string(const="list"),
            "data": {"type": "array", "items": ref(f"{p}Event")},
            "page": {"type": "integer"},
            "totalPages": {"type": "integer"},
        },
        ["object", "data", "page", "totalPages"],
    )
    s[f"{p}CreateBody"] = obj(
        {
            "title": string(minLength=2, maxLength=512),
            "content": string(default=""),
            "status": ref(f"{p}Status"),
            "tags": {"oneOf": [string(), {"type": "array", "items": string(maxLength=255)}]},
            "items": {"type": "array", "items": ref(f"{p}Item")},
            "attachment": ref(f"{p}Attachment"),
            "notify": {"type": "boolean", "default": False},
            "customFields": {
                "type": "object",
                "additionalProperties": {"anyOf": [
                    {"type": "array", "items": string()}, {"type": "boolean"}, {"type": "number"}, string()]},
            },
        },
        ["title"],
    )
    s[f"{p}UpdateBody"] = obj(
        {
            "title": string(),
            "content": string(),
            "status": ref(f"{p}Status"),
            "eta": nullable_string(),
            "ownerId": nullable_string(),
            "settings": ref(f"{p}Settings"),
            "visibility": ref(f"{p}Visibility"),
        }
    )
    s[f"{p}SearchBody"] = obj(
        {
            "query": string(),
            "filters": {
                "type": "array",
                "items": obj(
                    {
                        "field": string(),
                        "op": {"type": "string", "enum": ["eq", "neq", "gt", "lt", "in"]},
                        "value": {"oneOf": [string(), {"type": "number"}, {"type": "boolean"}]},
                    },
                    ["field", "op", "value"],
                ),
            },
            "limit": {"type": "integer", "minimum": 1, "maximum": 100},
        },
        ["query"],
    )
    s[f"{p}SearchResult"] = obj(
        {
            "hits": {"type": "array", "items": ref(f"{p}Summary")},
            "facets": {"type": "object", "additionalProperties": {"type": "integer"}},
            "total": {"type": "integer"},
        },
        ["hits", "total"],
    )
    s[f"{p}Deleted"] = obj(
        {"object": string(const=p[0].lower() + p[1:]), "id": string(), "deleted": {"type": "boolean", "const": True}},
        ["object", "id", "deleted"],
    )
    s[f"{p}BulkUpdateBody"] = obj(
        {"items": {"type": "array", "items": obj({"id": string(), "patch": ref(f"{p}UpdateBody")}, ["id", "patch"])}},
        ["items"],
    )
    s[f"{p}BulkResult"] = obj(
        {
            "updated": {"type": "integer"},
            "failed": {
                "type": "array",
                "items": obj({"id": string(), "error": obj({"code": string(), "message": string()}, ["code"])}, ["id"]),
            },
        },
        ["updated", "failed"],
    )
    assert len(s) == 30, len(s)
    if CONSTRUCTS:
        with_constructs(s, p)
    return s


def resource_paths(p, plural, tag):
    version = {"$ref": "#/components/parameters/FeaturebaseVersion"}
    id_param = {"name": "id", "in": "path", "required": True, "schema": string()}

    def op(op_id, summary, params, responses, body=None):
        o = {
            "operationId": op_id,
            "summary": summary,
            "description": f"{summary}.\n\n{LOREM}\n\n### Example\n\n```json\n{{\"object\": \"list\"}}\n```",
            "parameters": [version, *params],
            "responses": {
                "200": {"description": "Success", **json_content(responses)},
                "400": error_response(400, ["invalid_request", "invalid_cursor"]),
                "401": error_response(401, ["unauthorized"]),
                "404": error_response(404, [f"{plural.replace('-', '_')}_not_found"]),
            },
            "tags": [tag],
        }
        if body is not None:
            o["requestBody"] = {"required": True, **json_content(body)}
        return o

    base = f"/v2/{plural}"
    lower = p[0].lower() + p[1:]
    return {
        base: {
            "get": op(
                f"list{p}s",
                f"List {lower}s",
                [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                    {"name": "cursor", "in": "query", "schema": string(maxLength=512)},
                    {"name": "status", "in": "query", "schema": ref(f"{p}Status")},
                    {"name": "tags", "in": "query", "schema": {
                        "oneOf": [string(), {"type": "array", "items": string()}]}},
                ],
                ref(f"{p}List"),
            ),
            "post": op(f"create{p}", f"Create a {lower}", [], ref(p), ref(f"{p}CreateBody")),
        },
        f"{base}/{{id}}": {
            "get": op(f"get{p}", f"Get a {lower}", [id_param], ref(f"{p}Detailed")),
            "patch": op(f"update{p}", f"Update a {lower}", [id_param], ref(p), ref(f"{p}UpdateBody")),
            "delete": op(f"delete{p}", f"Delete a {lower}", [id_param], ref(f"{p}Deleted")),
        },
        f"{base}/{{id}}/events": {
            "get": op(
                f"list{p}Events",
                f"List the events of a {lower}",
                [
                    id_param,
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                ],
                ref(f"{p}EventList"),
            ),
            "post": op(f"add{p}Event", f"Add an event to a {lower}", [id_param], ref(f"{p}Event"), ref(f"{p}Event")),
        },
        f"{base}/search": {
            "post": op(f"search{p}s", f"Search {lower}s", [], ref(f"{p}SearchResult"), ref(f"{p}SearchBody")),
        },
        f"{base}/bulk": {
            "post": op(f"bulkUpdate{p}s", f"Update many {lower}s", [], ref(f"{p}BulkResult"), ref(f"{p}BulkUpdateBody")),
        },
        f"{base}/{{id}}/comments/{{commentId}}": {
            "get": op(
                f"get{p}Comment",
                f"Get a comment of a {lower}",
                [id_param, {"name": "commentId", "in": "path", "required": True, "schema": string()}],
                ref(f"{p}Comment"),
            ),
        },
    }


def build(scale):
    names = resource_names(RESOURCES_PER_SCALE * scale)
    schemas = {"FeaturebaseVersion": {"type": "string", "enum": ["2026-01-01.nova", "2025-06-01"]}}
    paths = {}
    prev = None
    for pascal, plural, tag in names:
        schemas.update(resource_schemas(pascal, prev))
        resource = resource_paths(pascal, plural, tag)
        if CONSTRUCTS:
            base = f"/v2/{plural}"
            for path in (f"{base}/search", f"{base}/bulk"):
                del resource[path]["post"]["tags"]
            resource[f"{base}/{{id}}/comments/{{commentId}}"]["get"]["deprecated"] = True
        paths.update(resource)
        prev = pascal
    return {
        "openapi": "3.1.0",
        "info": {"title": "Synthetic API", "version": f"synthetic-{scale}x", "description": "Generator benchmark input."},
        "servers": [{"url": "https://api.example.com"}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": tag} for _, _, tag in names],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "parameters": {
                "FeaturebaseVersion": {
                    "name": "Featurebase-Version",
                    "in": "header",
                    "required": False,
                    "schema": ref("FeaturebaseVersion"),
                }
            },
            "schemas": schemas,
        },
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=1, help="multiple of 100 resources (3,000 schemas, 1,000 operations)")
    ap.add_argument("--out", help="output file (default: stdout)")
    ap.add_argument("--constructs", action="store_true", help="use the constructs of issue 13 (see above)")
    ap.add_argument("--compact", action="store_true", help="JSON without indentation")
    args = ap.parse_args()
    global CONSTRUCTS
    CONSTRUCTS = args.constructs
    spec = build(args.scale)
    text = json.dumps(spec, separators=(",", ":")) if args.compact else json.dumps(spec, indent=2)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
            f.write("\n")
    else:
        sys.stdout.write(text + "\n")
    ops = sum(1 for item in spec["paths"].values() for _ in item)
    print(
        f"synthetic spec: scale {args.scale}, {len(spec['components']['schemas'])} schemas, {ops} operations, "
        f"{len(text) // 1024} KiB",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
