"""The route registry of the till API: the single source of its routes and schema.

Each v1 endpoint is declared once with :func:`api_route`, which registers it
here (path, method, request and answer schemas, error codes) and declares the
Odoo route (``auth="bearer"``). ``/loyalty/api/v1/openapi.json`` is generated
from this registry, so the published document cannot miss a route.

Another addon adds an endpoint by subclassing the v1 controller and declaring
a method with ``@api_route(...)`` (and its schemas with :func:`add_schemas`);
the document lists it as soon as that addon is installed.
"""

from odoo.http import route

from .api_errors import CODES, PROBLEM_TYPE

API_PREFIX = "/loyalty/api/v1"

# (method, path) -> RouteSpec, in declaration order
REGISTRY = {}
# component schemas, by name -> (module, schema)
SCHEMAS = {}


class RouteSpec:
    def __init__(
        self,
        method,
        path,
        func,
        operation_id,
        summary,
        tag,
        request,
        response,
        errors,
        query,
        status,
        public,
    ):
        self.method = method
        self.path = path
        self.func = func
        self.operation_id = operation_id
        self.summary = summary
        self.tag = tag
        self.request = request
        self.response = response
        self.errors = errors
        self.query = query
        self.status = status
        self.public = public

    @property
    def module(self):
        parts = self.func.__module__.split(".")
        return parts[2] if parts[:2] == ["odoo", "addons"] else parts[0]

    @property
    def odoo_path(self):
        """``/cards/{number}`` -> ``/loyalty/api/v1/cards/<string:number>``."""
        path = self.path
        for name in _path_params(path):
            path = path.replace(f"{{{name}}}", f"<string:{name}>")
        return API_PREFIX + path


def _path_params(path):
    return [part[1:-1] for part in path.split("/") if part.startswith("{") and part.endswith("}")]


def add_schemas(schemas, module):
    """Register component schemas (name -> JSON Schema) of ``module``."""
    for name, schema in schemas.items():
        SCHEMAS[name] = (module, schema)


def api_route(
    path,
    method,
    *,
    operation_id,
    summary,
    tag,
    request=None,
    response=None,
    errors=(),
    query=None,
    status=200,
    public=False,
):
    """Declare a v1 endpoint: registered for the OpenAPI document and routed by Odoo.

    The decorated controller method receives ``shop`` (the key's merchant),
    ``body`` (the parsed JSON body, or None) and the path parameters, and
    returns ``(data, headers)`` or ``data``; refusals are raised as
    :class:`~.api_errors.ApiError`. ``public``: no key (the document itself).
    """

    def decorate(func):
        spec = RouteSpec(
            method,
            path,
            func,
            operation_id,
            summary,
            tag,
            request,
            response,
            tuple(errors),
            query or {},
            status,
            public,
        )
        REGISTRY[(method, path)] = spec

        @route(
            spec.odoo_path,
            type="http",
            auth="none" if public else "bearer",
            methods=[method],
            csrf=False,
            save_session=False,
            readonly=False,
        )
        def endpoint(self, **kwargs):
            # Only the path's parameters: the query string is read by the method.
            params = {name: kwargs[name] for name in _path_params(spec.path)}
            return self._loyalty_api_dispatch(spec, params)

        endpoint.__name__, endpoint.__doc__ = func.__name__, func.__doc__

        return endpoint

    return decorate


def routes_of(modules):
    """The registered routes of the installed ``modules``."""
    return [spec for spec in REGISTRY.values() if spec.module in modules]


# ------------------------------------------------------------
# OpenAPI 3.1
# ------------------------------------------------------------

COMMON_ERRORS = ("unauthorized", "forbidden", "rate_limited", "busy_try_again", "internal_error")


def openapi_document(modules, server_url, version="1.0.0"):
    """The OpenAPI 3.1 document of the routes and schemas of ``modules``."""
    paths = {}
    for spec in routes_of(modules):
        if spec.module not in modules:
            continue
        operation = {
            "operationId": spec.operation_id,
            "summary": spec.summary,
            "tags": [spec.tag],
            "responses": {},
        }
        parameters = [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in _path_params(spec.path)
        ]
        for name, (schema, description) in spec.query.items():
            parameters.append(
                {
                    "name": name,
                    "in": "query",
                    "required": False,
                    "schema": schema,
                    "description": description,
                }
            )
        if spec.request:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": _ref(spec.request)}},
            }
            parameters.append(
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string", "maxLength": 64},
                    "description": "The operation's reference when the body has none; "
                    "scoped to the shop.",
                }
            )
        if parameters:
            operation["parameters"] = parameters
        answer = {"description": "Success"}
        if spec.response:
            answer["content"] = {"application/json": {"schema": _ref(spec.response)}}
        if spec.request:
            answer["headers"] = {
                "Idempotent-Replayed": {
                    "description": "true when this is the first answer to an earlier "
                    "request with the same reference.",
                    "schema": {"type": "string", "enum": ["true"]},
                }
            }
        operation["responses"][str(spec.status)] = answer
        codes = spec.errors if spec.public else spec.errors + COMMON_ERRORS
        by_status = {}
        for code in codes:
            by_status.setdefault(CODES[code][0], []).append(code)
        for status, status_codes in sorted(by_status.items()):
            operation["responses"][str(status)] = {
                "description": "Refused: " + ", ".join(status_codes),
                "content": {"application/problem+json": {"schema": _ref("Problem")}},
            }
        if spec.public:
            operation["security"] = []
        paths.setdefault(API_PREFIX + spec.path, {})[spec.method.lower()] = operation
    schemas = {name: schema for name, (module, schema) in SCHEMAS.items() if module in modules}
    schemas["Problem"] = {
        "type": "object",
        "description": "RFC 9457 problem details; ``code`` is stable, ``detail`` is "
        "the cashier-readable sentence in the key user's language.",
        "required": ["type", "title", "status", "code", "detail"],
        "properties": {
            "type": {"type": "string", "examples": [PROBLEM_TYPE.format(code="card_blocked")]},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "code": {"type": "string", "enum": sorted(CODES)},
            "detail": {"type": "string"},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Annonay+ loyalty network: till API",
            "version": version,
            "description": "Card operations for the member shops' own tills. "
            "Authenticate with the shop's API key: `Authorization: Bearer <key>`.",
        },
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
        },
        "paths": paths,
    }


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}
