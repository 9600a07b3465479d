//! The training administrator's page `/training-admin`: the unit's assignments with their
//! counts and a paged, searchable list of the people not yet done (small however large the
//! unit), the forms that assign a course, move a due date or delete an assignment,
//! and the completion export `/training-admin/report.csv`. Forms become
//! [`AssignmentCommand`]s for the service.

use app::pages::training::{AdminView, AssignmentRow, Bi, PendingPage, PendingRow, TrainingView};
use app::refusals::Localize;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::directory::Unit;
use domain::training::AssignmentRefusal;
use store::attempts::Target;
use store::users::Role;

use super::labels::{bi, course_title, date};
use super::service::{
    self, unit_progress, AssignmentCommand, Learner, Standing, TrainingError, UnitProgress,
};
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

fn target_label(t: &Target, learners: &[Learner], firms: &[Unit]) -> Bi {
    match t {
        Target::Unit => bi("本单位全体人员", "Everyone in the unit"),
        Target::Role(r) => role_bi(*r),
        Target::People(_) => {
            let names: Vec<String> = learners
                .iter()
                .map(|l| l.member.display_name.clone())
                .collect();
            Bi::new(names.join("、"), names.join(", "))
        }
        Target::DistrictLawyers => district_lawyers_label(),
        Target::Firm(code) => {
            let name = firms
                .iter()
                .find(|f| &f.code == code)
                .map(|f| (f.name_zh.clone(), f.name_en.clone()))
                .unwrap_or_else(|| (code.clone(), code.clone()));
            Bi::new(
                format!("{}全体律师（第十一条）", name.0),
                format!("The lawyers of {} (Art. 11)", name.1),
            )
        }
    }
}

fn district_lawyers_label() -> Bi {
    bi(
        "本区律师事务所全体律师（第十一条）",
        "Every lawyer of the district's law firms (Art. 11)",
    )
}

/// The Art. 11 choices of the district justice bureau and lawyers' association: every lawyer
/// of the district's firms, or one firm's.
fn art11_targets(firms: &[Unit]) -> Vec<(String, Bi)> {
    if firms.is_empty() {
        return Vec::new();
    }
    let mut out = vec![("district_lawyers".to_string(), district_lawyers_label())];
    out.extend(firms.iter().map(|f| {
        (
            format!("firm:{}", f.code),
            Bi::new(
                format!("律师事务所：{}", f.name_zh),
                format!("Law firm: {}", f.name_en),
            ),
        )
    }));
    out
}

/// Rows per page of the people not yet done, of the people offered for selection and of the
/// exchange hours: the page stays small however large the unit (the CSV has everyone).
pub const PAGE_SIZE: usize = 50;

/// What the administrator's page is asked to show: the name searched among the people not
/// yet done (`q`) and its page (1-based), and the name searched among the people to select.
#[derive(Clone, Debug, Default)]
pub struct AdminQuery {
    pub q: String,
    pub page: usize,
    pub who: String,
}

impl AdminQuery {
    fn of(page: &Page) -> AdminQuery {
        AdminQuery {
            q: page.query_value("q").trim().chars().take(64).collect(),
            page: page.query_value("page").parse().unwrap_or(1).max(1),
            who: page.query_value("who").trim().chars().take(64).collect(),
        }
    }
}

/// Whether `name` or `login` contains `query` (any case; an empty query matches everyone).
fn matches(query: &str, name: &str, login: &str) -> bool {
    let q = query.to_lowercase();
    q.is_empty() || name.to_lowercase().contains(&q) || login.to_lowercase().contains(&q)
}

/// The people not yet done (pending, overdue, or due for renewal) matching `q`, page `page`.
fn pending_page(state: &AppState, progress: &UnitProgress, q: &str, page: usize) -> PendingPage {
    let all: Vec<PendingRow> = progress
        .assignments
        .iter()
        .flat_map(|(a, learners)| {
            let course = course_title(state, &a.course_id);
            let due = date(a.due_at);
            learners
                .iter()
                .filter(|l| l.standing != Standing::Done || l.renewal)
                .filter(|l| matches(q, &l.member.display_name, &l.member.login))
                .map(move |l| PendingRow {
                    name: l.member.display_name.clone(),
                    login: l.member.login.clone(),
                    course: course.clone(),
                    due: due.clone(),
                    status: if l.renewal {
                        "renewal"
                    } else {
                        l.standing.code()
                    },
                })
        })
        .collect();
    let total = all.len();
    let pages = total.div_ceil(PAGE_SIZE);
    let page = page.clamp(1, pages.max(1));
    PendingPage {
        rows: all
            .into_iter()
            .skip((page - 1) * PAGE_SIZE)
            .take(PAGE_SIZE)
            .collect(),
        total,
        page,
        pages,
        query: q.to_string(),
    }
}

