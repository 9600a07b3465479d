//! The training administrator's page `/training-admin`: the unit's assignments and who has
//! completed them, the forms that assign a course, move a due date or delete an assignment,
//! and the completion export `/training-admin/report.csv`. Forms become
//! [`AssignmentCommand`]s for the service.

use app::pages::training::{AdminView, AssignmentRow, Bi, ProgressRow, TrainingView};
use app::refusals::Localize;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::training::AssignmentRefusal;
use store::attempts::{Member, Target};
use store::users::Role;

use super::labels::{bi, course_title, date};
use super::service::{self, unit_progress, AssignmentCommand, Standing, TrainingError};
use crate::error::AppError;
use crate::page::{redirect, value, values, view, FormPairs, Page, PageError, PageId};
use crate::state::AppState;
use app::forms::FormErrors;
use app::pages::training::assignment_field;

/// The unit of a training administrator: anonymous → sign in; without the role → the audited
/// 404; a training administrator of no unit → the 404 page.
fn administered_unit(page: &Page) -> Result<String, PageError> {
    page.role(Role::TrainingAdmin)?
        .unit_code
        .clone()
        .ok_or(PageError::NotFound)
}

fn role_label(r: Role) -> (&'static str, &'static str) {
    match r {
        Role::Admin => ("系统管理员", "System administrators"),
        Role::TrainingAdmin => ("培训管理员", "Training administrators"),
        Role::LeadHandler => ("线索办理人员", "Lead handlers"),
        Role::Coordinator => ("交流活动协调人", "Event coordinators"),
        Role::Member => ("一般人员", "Members"),
    }
}

fn role_bi(r: Role) -> Bi {
    let (zh, en) = role_label(r);
    Bi::new(format!("角色：{zh}"), format!("Role: {en}"))
}

fn target_label(t: &Target, members: &[Member]) -> Bi {
    match t {
        Target::Unit => bi("本单位全体人员", "Everyone in the unit"),
        Target::Role(r) => role_bi(*r),
        Target::People(ids) => {
            let names: Vec<String> = members
                .iter()
                .filter(|m| ids.contains(&m.id))
                .map(|m| m.display_name.clone())
                .collect();
            Bi::new(names.join("、"), names.join(", "))
        }
    }
}

async fn admin_view(
    state: &AppState,
    unit: &str,
    error: Option<AssignmentRefusal>,
    status: Option<Bi>,
) -> Result<AdminView, PageError> {
    let progress = unit_progress(state, unit).await?;
    let members = &progress.members;
    let dir = store::units::load_directory(&state.db).await?;
    let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
    let hours = store::events::attended_hours(&state.db, &ids).await?;
    Ok(AdminView {
        unit: dir
            .get(unit)
            .map(|u| u.name_zh.clone())
            .unwrap_or_else(|| unit.to_string()),
        courses: state
            .courses
            .courses
            .iter()
            .map(|lc| (lc.course.id.clone(), course_title(state, &lc.course.id)))
            .collect(),
        members: members
            .iter()
            .map(|m| (m.id, m.display_name.clone()))
            .collect(),
        roles: Role::ALL
            .iter()
            .map(|r| (format!("role:{}", r.as_str()), role_bi(*r)))
            .collect(),
        assignments: progress
            .assignments
            .iter()
            .map(|(a, learners)| AssignmentRow {
                id: a.id,
                course: course_title(state, &a.course_id),
                target: target_label(&a.target, members),
                due: date(a.due_at),
                rows: learners
                    .iter()
                    .map(|l| ProgressRow {
                        name: l.member.display_name.clone(),
                        login: l.member.login.clone(),
                        status: l.standing.code(),
                        detail: l.certified_at.map(date).unwrap_or_default(),
                    })
                    .collect(),
            })
            .collect(),
        // This page has always shown the refusals of its forms in both languages.
        errors: error
            .map(|r| FormErrors::one(assignment_field(&r), r.both()))
            .unwrap_or_default(),
        status,
        exchange_hours: members
            .iter()
            .map(|m| {
                (
                    m.display_name.clone(),
                    m.login.clone(),
                    hours.get(&m.id).copied().unwrap_or(0.0),
                )
            })
            .collect(),
    })
}

