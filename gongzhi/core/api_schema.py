"""The OpenAPI schema tells every answer an operation can give (issue 15: schemathesis found 400, 401, 403
and 404 answered but undocumented on every operation).

drf-spectacular documents the success answer only. This post-processing hook adds, to every operation, the
errors the framework gives everywhere: 401 (no or bad credentials), 403 (signed in, not allowed), 404
(absent, or concealed outside the caller's places: the one permission check answers 404 there), and 400
(a parameter or body the server refuses: a filter naming an object outside one's places, a limit out of
range, a service's rule) wherever the operation takes parameters or a body. The body is DRF's error object.
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "description": "DRF error: {detail: message} or {field: [messages]}",
    "additionalProperties": True,
}
ERRORS = {
    "400": "请求参数或内容有误（说明见返回内容）",
    "401": "未登录或凭据无效",
    "403": "无权进行此操作",
    "404": "不存在，或不在您的管理范围内",
}


def error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            takes_input = bool(operation.get("parameters")) or "requestBody" in operation
            for code, description in ERRORS.items():
                if code == "400" and not takes_input:
                    continue
                operation["responses"].setdefault(
                    code,
                    {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}},
                )
    return result
