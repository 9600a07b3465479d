//! The OpenAPI description of the training API: courses, quizzes and attempts (`api.rs`) and
//! assignments (`api_assignments.rs`), listed in `api/openapi.rs`.

use serde_json::{json, Value};

fn error_response(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

/// The description of the training path `path` (null for another path).
pub fn openapi_path(path: &str) -> Value {
    [quiz_paths(), assignment_paths()]
        .iter()
        .find_map(|paths| paths.get(path).cloned())
        .unwrap_or_default()
}

fn quiz_paths() -> Value {
    json!({
            "/courses": {"get": {"summary": "List the training courses with their quiz (id, questions drawn per attempt, pass mark)", "security": [],
                "responses": {"200": {"description": "Courses", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object", "required": ["id", "title_zh", "title_en", "lessons", "quiz"], "properties": {
                    "id": {"type": "string"}, "title_zh": {"type": "string"}, "title_en": {"type": "string"}, "lessons": {"type": "integer"}, "validity_months": {"type": "integer"},
                    "quiz": {"type": "object", "required": ["id", "questions", "pass_mark"], "properties": {"id": {"type": "string"}, "questions": {"type": "integer"}, "pass_mark": {"type": "integer"}, "max_attempts": {"type": "integer"}, "cooldown_minutes": {"type": "integer"}, "time_limit_minutes": {"type": "integer", "nullable": true}}}
                }}}}}}}}},
            "/quizzes/{id}/attempts": {"post": {"summary": "Start an attempt (or resume the open one): a random draw with shuffled options, never the right answers", "security": [{"bearer": []}, {"session": []}],
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The attempt", "content": {"application/json": {"schema": {"type": "object", "required": ["attempt_id", "questions"], "properties": {
                    "attempt_id": {"type": "integer"}, "resumed": {"type": "boolean"}, "started_at": {"type": "integer"}, "deadline": {"type": "integer", "nullable": true},
                    "answers": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                    "questions": {"type": "array", "items": {"type": "object", "required": ["id", "kind", "prompt", "options"], "properties": {
                        "id": {"type": "string"}, "kind": {"type": "string", "enum": ["single", "multiple", "true_false", "scenario"]}, "prompt": {"type": "string"}, "prompt_en": {"type": "string"},
                        "scenario": {"type": "string"}, "scenario_en": {"type": "string"},
                        "options": {"type": "array", "items": {"type": "object", "required": ["id", "text"], "properties": {"id": {"type": "string"}, "text": {"type": "string"}, "text_en": {"type": "string"}}}}
                    }}}
                }}}}},
                    "401": error_response("Not signed in"), "404": error_response("No such quiz"), "409": error_response("All attempts used"), "429": error_response("Cool-down between attempts")}}},
            "/quizzes/{id}/practice": {"post": {"summary": "Practise my mistakes: an attempt drawn from the questions the caller last answered wrongly (no limit, no certificate)", "security": [{"bearer": []}, {"session": []}],
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The practice attempt, shaped like /quizzes/{id}/attempts"}, "401": error_response("Not signed in"), "404": error_response("No such quiz"), "409": error_response("No mistakes to practise")}}},
            "/attempts/{attempt_id}/answers": {"post": {"summary": "Save answers of an open attempt as the learner goes", "security": [{"bearer": []}, {"session": []}],
                "parameters": [{"name": "attempt_id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["answers"], "properties": {"answers": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}}}}}},
                "responses": {"200": {"description": "Saved"}, "404": error_response("No such attempt of the caller"), "409": error_response("Submitted or past the time limit"), "422": error_response("Unknown question or option")}}},
            "/attempts/{attempt_id}/submit": {"post": {"summary": "Submit an attempt: server-side score and review; a second submit is a 409 and changes nothing", "security": [{"bearer": []}, {"session": []}],
                "parameters": [{"name": "attempt_id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["answers"], "properties": {"answers": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}}}}}},
                "responses": {"200": {"description": "Score and review", "content": {"application/json": {"schema": {"type": "object", "required": ["score", "max_score", "passed", "review"], "properties": {
                    "attempt_id": {"type": "integer"}, "score": {"type": "number"}, "max_score": {"type": "number"}, "passed": {"type": "boolean"}, "late": {"type": "boolean"},
                    "certificate": {"type": "string", "nullable": true},
                    "review": {"type": "array", "items": {"type": "object", "required": ["question_id", "correct", "correct_options", "explanation", "citations"], "properties": {
                        "question_id": {"type": "string"}, "correct": {"type": "boolean"}, "points": {"type": "number"}, "chosen": {"type": "array", "items": {"type": "string"}},
                        "correct_options": {"type": "array", "items": {"type": "string"}}, "explanation": {"type": "string"}, "explanation_en": {"type": "string"},
                        "citations": {"type": "array", "items": {"type": "string"}}
                    }}}
                }}}}},
                    "401": error_response("Not signed in"), "404": error_response("No such attempt of the caller"), "409": error_response("Already submitted"), "422": error_response("Unknown question or option")}}}
    })
}

fn assignment_paths() -> Value {
    let assignment = json!({"type": "object", "required": ["id", "unit", "course_id", "target", "due_at", "due"], "properties": {
        "id": {"type": "integer"}, "unit": {"type": "string"}, "course_id": {"type": "string"},
        "target": {"type": "string", "description": "unit, role:<role> or people"},
        "people": {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"}, "login": {"type": "string"}, "name": {"type": "string"}}}},
        "due_at": {"type": "integer", "description": "Unix ms, end of the due day in Beijing"}, "due": {"type": "string", "format": "date"},
        "created_at": {"type": "integer"}, "assigned": {"type": "integer"}, "completed": {"type": "integer"}, "overdue": {"type": "integer"}}});
    let id = json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}]);
    json!({
        "/assignments": {
            "get": {"summary": "The caller's required courses with due dates and status; for a unit's training administrator also the unit's assignments with completion counts",
                "responses": {"200": {"description": "Required courses and assignments", "content": {"application/json": {"schema": {"type": "object", "required": ["required"], "properties": {
                    "unit": {"type": "string", "nullable": true},
                    "required": {"type": "array", "items": {"type": "object", "properties": {
                        "course_id": {"type": "string"}, "title_zh": {"type": "string"}, "title_en": {"type": "string"},
                        "due_at": {"type": "integer"}, "due": {"type": "string", "format": "date"},
                        "status": {"type": "string", "enum": ["done", "pending", "overdue"]}, "certificate": {"type": "string", "nullable": true}}}},
                    "assignments": {"type": "array", "items": assignment.clone()}}}}}},
                    "401": error_response("Not signed in")}},
            "post": {"summary": "Assign a course to the caller's unit, a role in it or selected people of it, with a due date (training administrators)",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["course_id", "target", "due"], "properties": {
                    "course_id": {"type": "string"}, "target": {"type": "string", "description": "unit, role:<role> (admin, training_admin, lead_handler, coordinator, member) or people"},
                    "people": {"type": "array", "items": {"type": "integer"}, "description": "user ids of the unit, for target people"},
                    "due": {"type": "string", "format": "date"}}}}}},
                "responses": {"201": {"description": "Created", "content": {"application/json": {"schema": assignment.clone()}}},
                    "400": error_response("Malformed request"), "401": error_response("Not signed in"), "404": error_response("Not a training administrator"), "422": error_response("Unknown course, person outside the unit, unknown target or bad date")}}
        },
        "/assignments/{id}": {
            "patch": {"summary": "Move the due date of an assignment of the caller's unit", "parameters": id.clone(),
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["due"], "properties": {"due": {"type": "string", "format": "date"}}}}}},
                "responses": {"200": {"description": "Updated", "content": {"application/json": {"schema": assignment}}},
                    "401": error_response("Not signed in"), "404": error_response("No such assignment in the caller's unit"), "422": error_response("Bad date")}},
            "delete": {"summary": "Delete an assignment of the caller's unit", "parameters": id,
                "responses": {"200": {"description": "Deleted", "content": {"application/json": {"schema": {"type": "object", "properties": {"deleted": {"type": "integer"}}}}}},
                    "401": error_response("Not signed in"), "404": error_response("No such assignment in the caller's unit")}}
        }
    })
}
