//! The OpenAPI description of the event API (merged into `/api/v1/openapi.json`).

use serde_json::{json, Value};

fn err(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

fn id_param() -> Value {
    json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}])
}

fn body(schema: Value) -> Value {
    json!({"required": true, "content": {"application/json": {"schema": schema}}})
}

fn ok(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

/// The event schemas for the OpenAPI document.
pub fn openapi_schemas() -> Vec<(&'static str, Value)> {
    vec![
        (
            "EventIn",
            json!({"type": "object", "required": ["title", "kind", "starts_at", "ends_at", "venue", "capacity", "registration_deadline", "open_to"], "properties": {
                "title": {"type": "string", "maxLength": 100},
                "kind": {"type": "string", "enum": ["symposium", "seminar", "joint_training", "other"]},
                "agenda": {"type": "string", "maxLength": 5000, "description": "Markdown; sanitised when shown"},
                "venue": {"type": "string", "description": "An official venue's name, or another place (flagged)"},
                "venue_id": {"type": "integer", "nullable": true},
                "starts_at": {"type": "string", "format": "date-time", "description": "RFC 3339, e.g. 2026-12-01T09:00:00+08:00"},
                "ends_at": {"type": "string", "format": "date-time"},
                "capacity": {"type": "integer", "minimum": 1, "maximum": 10000},
                "registration_deadline": {"type": "string", "format": "date-time"},
                "open_to": {"type": "array", "items": {"type": "string"}, "description": "Unit codes whose members may register"},
                "cohosts": {"type": "array", "items": {"type": "string"}, "description": "Association unit codes invited to co-host"}
            }}),
        ),
        (
            "Event",
            json!({"type": "object", "required": ["id", "uid", "sequence", "title", "kind", "status", "venue", "starts_at", "ends_at", "capacity", "registered", "waitlisted", "host", "hosts", "open_to"], "properties": {
                "id": {"type": "integer"}, "uid": {"type": "string"}, "sequence": {"type": "integer"},
                "title": {"type": "string"}, "kind": {"type": "string"},
                "status": {"type": "string", "enum": ["draft", "published", "held", "closed", "cancelled"]},
                "agenda": {"type": "string"}, "venue": {"type": "string"},
                "starts_at": {"type": "string", "format": "date-time"}, "ends_at": {"type": "string", "format": "date-time"},
                "registration_deadline": {"type": "string", "format": "date-time"},
                "capacity": {"type": "integer"}, "registered": {"type": "integer"}, "waitlisted": {"type": "integer"},
                "host": {"type": "string"}, "hosts": {"type": "array", "items": {"type": "string"}},
                "open_to": {"type": "array", "items": {"type": "string"}},
                "cancel_reason": {"type": "string"}, "summary": {"type": "string"},
                "flags": {"type": "array", "items": {"type": "string", "enum": ["outside_working_hours", "non_official_venue", "venue_overlap"]}},
                "invitations": {"type": "array", "items": {"type": "object"}},
                "my_registration": {"type": "object", "nullable": true}
            }}),
        ),
    ]
}

/// The event paths for the OpenAPI document.
pub fn openapi_paths() -> Vec<(&'static str, Value)> {
    let event = json!({"$ref": "#/components/schemas/Event"});
    let status_obj = json!({"type": "object", "properties": {"id": {"type": "integer"}, "status": {"type": "string"}}});
    vec![
        (
            "/events",
            json!({
                "get": {"summary": "Published exchange events that have not ended", "security": [],
                    "responses": {"200": ok("Events", json!({"type": "array", "items": event}))}},
                "post": {"summary": "Create a draft event (a coordinator of an association; the host is the caller's association)",
                    "requestBody": body(json!({"$ref": "#/components/schemas/EventIn"})),
                    "responses": {"200": ok("Created", json!({"type": "object", "required": ["id", "flags"], "properties": {"id": {"type": "integer"}, "status": {"type": "string"}, "flags": {"type": "array", "items": {"type": "string"}}, "needs_approval": {"type": "boolean"}}})),
                        "400": err("Malformed request"), "401": err("Not signed in"), "404": err("Not a coordinator"), "422": err("Invalid fields")}}
            }),
        ),
        (
            "/events/{id}",
            json!({
                "get": {"summary": "One event (drafts only for their hosts)", "parameters": id_param(),
                    "responses": {"200": ok("Event", event.clone()), "404": err("Not found")}},
                "put": {"summary": "Edit a draft or published event (the host's coordinators); registrants are told of a new time or venue", "parameters": id_param(),
                    "requestBody": body(json!({"$ref": "#/components/schemas/EventIn"})),
                    "responses": {"200": ok("Saved", json!({"type": "object", "properties": {"id": {"type": "integer"}, "flags": {"type": "array", "items": {"type": "string"}}}})),
                        "401": err("Not signed in"), "404": err("Not found"), "409": err("Not editable"), "422": err("Invalid fields")}}
            }),
        ),
        (
            "/events/{id}/publish",
            json!({"post": {"summary": "Publish a draft; refused while a compliance flag needs an approval record", "parameters": id_param(),
            "responses": {"200": ok("Published", status_obj.clone()), "401": err("Not signed in"), "404": err("Not found"), "409": err("Refused, with the reason")}}}),
        ),
        (
            "/events/{id}/approval",
            json!({"post": {"summary": "Record the approval of a flagged event", "parameters": id_param(),
            "requestBody": body(json!({"type": "object", "required": ["approved_by", "reference", "approved_on"], "properties": {"approved_by": {"type": "string", "maxLength": 100}, "reference": {"type": "string", "maxLength": 100}, "approved_on": {"type": "string", "format": "date"}}})),
            "responses": {"200": ok("Recorded", json!({"type": "object"})), "401": err("Not signed in"), "404": err("Not found"), "409": err("Not editable"), "422": err("Invalid fields")}}}),
        ),
        (
            "/events/{id}/cancel",
            json!({"post": {"summary": "Cancel with a reason; everyone registered is notified", "parameters": id_param(),
            "requestBody": body(json!({"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string", "maxLength": 300}}})),
            "responses": {"200": ok("Cancelled", status_obj.clone()), "401": err("Not signed in"), "404": err("Not found"), "409": err("Cannot be cancelled"), "422": err("Invalid reason")}}}),
        ),
        (
            "/events/{id}/held",
            json!({"post": {"summary": "Mark a published event as held (after it starts)", "parameters": id_param(),
            "responses": {"200": ok("Held", status_obj.clone()), "401": err("Not signed in"), "404": err("Not found"), "409": err("Not yet")}}}),
        ),
        (
            "/events/{id}/summary",
            json!({"post": {"summary": "The public summary of a held event; close=true closes it", "parameters": id_param(),
            "requestBody": body(json!({"type": "object", "required": ["summary"], "properties": {"summary": {"type": "string", "maxLength": 2000}, "close": {"type": "boolean"}}})),
            "responses": {"200": ok("Saved", status_obj), "401": err("Not signed in"), "404": err("Not found"), "409": err("Not held"), "422": err("Invalid summary")}}}),
        ),
        (
            "/events/{id}/registrations",
            json!({
                "post": {"summary": "Register the caller: a place while there is one, else the waitlist", "parameters": id_param(),
                    "requestBody": {"required": false, "content": {"application/json": {"schema": {"type": "object", "properties": {"has_case": {"type": "boolean"}, "case_note": {"type": "string", "maxLength": 500}}}}}},
                    "responses": {"200": ok("Placed", json!({"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["registered", "waitlisted"]}}})),
                        "401": err("Not signed in"), "404": err("Not found"), "409": err("Closed, not open to the caller's unit, or not published"), "422": err("Invalid declaration")}},
                "delete": {"summary": "Cancel the caller's registration; the waitlist moves up in order", "parameters": id_param(),
                    "responses": {"200": ok("Cancelled", json!({"type": "object", "properties": {"status": {"type": "string"}}})), "401": err("Not signed in"), "404": err("Not found"), "409": err("Not registered")}},
                "get": {"summary": "Registrations with declarations (the host's coordinators)", "parameters": id_param(),
                    "responses": {"200": ok("Registrations", json!({"type": "object"})), "401": err("Not signed in"), "404": err("Not found")}}
            }),
        ),
        (
            "/events/{id}/checkin",
            json!({"post": {"summary": "Check in with the code shown at the venue", "parameters": id_param(),
            "requestBody": body(json!({"type": "object", "required": ["code"], "properties": {"code": {"type": "string"}}})),
            "responses": {"200": ok("Checked in", json!({"type": "object"})), "401": err("Not signed in"), "404": err("Not found"), "409": err("Wrong code, outside the window, or no place")}}}),
        ),
        (
            "/events/{id}/attendance",
            json!({"post": {"summary": "Mark a registered member's attendance (the host's coordinators)", "parameters": id_param(),
            "requestBody": body(json!({"type": "object", "required": ["user_id", "attended"], "properties": {"user_id": {"type": "integer"}, "attended": {"type": "boolean"}}})),
            "responses": {"200": ok("Marked", json!({"type": "object"})), "401": err("Not signed in"), "404": err("Not found"), "409": err("No place or not open")}}}),
        ),
        (
            "/events/{id}/invitation",
            json!({"post": {"summary": "Accept or decline the invitation to co-host (a coordinator of the invited association)", "parameters": id_param(),
            "requestBody": body(json!({"type": "object", "required": ["accept"], "properties": {"accept": {"type": "boolean"}}})),
            "responses": {"200": ok("Answered", json!({"type": "object"})), "401": err("Not signed in"), "404": err("Not found"), "409": err("No pending invitation")}}}),
        ),
        (
            "/events/{id}/invitations/remind",
            json!({"post": {"summary": "Remind an invited association (the host's coordinators)", "parameters": id_param(),
            "requestBody": body(json!({"type": "object", "required": ["unit"], "properties": {"unit": {"type": "string"}}})),
            "responses": {"200": ok("Reminded", json!({"type": "object"})), "401": err("Not signed in"), "404": err("Not found"), "409": err("No pending invitation")}}}),
        ),
        (
            "/notifications",
            json!({"get": {"summary": "The caller's latest notifications and unread count",
            "responses": {"200": ok("Notifications", json!({"type": "object", "properties": {"unread": {"type": "integer"}, "notifications": {"type": "array", "items": {"type": "object"}}}})), "401": err("Not signed in")}}}),
        ),
        (
            "/notifications/read",
            json!({"post": {"summary": "Mark all notifications read",
            "responses": {"200": ok("Marked", json!({"type": "object", "properties": {"marked": {"type": "integer"}}})), "401": err("Not signed in")}}}),
        ),
        (
            "/exchanges",
            json!({"get": {"summary": "The public register of held exchanges (participants by kind of unit, no names)", "security": [],
            "parameters": [{"name": "association", "in": "query", "required": false, "schema": {"type": "string"}}, {"name": "year", "in": "query", "required": false, "schema": {"type": "string"}}],
            "responses": {"200": ok("Register", json!({"type": "array", "items": {"type": "object"}}))}}}),
        ),
    ]
}
