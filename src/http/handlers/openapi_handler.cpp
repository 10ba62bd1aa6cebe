// GET /api/v1/openapi.json: the OpenAPI 3.1 description of API.md and of every other route,
// built once from a literal (tests/unit/http/routing/openapi_routes_test.cpp holds it to the router).
#include <nlohmann/json.hpp>

#include "http/handlers/handlers.h"

namespace image_resize::http {

namespace {

constexpr const char* kOpenApi = R"json({
  "openapi": "3.1.0",
  "info": {"title": "image-resize", "version": "1.0.0",
           "description": "Asynchronous image resizing: upload, poll the task, download the result."},
  "paths": {
    "/api/v1/images/resize": {"post": {
      "summary": "Upload an image to resize; answers at once with a task id",
      "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": ["file"],
        "properties": {
          "file": {"type": "string", "contentMediaType": "application/octet-stream",
                   "description": "JPEG, PNG, WebP, GIF, TIFF, HEIC or AVIF; detected from the bytes"},
          "width": {"type": "integer", "minimum": 1, "maximum": 10000},
          "height": {"type": "integer", "minimum": 1, "maximum": 10000},
          "fit": {"type": "string", "enum": ["fill", "inside", "cover", "contain"], "default": "fill"},
          "format": {"type": "string", "enum": ["same", "jpeg", "png", "webp", "avif", "gif", "tiff"], "default": "same"},
          "quality": {"type": "integer", "minimum": 1, "maximum": 100, "default": 80},
          "background": {"type": "string", "pattern": "^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$"},
          "priority": {"type": "string", "enum": ["high", "normal", "low"], "default": "normal"}}}}}},
      "responses": {
        "202": {"description": "Accepted", "headers": {"Location": {"schema": {"type": "string"}}},
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Accepted"}}}},
        "400": {"$ref": "#/components/responses/Error"}, "413": {"$ref": "#/components/responses/Error"},
        "415": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"},
        "503": {"$ref": "#/components/responses/Error"}}}},
    "/api/v1/status/{id}": {"get": {
      "summary": "The task's state; ?wait=N holds the request until it is done or N s pass",
      "parameters": [{"$ref": "#/components/parameters/Id"},
                     {"name": "wait", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 30}}],
      "responses": {
        "200": {"description": "The task", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Task"}}}},
        "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}},
    "/api/v1/images/result/{id}": {"get": {
      "summary": "The resized image",
      "parameters": [{"$ref": "#/components/parameters/Id"}],
      "responses": {
        "200": {"description": "The image", "headers": {"ETag": {"schema": {"type": "string"}},
                "Cache-Control": {"schema": {"type": "string"}}},
                "content": {"image/*": {"schema": {"type": "string", "contentMediaType": "image/*"}}}},
        "304": {"description": "Not modified (If-None-Match)"},
        "404": {"$ref": "#/components/responses/Error"}}}},
    "/api/v1/tasks/{id}": {"delete": {
      "summary": "Remove the task, its input and its result",
      "parameters": [{"$ref": "#/components/parameters/Id"}],
      "responses": {"204": {"description": "Deleted"}, "404": {"$ref": "#/components/responses/Error"}}}},
    "/healthz": {"get": {"summary": "The process is alive", "responses": {"200": {"description": "Alive"}}}},
    "/readyz": {"get": {"summary": "The store and the queue answer, and the data dir has its free space",
      "responses": {"200": {"description": "Ready"}, "503": {"description": "Not ready"}}}},
    "/metrics": {"get": {"summary": "Prometheus metrics",
      "responses": {"200": {"description": "Text exposition format", "content": {"text/plain": {}}}}}},
    "/api/v1/openapi.json": {"get": {"summary": "This document",
      "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}}}},
    "/api/v1/dashboard": {"get": {
      "summary": "What /dashboard shows: queue depth, workers, the last minute's throughput and processing times, recent failures",
      "responses": {
        "200": {"description": "The dashboard's data", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Dashboard"}}}},
        "503": {"$ref": "#/components/responses/Error"}}}},
    "/": {"get": {"summary": "A page to try the API: upload an image, watch the task, download the result",
      "responses": {"200": {"description": "HTML page", "content": {"text/html": {}}}, "304": {"description": "Not modified (If-None-Match)"}}}},
    "/dashboard": {"get": {"summary": "The live dashboard, refreshed from /api/v1/dashboard",
      "responses": {"200": {"description": "HTML page", "content": {"text/html": {}}}, "304": {"description": "Not modified (If-None-Match)"}}}},
    "/assets/{name}": {"get": {"summary": "A script or style sheet of the pages",
      "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
      "responses": {"200": {"description": "The file", "content": {"text/css": {}, "text/javascript": {}}},
                    "304": {"description": "Not modified (If-None-Match)"},
                    "404": {"$ref": "#/components/responses/Error"}}}}
  },
  "components": {
    "parameters": {"Id": {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}}},
    "responses": {"Error": {"description": "An error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
    "schemas": {
      "Error": {"type": "object", "required": ["result", "message", "code"], "properties": {
        "result": {"const": "error"}, "message": {"type": "string"}, "code": {"type": "string"},
        "status": {"type": "string", "description": "with result_not_ready: the task's state"}}},
      "Accepted": {"type": "object", "required": ["status", "message", "task_id", "status_url", "result_url"], "properties": {
        "status": {"const": "accepted"}, "message": {"type": "string"}, "task_id": {"type": "string", "format": "uuid"},
        "status_url": {"type": "string"}, "result_url": {"type": "string"}}},
      "Task": {"type": "object", "required": ["task_id", "status", "created_at", "attempts", "request"], "properties": {
        "task_id": {"type": "string", "format": "uuid"},
        "status": {"type": "string", "enum": ["PENDING", "STARTED", "SUCCESS", "FAILURE"]},
        "created_at": {"type": "string", "format": "date-time"},
        "started_at": {"type": ["string", "null"], "format": "date-time"},
        "finished_at": {"type": ["string", "null"], "format": "date-time"},
        "expires_at": {"type": "string", "format": "date-time"},
        "attempts": {"type": "integer"},
        "request": {"type": "object"},
        "result": {"type": "object", "properties": {"width": {"type": "integer"}, "height": {"type": "integer"},
                   "format": {"type": "string"}, "bytes": {"type": "integer"}, "url": {"type": "string"}}},
        "error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
      "Dashboard": {"type": "object", "required": ["generated_at", "queue", "workers", "throughput", "processing_seconds", "recent_failures"], "properties": {
        "generated_at": {"type": "string", "format": "date-time"},
        "queue": {"type": "object", "properties": {"high": {"type": "integer"}, "normal": {"type": "integer"}, "low": {"type": "integer"}}},
        "workers": {"type": "array", "items": {"type": "object", "properties": {
          "name": {"type": "string"}, "threads": {"type": "integer"}, "busy": {"type": "integer"}, "alive": {"type": "boolean"},
          "started_at": {"type": "string", "format": "date-time"}, "last_seen": {"type": "string", "format": "date-time"}}}},
        "throughput": {"type": "object", "properties": {"window_seconds": {"type": "integer"}, "tasks_per_second": {"type": "number"},
          "succeeded": {"type": "integer"}, "failed": {"type": "integer"}}},
        "processing_seconds": {"type": "object", "properties": {"p50": {"type": ["number", "null"]}, "p99": {"type": ["number", "null"]}}},
        "recent_failures": {"type": "array", "items": {"type": "object", "properties": {
          "task_id": {"type": "string", "format": "uuid"}, "finished_at": {"type": ["string", "null"], "format": "date-time"},
          "code": {"type": "string"}, "message": {"type": "string"}}}}}}
    }
  }
})json";

}  // namespace

const nlohmann::json& openapi_document() {
  static const nlohmann::json kDocument = [] {
    auto document = nlohmann::json::parse(kOpenApi);
    // With --api-keys-file, every /api/v1 route takes a bearer key (401 without, 403 wrong).
    document["components"]["securitySchemes"] = {{"apiKey", {{"type", "http"}, {"scheme", "bearer"}}}};
    for (auto& [path, operations] : document["paths"].items()) {
      if (!path.starts_with("/api/v1/")) continue;
      for (auto& [method, operation] : operations.items()) {
        operation["security"] = nlohmann::json::array({nlohmann::json::object(), {{"apiKey", nlohmann::json::array()}}});
        operation["responses"]["401"] = {{"$ref", "#/components/responses/Error"}};
        operation["responses"]["403"] = {{"$ref", "#/components/responses/Error"}};
      }
    }
    // Every GET route answers HEAD with the same headers and no body (RFC 9110), so the
    // document says so for each, rather than repeating it by hand.
    for (auto& [path, operations] : document["paths"].items()) {
      if (!operations.contains("get")) continue;
      nlohmann::json head = {{"summary", "The headers of GET " + path + ", without the body"},
                             {"responses", operations["get"]["responses"]}};
      if (operations["get"].contains("parameters")) {
        head["parameters"] = operations["get"]["parameters"];
      }
      operations["head"] = std::move(head);
    }
    return document;
  }();
  return kDocument;
}

Response handle_openapi() {
  return json_response(boost::beast::http::status::ok, openapi_document());
}

}  // namespace image_resize::http
