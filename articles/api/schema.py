"""OpenAPI post-processing: the errors any operation can answer, documented once for all of them."""

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "what is wrong, in one sentence"},
        "errors": {"type": "object", "additionalProperties": True, "description": "per-field messages"},
    },
    "required": ["detail"],
    "additionalProperties": True,
}

COMMON = {
    "400": "invalid input (the message says which field and why)",
    "401": "authentication needed: send a session cookie or `Authorization: Token …`",
    "403": "you lack the permission for this action",
    "404": "no such resource (or one you may not see)",
    "405": "method not allowed on this resource",
    "406": "none of the formats in Accept or ?format= is available",
    "409": "the story's state does not allow this workflow step",
    "413": "request body over the configured limit (1 MB by default)",
    "415": "unsupported Content-Type",
    "429": "too many requests: slow down (see Retry-After)",
}
WRITE_ONLY = {"409", "413", "415"}


def add_common_errors(result, generator, request, public):
    """spectacular POSTPROCESSING_HOOK: every operation documents the JSON errors it may answer."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    ninjs_list = result.get("paths", {}).get("/api/v1/articles/", {}).get("get", {})
    content = ninjs_list.get("responses", {}).get("200", {}).get("content", {})
    if "application/ninjs+json" in content:
        # The ninjs list is a plain array of items (the next page is in the Link header), not the JSON page.
        content["application/ninjs+json"]["schema"] = {
            "type": "array",
            "items": {"type": "object", "description": "IPTC ninjs 3.1 news item", "additionalProperties": True},
        }
        ninjs_list["responses"]["200"].setdefault("headers", {})["Link"] = {
            "schema": {"type": "string"},
            "description": 'ninjs list only: <url>; rel="next", <url>; rel="prev"',
        }
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            if method == "get" and {} not in operation.get("security", [{}]):
                operation["security"].append({})  # reads are open: the queryset decides what each client sees
            responses = operation.setdefault("responses", {})
            for code, description in COMMON.items():
                if code in WRITE_ONLY and method in {"get", "delete"}:
                    continue
                response = responses.setdefault(code, {"description": description})
                response.setdefault("content", {"application/json": {"schema": reference}})
    return result
