// GET /api/v1/openapi.json: the OpenAPI 3.1 description of API.md, built once from a literal.
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
    "/readyz": {"get": {"summary": "The store and the queue answer",
      "responses": {"200": {"description": "Ready"}, "503": {"description": "Not ready"}}}},
    "/metrics": {"get": {"summary": "Prometheus metrics",
      "responses": {"200": {"description": "Text exposition format", "content": {"text/plain": {}}}}}},
    "/api/v1/openapi.json": {"get": {"summary": "This document",
      "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {}}}}}}
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
        "error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}
    }
  }
})json";

}  // namespace

Response handle_openapi() {
  static const nlohmann::json document = nlohmann::json::parse(kOpenApi);
  return json_response(boost::beast::http::status::ok, document);
}

}  // namespace image_resize::http