/// `GET /training-admin`: the unit's assignments and who has completed them.
pub async fn admin_page(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    let unit = administered_unit(&page)?;
    let status = match (
        page.query_value("created").as_str(),
        page.query_value("status").as_str(),
    ) {
        ("1", _) => Some(bi("已布置。", "Assigned.")),
        (_, "due-changed") => Some(bi("截止日期已修改。", "The due date has been changed.")),
        (_, "deleted") => Some(bi("培训任务已删除。", "The assignment has been deleted.")),
        _ => None,
    };
    let error = (page.query_value("error") == "due").then_some(AssignmentRefusal::DueDate);
    let admin = admin_view(&state, &unit, error, status).await?;
    Ok(view(TrainingView::Admin(admin)).into_response())
}

/// `POST /training-admin`: assigns a course to the unit, a role or selected people; a refusal
/// shows the page again with the reason (422).
pub async fn admin_assign(
    State(state): State<AppState>,
    page: Page,
    FormPairs(pairs): FormPairs,
) -> Result<Response, PageError> {
    let unit = administered_unit(&page)?;
    let command = AssignmentCommand::Create {
        course: value(&pairs, "course"),
        target: value(&pairs, "target"),
        people: values(&pairs, "person")
            .iter()
            .filter_map(|v| v.parse().ok())
            .collect(),
        due: value(&pairs, "due"),
    };
    match service::run_assignment(&state, &page.caller, command).await {
        Ok(_) => Ok(redirect("/training-admin?created=1")),
        Err(TrainingError::Assignment(refusal)) => {
            let admin = admin_view(&state, &unit, Some(refusal), None).await?;
            Err(PageError::Invalid(
                view(TrainingView::Admin(admin)).status(StatusCode::UNPROCESSABLE_ENTITY),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /training-admin/assignments/{id}/due`: moves the due date of an assignment of the
/// administrator's unit (anyone else's: the 404 page).
pub async fn admin_set_due(
    State(state): State<AppState>,
    page: Page,
    PageId(id): PageId,
    FormPairs(pairs): FormPairs,
) -> Result<Response, PageError> {
    administered_unit(&page)?;
    let command = AssignmentCommand::SetDue {
        id,
        due: value(&pairs, "due"),
    };
    match service::run_assignment(&state, &page.caller, command).await {
        Ok(_) => Ok(redirect("/training-admin?status=due-changed")),
        Err(TrainingError::Assignment(_)) => Ok(redirect("/training-admin?error=due")),
        Err(e) => Err(e.into()),
    }
}

/// `POST /training-admin/assignments/{id}/delete`: deletes an assignment of the
/// administrator's unit (anyone else's: the 404 page).
pub async fn admin_delete(
    State(state): State<AppState>,
    page: Page,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    administered_unit(&page)?;
    service::run_assignment(&state, &page.caller, AssignmentCommand::Delete { id }).await?;
    Ok(redirect("/training-admin?status=deleted"))
}

/// `GET /training-admin/report.csv`: completion per person and assignment, UTF-8 with BOM so
/// that Excel opens the Chinese text correctly.
pub async fn admin_csv(State(state): State<AppState>, page: Page) -> Result<Response, PageError> {
    let unit = administered_unit(&page)?;
    let progress = unit_progress(&state, &unit).await?;
    let ids: Vec<i64> = progress.members.iter().map(|m| m.id).collect();
    let hours = store::events::attended_hours(&state.db, &ids).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut ok = w
        .write_record([
            "姓名",
            "账号",
            "课程",
            "截止日期",
            "状态",
            "完成日期",
            "交流活动学时",
        ])
        .is_ok();
    for (a, learners) in &progress.assignments {
        let title = course_title(&state, &a.course_id).zh;
        for l in learners {
            let m = &l.member;
            let s = match l.standing {
                Standing::Done => "已完成",
                Standing::Overdue => "已逾期",
                Standing::Pending => "未完成",
            };
            ok &= w
                .write_record([
                    m.display_name.as_str(),
                    &m.login,
                    &title,
                    &date(a.due_at),
                    s,
                    &l.certified_at.map(date).unwrap_or_default(),
                    &hours.get(&m.id).copied().unwrap_or(0.0).to_string(),
                ])
                .is_ok();
        }
    }
    Ok(match w.into_inner() {
        Ok(bytes) if ok => crate::page::excel_csv(bytes, "training-report.csv"),
        _ => AppError::BadRequest("export failed".into()).into_response(),
    })
}
