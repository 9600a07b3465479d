-- Training (Art. 10-11): lesson completion, quiz attempts and certificates. Course content lives
-- in content/courses/ and is referenced here by its ids. The drawn questions, their option order
-- and the saved answers of an attempt are JSON, so that a reload resumes the same attempt.
CREATE TABLE lesson_progress (
    user_id      BIGINT NOT NULL REFERENCES users(id),
    lesson_id    TEXT NOT NULL,
    completed_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, lesson_id)
);

CREATE TABLE quiz_attempts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    quiz_id       TEXT NOT NULL,
    user_id       BIGINT NOT NULL REFERENCES users(id),
    started_at    BIGINT NOT NULL,
    submitted_at  BIGINT,
    question_ids  TEXT NOT NULL,
    option_orders TEXT NOT NULL,
    answers       TEXT NOT NULL,
    score         DOUBLE PRECISION,
    max_score     DOUBLE PRECISION,
    passed        BIGINT NOT NULL DEFAULT 0,
    -- 'exam' counts towards the limit and earns a certificate; 'practice' (my mistakes) does not.
    mode          TEXT NOT NULL DEFAULT 'exam'
);
CREATE INDEX quiz_attempts_user ON quiz_attempts(user_id, quiz_id, mode, started_at);

CREATE TABLE certificates (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    code       TEXT NOT NULL UNIQUE,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    course_id  TEXT NOT NULL,
    attempt_id BIGINT NOT NULL REFERENCES quiz_attempts(id),
    issued_at  BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX certificates_user ON certificates(user_id, course_id);

-- Courses a unit's training administrator requires, with a due date: for the whole unit
-- ('unit'), for the unit's holders of a role ('role:<role>') or for selected people ('people',
-- listed in training_assignees). Unit and role targets are resolved when read, so people who
-- join later are included.
CREATE TABLE training_assignments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_code  TEXT NOT NULL REFERENCES units(code),
    course_id  TEXT NOT NULL,
    target     TEXT NOT NULL,
    due_at     BIGINT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX training_assignments_unit ON training_assignments(unit_code, due_at);

CREATE TABLE training_assignees (
    assignment_id BIGINT NOT NULL REFERENCES training_assignments(id),
    user_id       BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (assignment_id, user_id)
);
