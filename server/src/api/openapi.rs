//! `GET /api/v1/openapi.json`: the OpenAPI 3 document of the API as implemented so far.

use axum::Json;
use serde_json::{json, Value};

fn error_response(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

/// The document. Every endpoint of `/api/v1` is listed; it grows with each feature.
pub async fn document() -> Json<Value> {
    let mut doc = json!({
        "openapi": "3.0.3",
        "info": {
            "title": "大足区司法人员与律师交往规范平台 API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "JSON API of the Dazu judicial–lawyer conduct portal (Art. 9 information-sharing platform). Errors are {\"error\": message} with a 4xx status."
        },
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "portal_session"}
            },
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
                "Role": {"type": "string", "enum": ["admin", "training_admin", "lead_handler", "coordinator", "member"]},
                "User": {"type": "object", "required": ["id", "login", "display_name", "roles", "must_change_password", "disabled"], "properties": {
                    "id": {"type": "integer"}, "login": {"type": "string"}, "display_name": {"type": "string"},
                    "unit_code": {"type": "string", "nullable": true},
                    "roles": {"type": "array", "items": {"$ref": "#/components/schemas/Role"}},
                    "must_change_password": {"type": "boolean"}, "disabled": {"type": "boolean"}
                }},
                "Subject": {"oneOf": [
                    {"type": "object", "required": ["type", "org"], "properties": {"type": {"type": "string", "enum": ["judicial_personnel"]}, "org": {"type": "string"}}},
                    {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["lawyer"]}}}
                ]},
                "RoutePreview": {"type": "object", "required": ["rule", "basis", "manual", "routes", "reason"], "properties": {
                    "rule": {"type": "string", "enum": ["R1","R2","R3","R4","R5","R6","R7","R8","R9","R10"]},
                    "basis": {"type": "string"}, "basis_zh": {"type": "string"}, "manual": {"type": "boolean"},
                    "routes": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}},
                    "reason": {"type": "string"}, "reason_en": {"type": "string"}
                }},
                "Report": {"type": "object", "required": ["subject", "summary", "details"], "properties": {
                    "subject": {"type": "object", "required": ["type", "name"], "properties": {
                        "type": {"type": "string", "enum": ["judicial_personnel", "lawyer"]}, "name": {"type": "string"}, "org": {"type": "string"},
                        "duty": {"type": "string", "enum": ["adjudication", "enforcement", "procuratorial", "investigation", "supervision"]},
                        "licence_no": {"type": "string"}, "firm": {"type": "string"}, "region": {"type": "string"}}},
                    "summary": {"type": "string", "maxLength": 200}, "details": {"type": "string", "maxLength": 10000},
                    "occurred_on": {"type": "string", "format": "date"}, "place": {"type": "string"},
                    "conduct_kind": {"type": "string", "enum": ["leaking_secrets", "introducing_cases", "accepting_benefits", "borrowing_or_renting", "intermediary_fraud", "other_improper"]},
                    "route": {"type": "integer", "minimum": 0}}},
                "LeadSummary": {"type": "object", "properties": {"id": {"type": "integer"}, "reference": {"type": "string"}, "discoverer": {"type": "string"}, "status": {"type": "string"}, "rule": {"type": "string"}, "subject_name": {"type": "string"}, "summary": {"type": "string"}, "awaiting": {"type": "array", "items": {"type": "string"}}}},
                "Attachment": {"type": "object", "properties": {"id": {"type": "integer"}, "unit": {"type": "string"}, "at": {"type": "integer"}, "display_name": {"type": "string"}, "content_type": {"type": "string"}, "size": {"type": "integer"}, "sha256": {"type": "string"}}},
                "TrainingCounts": {"type": "object", "properties": {
                    "assigned": {"type": "integer"}, "completed": {"type": "integer"}, "overdue": {"type": "integer"},
                    "attempts": {"type": "integer"}, "passed": {"type": "integer"}, "holders": {"type": "integer", "description": "people holding a valid certificate (per course)"}}},
                "TokenInfo": {"type": "object", "required": ["id", "created_at", "expires_at"], "properties": {
                    "id": {"type": "string"}, "label": {"type": "string", "nullable": true},
                    "created_at": {"type": "integer"}, "expires_at": {"type": "integer"}
                }}
            }
        },
        "security": [{"bearer": []}, {"session": []}],
        "paths": {
            "/openapi.json": {"get": {"summary": "This document", "security": [], "responses": {"200": {"description": "OpenAPI 3 document"}}}},
            "/auth/login": {"post": {
                "summary": "Sign in and receive a bearer token", "security": [],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["login", "password"], "properties": {"login": {"type": "string"}, "password": {"type": "string"}}}}}},
                "responses": {
                    "200": {"description": "Token", "content": {"application/json": {"schema": {"type": "object", "required": ["token"], "properties": {"token": {"type": "string"}}}}}},
                    "400": error_response("Malformed request"), "401": error_response("Wrong login or password"),
                    "422": error_response("Missing or mistyped field"), "429": error_response("Too many attempts")
                }
            }},
            "/auth/logout": {"post": {"summary": "Revoke the token or session used for this request", "responses": {"200": {"description": "Revoked"}, "401": error_response("Not signed in")}}},
            "/me": {"get": {"summary": "The signed-in user", "responses": {"200": {"description": "User", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}}, "401": error_response("Not signed in")}}},
            "/me/tokens": {"get": {"summary": "The caller's live API tokens", "responses": {"200": {"description": "Tokens", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/TokenInfo"}}}}}, "401": error_response("Not signed in")}}},
            "/me/tokens/{id}/revoke": {"post": {"summary": "Revoke one of the caller's API tokens",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "Revoked"}, "401": error_response("Not signed in"), "404": error_response("No such token")}}},
            "/leads": {
                "get": {"summary": "Leads the caller's unit may see (lead handlers)", "responses": {"200": {"description": "Lead summaries", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/LeadSummary"}}}}}, "401": error_response("Not signed in"), "404": error_response("Not a lead handler")}},
                "post": {"summary": "Report a lead for the caller's unit (the discoverer)",
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}},
                    "responses": {"200": {"description": "Created", "content": {"application/json": {"schema": {"type": "object", "required": ["id", "reference"], "properties": {"id": {"type": "integer"}, "reference": {"type": "string"}, "rule": {"type": "string"}, "manual": {"type": "boolean"}, "warnings": {"type": "array", "items": {"type": "string"}}}}}}},
                        "400": error_response("Malformed request"), "401": error_response("Not signed in"), "404": error_response("Not a lead handler"), "422": error_response("Invalid report")}}
            },
            "/leads/{id}": {"get": {"summary": "A case file; 404 to anyone the rules do not allow",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "Case file with allowed actions and overdue deadlines", "content": {"application/json": {"schema": {"type": "object"}}}}, "401": error_response("Not signed in"), "404": error_response("Not found")}}},
            "/leads/{id}/actions": {"post": {"summary": "Acknowledge, pass on, record findings/outcome, feed back, close, reopen, message, or (joint office) route a manual case",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["action"], "properties": {
                    "action": {"type": "string", "enum": ["route", "acknowledge", "pass_on", "findings", "outcome", "feedback", "close", "reopen", "message"]},
                    "text": {"type": "string"}, "outcomes": {"type": "array", "items": {"type": "string", "enum": ["not_substantiated", "discipline", "administrative_penalty", "industry_sanction", "criminal_referral"]}},
                    "route": {"type": "array", "items": {"type": "string"}}}}}}},
                "responses": {"200": {"description": "The updated case file", "content": {"application/json": {"schema": {"type": "object"}}}}, "401": error_response("Not signed in"), "404": error_response("Not found"), "409": error_response("Not allowed now"), "422": error_response("Invalid input")}}},
            "/leads/{id}/attachments": {"post": {"summary": "Attach a file to a lead (multipart field `file`; PDF, PNG, JPEG, TXT, DOCX, XLSX; 10 MiB per file, 30 MiB per lead)",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {"type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}}}},
                "responses": {"200": {"description": "Stored", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Attachment"}}}}, "401": error_response("Not signed in"), "404": error_response("Not found"), "413": error_response("Too large"), "422": error_response("Type or size refused")}}},
            "/leads/{id}/attachments/{att}": {"get": {"summary": "Download an attachment (404 to anyone who may not see the lead)",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}, {"name": "att", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "The file"}, "401": error_response("Not signed in"), "404": error_response("Not found")}}},
            "/dashboard": {"get": {"summary": "Article 9 figures over the leads the caller's unit may see",
                "responses": {"200": {"description": "Figures", "content": {"application/json": {"schema": {"type": "object", "properties": {
                    "total": {"type": "integer"}, "overdue_cases": {"type": "integer"},
                    "exchanges": {"type": "object", "properties": {"upcoming": {"type": "integer"}, "held": {"type": "integer"}, "attendances": {"type": "integer"}, "cancelled": {"type": "integer"}}},
                    "by_status": {"type": "object", "additionalProperties": {"type": "integer"}}, "by_rule": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "by_discoverer": {"type": "object", "additionalProperties": {"type": "integer"}}, "by_month": {"type": "object", "additionalProperties": {"type": "integer"}},
                    "median_hours_to_acknowledge": {"type": "number", "nullable": true}, "median_days_to_feedback": {"type": "number", "nullable": true},
                    "training": {"type": "object", "description": "Training figures of the units the caller may see (the joint office: the home district's units)", "properties": {
                        "units": {"type": "array", "items": {"type": "string"}}, "pass_rate": {"type": "integer", "nullable": true},
                        "total": {"$ref": "#/components/schemas/TrainingCounts"}, "by_unit": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/TrainingCounts"}}}}}}}}},
                    "401": error_response("Not signed in"), "404": error_response("Not a lead handler")}}},
            "/courses": crate::training::api_doc::openapi_path("/courses"),
            "/quizzes/{id}/attempts": crate::training::api_doc::openapi_path("/quizzes/{id}/attempts"),
            "/quizzes/{id}/practice": crate::training::api_doc::openapi_path("/quizzes/{id}/practice"),
            "/attempts/{attempt_id}/answers": crate::training::api_doc::openapi_path("/attempts/{attempt_id}/answers"),
            "/attempts/{attempt_id}/submit": crate::training::api_doc::openapi_path("/attempts/{attempt_id}/submit"),
            "/assignments": crate::training::api_doc::openapi_path("/assignments"),
            "/assignments/{id}": crate::training::api_doc::openapi_path("/assignments/{id}"),
            "/tips": {"post": {"summary": "Report a concern without signing in; the 16-digit receipt is shown once", "security": [],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "minLength": 10, "maxLength": 5000}}}}}},
                "responses": {"200": {"description": "Receipt", "content": {"application/json": {"schema": {"type": "object", "required": ["receipt"], "properties": {"receipt": {"type": "string", "pattern": "^[0-9]{16}$"}}}}}}, "400": error_response("Malformed request"), "422": error_response("Invalid text")}}},
            "/tips/{receipt}": {"get": {"summary": "Status and replies of a tip, by receipt (guesses are throttled)", "security": [],
                "parameters": [{"name": "receipt", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "Status", "content": {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "string"}, "created_at": {"type": "integer"}, "messages": {"type": "array", "items": {"type": "object"}}}}}}}, "404": error_response("Wrong receipt"), "429": error_response("Too many guesses")}}},
            "/tips/{receipt}/messages": {"post": {"summary": "The reporter adds information", "security": [],
                "parameters": [{"name": "receipt", "in": "path", "required": true, "schema": {"type": "string"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}}}},
                "responses": {"200": {"description": "Sent"}, "404": error_response("Wrong receipt"), "409": error_response("Tip closed"), "422": error_response("Invalid text"), "429": error_response("Too many guesses")}}},
            "/leads/route-preview": {"post": {
                "summary": "Which rule of Articles 6–8 applies to a lead, and its route(s)", "security": [],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["discoverer", "subject"], "properties": {"discoverer": {"type": "string"}, "subject": {"$ref": "#/components/schemas/Subject"}}}}}},
                "responses": {
                    "200": {"description": "Route preview", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RoutePreview"}}}},
                    "400": error_response("Malformed request"), "422": error_response("Unknown unit code or invalid subject")
                }
            }}
        }
    });
    if let Some(paths) = doc["paths"].as_object_mut() {
        for (path, item) in crate::events::api_doc::openapi_paths() {
            paths.insert(path.to_string(), item);
        }
    }
    // Every operation may answer with the common errors of the API ({"error": message}).
    if let Some(paths) = doc["paths"].as_object_mut() {
        for item in paths.values_mut() {
            let Some(ops) = item.as_object_mut() else {
                continue;
            };
            for op in ops.values_mut() {
                let Some(responses) = op["responses"].as_object_mut() else {
                    continue;
                };
                for (code, what) in [
                    ("400", "Malformed request (not JSON, wrong content type)"),
                    ("401", "Not signed in"),
                    ("404", "Not found, or not for this caller"),
                    ("409", "Not possible in the current state"),
                    ("413", "Body too large"),
                    ("422", "Invalid or missing fields"),
                    ("429", "Too many attempts"),
                ] {
                    responses
                        .entry(code)
                        .or_insert_with(|| error_response(what));
                }
            }
        }
    }
    if let Some(schemas) = doc["components"]["schemas"].as_object_mut() {
        for (name, schema) in crate::events::api_doc::openapi_schemas() {
            schemas.insert(name.to_string(), schema);
        }
    }
    Json(doc)
}