async fn admin_view(
    state: &AppState,
    unit: &str,
    query: &AdminQuery,
    error: Option<AssignmentRefusal>,
    status: Option<Bi>,
) -> Result<AdminView, PageError> {
    // Shared by the views of the next half minute (see `snapshot`): the page is cut from it.
    let snapshot = state.training_snapshots.get(state, unit).await?;
    let progress = &snapshot.progress;
    let hours = &snapshot.hours;
    let members = &progress.members;
    let dir = store::units::load_directory(&state.db).await?;
    let selectable: Vec<(i64, String, &str)> = members
        .iter()
        .map(|m| (m.id, m.display_name.clone(), m.login.as_str()))
        .chain(progress.lawyers.iter().map(|(m, firm)| {
            let firm = dir.get(firm).map(|f| f.name_zh.as_str()).unwrap_or(firm);
            (
                m.id,
                format!("{}（{firm}）", m.display_name),
                m.login.as_str(),
            )
        }))
        .collect();
    let mut exchange_hours: Vec<(String, String, f64)> = members
        .iter()
        .map(|m| {
            (
                m.display_name.clone(),
                m.login.clone(),
                hours.get(&m.id).copied().unwrap_or(0.0),
            )
        })
        .collect();
    exchange_hours.sort_by(|a, b| b.2.total_cmp(&a.2));
    exchange_hours.truncate(PAGE_SIZE);
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
        members_total: selectable.len(),
        members: selectable
            .iter()
            .filter(|(_, name, login)| matches(&query.who, name, login))
            .take(PAGE_SIZE)
            .map(|(id, name, _)| (*id, name.clone()))
            .collect(),
        picker_query: query.who.clone(),
        roles: Role::ALL
            .iter()
            .map(|r| (format!("role:{}", r.as_str()), role_bi(*r)))
            .chain(art11_targets(&progress.firms))
            .collect(),
        assignments: progress
            .assignments
            .iter()
            .map(|(a, learners)| {
                let n = |f: &dyn Fn(&Learner) -> bool| learners.iter().filter(|l| f(l)).count();
                AssignmentRow {
                    id: a.id,
                    course: course_title(state, &a.course_id),
                    target: target_label(&a.target, learners, &progress.firms),
                    due: date(a.due_at),
                    assigned: learners.len(),
                    done: n(&|l| l.standing == Standing::Done),
                    overdue: n(&|l| l.standing == Standing::Overdue),
                    renewal: n(&|l| l.renewal),
                }
            })
            .collect(),
        pending: pending_page(state, progress, &query.q, query.page),
        figures_at: crate::time::format_beijing(snapshot.taken_at),
        figures_max_age: state.config.training_figures_secs,
        // This page has always shown the refusals of its forms in both languages.
        errors: error
            .map(|r| FormErrors::one(assignment_field(&r), r.both()))
            .unwrap_or_default(),
        status,
        exchange_hours,
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
    let admin = admin_view(&state, &unit, &AdminQuery::of(&page), error, status).await?;
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
            let query = AdminQuery::default();
            let admin = admin_view(&state, &unit, &query, Some(refusal), None).await?;
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
    // Every learner (lawyers of an Art. 11 assignment too), once.
    let mut ids: Vec<i64> = progress
        .assignments
        .iter()
        .flat_map(|(_, l)| l.iter().map(|l| l.member.id))
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let hours = store::events::attended_hours(&state.db, &ids).await?;
    let mut sheet = crate::csv_sheet::Sheet::default();
    sheet.row([
        "姓名",
        "账号",
        "课程",
        "截止日期",
        "状态",
        "完成日期",
        "交流活动学时",
    ]);
    for (a, learners) in &progress.assignments {
        let title = course_title(&state, &a.course_id).zh;
        for l in learners {
            let m = &l.member;
            let s = match l.standing {
                Standing::Done if l.renewal => "需更新",
                Standing::Done => "已完成",
                Standing::Overdue => "已逾期",
                Standing::Pending => "未完成",
            };
            sheet.row([
                m.display_name.as_str(),
                &m.login,
                &title,
                &date(a.due_at),
                s,
                &l.certified_at.map(date).unwrap_or_default(),
                &hours.get(&m.id).copied().unwrap_or(0.0).to_string(),
            ]);
        }
    }
    Ok(sheet.into_response("training-report.csv"))
}
