//! Training pages (Articles 10–11): catalogue, course, lesson, quiz, review and public
//! certificate verification.
//!
//! The server loads everything (`server/src/training.rs`) and provides one [`TrainingView`];
//! these components only render it. Every page is a plain form or link, so it works without
//! WebAssembly, and a quiz page carries the questions and options but never which are right.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::{current_lang, Lang};

use super::training_admin::status_label;
pub use super::training_admin::{
    assignment_field, AdminView, AssignmentRow, PendingPage, PendingRow,
};

/// A text in both languages.
#[derive(Clone, Debug, Default)]
pub struct Bi {
    pub zh: String,
    pub en: String,
}

impl Bi {
    /// Both languages.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Bi {
        Bi {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> String {
        lang.pick(&self.zh, &self.en).to_string()
    }
}

/// A link to something cited.
#[derive(Clone, Debug)]
pub struct CiteLink {
    pub href: String,
    pub label: Bi,
}

/// A certificate held by the signed-in user.
#[derive(Clone, Debug)]
pub struct CertBadge {
    pub code: String,
    pub valid_until: String,
    pub valid: bool,
    /// A later version of the regulation changes an article the course cites: the holder
    /// should take the updated course again.
    pub renewal: bool,
}

/// A course in the catalogue.
#[derive(Clone, Debug)]
pub struct CourseCard {
    pub id: String,
    pub title: Bi,
    pub summary: Bi,
    pub lessons: usize,
    /// Lessons completed by the signed-in user (0 when anonymous).
    pub done: usize,
    pub minutes: u32,
    pub questions: u32,
    pub pass_mark: u32,
    pub certificate: Option<CertBadge>,
    /// Required of the signed-in user by an assignment.
    pub required: Option<Required>,
}

/// A required course's state for its learner.
#[derive(Clone, Debug)]
pub struct Required {
    pub due: String,
    pub overdue: bool,
    pub done: bool,
}

/// A lesson in a course's list.
#[derive(Clone, Debug)]
pub struct LessonRow {
    pub href: String,
    pub title: Bi,
    pub minutes: u32,
    pub done: bool,
}

/// The quiz of a course, as its page shows it.
#[derive(Clone, Debug)]
pub struct QuizInfo {
    pub href: String,
    pub draw: u32,
    pub pass_mark: u32,
    pub max_attempts: u32,
    pub cooldown_minutes: u32,
    pub time_limit_minutes: Option<u32>,
    pub attempts_used: usize,
    /// "Practise my mistakes", when there are mistakes to practise.
    pub practice_href: Option<String>,
    /// Per-question statistics, for training administrators.
    pub stats_href: Option<String>,
    /// Review links of submitted attempts: (href, "8.0 / 10").
    pub results: Vec<(String, String, bool)>,
}

/// Data of `/training/{course}`.
#[derive(Clone, Debug)]
pub struct CourseDetail {
    pub title: Bi,
    pub summary: Bi,
    pub lessons: Vec<LessonRow>,
    pub done: usize,
    pub signed_in: bool,
    /// The first lesson not yet completed (or the first lesson).
    pub continue_href: Option<String>,
    pub quiz: QuizInfo,
    pub certificate: Option<CertBadge>,
    /// Cited articles changed since the course was written: the course is under review.
    pub review: Vec<u32>,
}

/// Data of `/training/{course}/{lesson}`.
#[derive(Clone, Debug)]
pub struct LessonDetail {
    pub course_href: String,
    pub course_title: Bi,
    pub title: Bi,
    pub html: Bi,
    pub cites: Vec<CiteLink>,
    pub minutes: u32,
    pub done: bool,
    pub signed_in: bool,
    /// Where the completion form posts.
    pub action: String,
    pub prev: Option<(String, Bi)>,
    pub next: Option<(String, Bi)>,
}

/// A verified certificate.
#[derive(Clone, Debug)]
pub struct Verified {
    pub code: String,
    pub holder: String,
    pub course: Bi,
    pub issued: String,
    pub valid_until: String,
    pub valid: bool,
    /// Valid, but an article the course cites has changed since: renewal due.
    pub renewal: bool,
}

/// Data of `/certificates/{code}/print`: the holder's certificate as an A4 page.
#[derive(Clone, Debug)]
pub struct CertificatePrint {
    pub code: String,
    pub holder: String,
    /// The holder's unit, if any.
    pub unit: Option<Bi>,
    pub course: Bi,
    pub issued: String,
    pub valid_until: String,
    pub valid: bool,
    /// Where anyone can check it: the absolute `/verify/{code}` URL when the host is known.
    pub verify_url: String,
}

/// A question of an open attempt: no right answers, no explanations.
#[derive(Clone, Debug)]
pub struct QuizQuestion {
    pub id: String,
    pub multiple: bool,
    pub scenario: Option<Bi>,
    pub prompt: Bi,
    pub options: Vec<(String, Bi)>,
    /// Saved answers.
    pub chosen: Vec<String>,
}

/// An open attempt offered on a start page.
#[derive(Clone, Debug)]
pub struct OpenAttempt {
    pub href: String,
    /// Submit before this time (Beijing), if the quiz has a time limit.
    pub deadline: Option<String>,
    /// Past its time limit: submitting scores the answers saved in time.
    pub expired: bool,
}

/// Data of `/quizzes/{quiz}` and `/quizzes/{quiz}/practice`: what an attempt is, and a start
/// button that posts (so a prefetched or crawled link cannot use up an attempt), or the open
/// attempt to continue, or why nothing can start now.
#[derive(Clone, Debug)]
pub struct StartPage {
    pub course_href: String,
    pub course_title: Bi,
    pub practice: bool,
    /// Where the start button posts; `None` when refused or an attempt is open.
    pub action: Option<String>,
    pub open: Option<OpenAttempt>,
    pub refused: Option<Bi>,
    pub draw: u32,
    pub pass_mark: u32,
    pub max_attempts: u32,
    pub cooldown_minutes: u32,
    pub time_limit_minutes: Option<u32>,
    pub attempts_used: usize,
    /// Practice: questions there are to practise.
    pub mistakes: usize,
}

/// Data of `/attempts/{id}` while it is open: the attempt as a form.
#[derive(Clone, Debug)]
pub struct QuizForm {
    pub course_href: String,
    pub course_title: Bi,
    pub action: String,
    pub questions: Vec<QuizQuestion>,
    pub deadline: Option<String>,
    pub pass_mark: u32,
    pub notice: Option<Bi>,
    pub practice: bool,
}

/// A question of a submitted attempt, with the right answers.
#[derive(Clone, Debug)]
pub struct ReviewItem {
    pub prompt: Bi,
    pub correct: bool,
    pub points: String,
    pub chosen: Vec<Bi>,
    pub right: Vec<Bi>,
    pub explanation: Bi,
    pub cites: Vec<CiteLink>,
}

/// Data of `/attempts/{id}` after submission.
#[derive(Clone, Debug)]
pub struct ReviewPage {
    pub course_href: String,
    pub course_title: Bi,
    pub score: String,
    pub passed: bool,
    pub late: bool,
    pub certificate: Option<String>,
    pub items: Vec<ReviewItem>,
}

/// A row of the per-question statistics.
#[derive(Clone, Debug)]
pub struct StatRow {
    pub id: String,
    pub prompt: Bi,
    pub answered: u32,
    /// "75%" or "—".
    pub share: String,
    pub top_wrong: Option<(Bi, u32)>,
    /// Facility index (mean share of the points, "0.83") or "—".
    pub facility: String,
    /// Discrimination index ("0.42") or "—".
    pub discrimination: String,
    /// Why the question is flagged for review (empty: not flagged).
    pub flags: Vec<Bi>,
}

/// What a training page shows.
#[derive(Clone, Debug)]
pub enum TrainingView {
    Catalogue(Vec<CourseCard>),
    Course(CourseDetail),
    Lesson(LessonDetail),
    Verify(Option<Verified>),
    /// The holder's certificate, for printing.
    Certificate(CertificatePrint),
    /// The start page of a quiz or of "practise my mistakes".
    Start(StartPage),
    Quiz(QuizForm),
    Review(ReviewPage),
    /// Assignments and completion of a unit (its training administrator).
    Admin(AdminView),
    /// Reports over the units the viewer may see.
    Reports(crate::pages::training_reports::ReportView),
    /// Per-question statistics of a quiz (training administrators).
    Stats {
        course_href: String,
        course_title: Bi,
        rows: Vec<StatRow>,
    },
}

fn cites_view(lang: Lang, cites: &[CiteLink]) -> impl IntoView {
    (!cites.is_empty()).then(|| {
        view! {
            <p class="cites">{lang.pick("依据：", "Basis: ")}
                {cites.iter().map(|c| view! { <a href=c.href.clone()>{c.label.get(lang)}</a>" " }).collect_view()}
            </p>
        }
    })
}

fn cert_view(lang: Lang, c: &CertBadge) -> impl IntoView {
    let state = if !c.valid {
        lang.pick("已过期，需重新学习", "expired: due again")
    } else if c.renewal {
        lang.pick(
            "需更新：所依据的条文已修改，请重新学习更新后的课程并参加测验",
            "renewal due: an article it rests on has changed; take the updated course and its quiz again",
        )
    } else {
        lang.pick("有效", "valid")
    };
    let class = match (c.valid, c.renewal) {
        (true, false) => "cert ok",
        (true, true) => "cert due renewal",
        _ => "cert due",
    };
    view! {
        <p class=class>
            {lang.pick("结业证书 ", "Certificate ")}
            <a href=format!("/verify/{}", c.code)>{c.code.clone()}</a>
            {format!(" · {}{} · {state} · ", lang.pick("有效期至 ", "valid until "), c.valid_until)}
            <a class="cert-print-link" href=format!("/certificates/{}/print", c.code)>{lang.pick("打印证书", "Print the certificate")}</a>
        </p>
    }
}

fn catalogue(lang: Lang, cards: Vec<CourseCard>) -> impl IntoView {
    let title = lang.pick("学习培训", "Training");
    let required: Vec<(String, Bi, Required)> = cards
        .iter()
        .filter_map(|c| {
            c.required
                .clone()
                .map(|r| (c.id.clone(), c.title.clone(), r))
        })
        .collect();
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        {(!required.is_empty()).then(|| view! {
            <h2>{lang.pick("我的必修课程", "My required courses")}</h2>
            <ul id="required-courses">
                {required.into_iter().map(|(id, t, r)| {
                    let class = if r.done { "done" } else if r.overdue { "overdue" } else { "pending" };
                    let state = status_label(lang, class);
                    view! {
                        <li class=class><a href=format!("/training/{id}")>{t.get(lang)}</a>
                            {format!(" · {}{} · {state}", lang.pick("截止 ", "due "), r.due)}</li>
                    }
                }).collect_view()}
            </ul>
        })}
        <p>{lang.pick(
            "根据《暂行规定》第十条、第十一条，司法机关应加强对司法人员的职业道德和纪律教育，司法局和律师协会应加强对律师的教育管理。以下课程均以《暂行规定》和2015年规定为依据。",
            "Under Articles 10 and 11 of the Interim Provisions, judicial organs educate their personnel in ethics and discipline, and the justice bureau and the lawyers' association train lawyers. Every course below rests on the Interim Provisions and the 2015 provisions.",
        )}</p>
        <ul class="course-list" id="course-list">
            {cards.into_iter().map(|c| view! {
                <li class="course-card">
                    <h2><a href=format!("/training/{}", c.id)>{c.title.get(lang)}</a></h2>
                    <p>{c.summary.get(lang)}</p>
                    <p class="meta">{format!(
                        "{} {} · {} {} · {} {}%",
                        c.lessons, lang.pick("课", "lessons"),
                        c.minutes, lang.pick("分钟", "minutes"),
                        lang.pick("测验及格线", "quiz pass mark"), c.pass_mark,
                    )}</p>
                    <p class="progress-line">
                        <progress max=c.lessons.to_string() value=c.done.to_string()></progress>
                        {format!(" {}/{}", c.done, c.lessons)}
                    </p>
                    {c.certificate.as_ref().map(|b| cert_view(lang, b))}
                </li>
            }).collect_view()}
        </ul>
    }
}

fn course(lang: Lang, c: CourseDetail) -> impl IntoView {
    let total = c.lessons.len();
    let q = c.quiz;
    view! {
        <Title text=c.title.get(lang)/>
        <p><a href="/training">{lang.pick("全部课程", "All courses")}</a></p>
        <h1>{c.title.get(lang)}</h1>
        {(!c.review.is_empty()).then(|| view! {
            <p class="alert" id="needs-review">{format!(
                "{}{}",
                lang.pick("本课程引用的条文已有新版本，课程内容正在复核：", "Articles this course cites have changed in a newer version; the course is under review: "),
                c.review.iter().map(|n| lang.pick(&format!("第{n}条"), &format!("Art. {n}")).to_string()).collect::<Vec<_>>().join(lang.pick("、", ", ")),
            )}</p>
        })}
        <p>{c.summary.get(lang)}</p>
        <p class="progress-line" id="course-progress">
            <progress max=total.to_string() value=c.done.to_string()></progress>
            {format!(" {} {}/{}", lang.pick("已完成", "Completed"), c.done, total)}
        </p>
        {c.continue_href.map(|h| view! {
            <p><a class="button" id="continue" href=h>{if c.done == 0 { lang.pick("开始学习", "Start learning") } else { lang.pick("从上次停下的地方继续", "Continue where I left off") }}</a></p>
        })}
        {c.certificate.as_ref().map(|b| cert_view(lang, b))}
        <h2>{lang.pick("课程内容", "Lessons")}</h2>
        <ol class="lesson-list" id="lesson-list">
            {c.lessons.into_iter().map(|l| view! {
                <li class=if l.done { "done" } else { "" }>
                    <a href=l.href>{l.title.get(lang)}</a>
                    {format!(" · {} {}", l.minutes, lang.pick("分钟", "min"))}
                    {l.done.then(|| view! { <span class="tag">{lang.pick("已完成", "completed")}</span> })}
                </li>
            }).collect_view()}
        </ol>
        <h2>{lang.pick("结业测验", "Final quiz")}</h2>
        <p>{format!(
            "{} {} · {} {}% · {} {} · {} {} {}{}",
            lang.pick("每次随机抽取", "Questions drawn per attempt:"), q.draw,
            lang.pick("及格线", "pass mark"), q.pass_mark,
            lang.pick("最多可测", "attempts allowed:"), q.max_attempts,
            lang.pick("两次测验间隔", "wait between attempts:"), q.cooldown_minutes, lang.pick("分钟", "minutes"),
            q.time_limit_minutes.map(|m| format!(" · {} {m} {}", lang.pick("限时", "time limit"), lang.pick("分钟", "minutes"))).unwrap_or_default(),
        )}</p>
        <p>{format!("{} {}/{}", lang.pick("已用次数", "Attempts used"), q.attempts_used, q.max_attempts)}</p>
        {(!q.results.is_empty()).then(|| view! {
            <ul id="quiz-results">
                {q.results.into_iter().map(|(href, score, ok)| view! {
                    <li><a href=href>{score}</a>" "{if ok { lang.pick("通过", "passed") } else { lang.pick("未通过", "not passed") }}</li>
                }).collect_view()}
            </ul>
        })}
        {q.stats_href.map(|h| view! { <p><a id="quiz-stats" href=h>{lang.pick("题目统计（培训管理员）", "Question statistics (training administrators)")}</a></p> })}
        {if c.signed_in {
            view! {
                <p><a class="button" id="take-quiz" href=q.href>{lang.pick("参加测验", "Take the quiz")}</a>
                    {q.practice_href.map(|h| view! { " " <a id="practise" href=h>{lang.pick("练习错题", "Practise my mistakes")}</a> })}
                </p>
            }.into_any()
        } else {
            view! { <p><a href="/login?next=%2Ftraining">{lang.pick("登录后可记录学习进度并参加测验。", "Sign in to record your progress and take the quiz.")}</a></p> }.into_any()
        }}
    }
}

fn lesson(lang: Lang, l: LessonDetail) -> impl IntoView {
    let nav = |p: Option<(String, Bi)>, label: &'static str| {
        p.map(|(h, t)| view! { <a href=h>{format!("{label}{}", t.get(lang))}</a> })
    };
    view! {
        <Title text=l.title.get(lang)/>
        <p><a href=l.course_href.clone()>{l.course_title.get(lang)}</a></p>
        <h1>{l.title.get(lang)}</h1>
        <p class="meta">{format!("{} {}", l.minutes, lang.pick("分钟", "minutes"))}</p>
        {cites_view(lang, &l.cites)}
        <div class="md lesson-body" inner_html=l.html.get(lang)></div>
        {if l.done {
            view! { <p class="ok" id="lesson-done">{lang.pick("本课已完成。", "You have completed this lesson.")}</p> }.into_any()
        } else if l.signed_in {
            view! {
                <form method="post" action=l.action class="form">
                    <button type="submit" id="complete-lesson">{lang.pick("标记为已完成", "Mark as completed")}</button>
                </form>
            }.into_any()
        } else {
            view! { <p>{lang.pick("登录后可记录学习进度。", "Sign in to record your progress.")}</p> }.into_any()
        }}
        <nav class="lesson-nav">
            {nav(l.prev, lang.pick("上一课：", "Previous: "))}
            " "
            {nav(l.next, lang.pick("下一课：", "Next: "))}
        </nav>
    }
}

fn verify(lang: Lang, v: Option<Verified>) -> impl IntoView {
    let title = lang.pick("证书验证", "Certificate verification");
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        {match v {
            None => view! {
                <p class="alert" role="alert" id="verify-none">{lang.pick("没有找到该验证码对应的证书。", "No certificate has this verification code.")}</p>
            }.into_any(),
            Some(c) => view! {
                <dl class="doc-meta" id="certificate">
                    <dt>{lang.pick("验证码", "Code")}</dt><dd>{c.code}</dd>
                    <dt>{lang.pick("持证人", "Holder")}</dt><dd id="cert-holder">{c.holder}</dd>
                    <dt>{lang.pick("课程", "Course")}</dt><dd>{c.course.get(lang)}</dd>
                    <dt>{lang.pick("发证日期", "Issued")}</dt><dd>{c.issued}</dd>
                    <dt>{lang.pick("有效期至", "Valid until")}</dt><dd>{c.valid_until}</dd>
                    <dt>{lang.pick("状态", "Status")}</dt>
                    <dd id="cert-status" class=if c.valid && !c.renewal { "ok" } else { "due" }>{
                        if !c.valid {
                            lang.pick("已过期", "Expired")
                        } else if c.renewal {
                            lang.pick("需更新：所依据的《暂行规定》条文已修改，持证人需重新学习更新后的课程", "Renewal due: an article of the regulation it rests on has changed; the holder is to take the updated course")
                        } else {
                            lang.pick("有效", "Valid")
                        }
                    }</dd>
                </dl>
            }.into_any(),
        }}
    }
}

fn start(lang: Lang, p: StartPage) -> impl IntoView {
    let title = if p.practice {
        lang.pick("错题练习", "Practise my mistakes")
    } else {
        lang.pick("结业测验", "Final quiz")
    };
    let minutes = lang.pick("分钟", "minutes");
    let rules = if p.practice {
        format!(
            "{} {} · {}",
            lang.pick("待练习的错题", "Questions to practise:"),
            p.mistakes,
            lang.pick(
                "练习不计入测验次数，也不颁发证书。",
                "Practice does not count as an attempt and earns no certificate."
            ),
        )
    } else {
        format!(
            "{} {} · {} {}% · {} {}/{} · {} {} {minutes}{}",
            lang.pick("每次随机抽取", "Questions drawn per attempt:"),
            p.draw,
            lang.pick("及格线", "pass mark"),
            p.pass_mark,
            lang.pick("已用次数", "attempts used"),
            p.attempts_used,
            p.max_attempts,
            lang.pick("两次测验间隔", "wait between attempts:"),
            p.cooldown_minutes,
            p.time_limit_minutes
                .map(|m| format!(" · {} {m} {minutes}", lang.pick("限时", "time limit")))
                .unwrap_or_default(),
        )
    };
    view! {
        <Title text=title/>
        <p><a href=p.course_href.clone()>{p.course_title.get(lang)}</a></p>
        <h1>{title}</h1>
        <p id="quiz-rules">{rules}</p>
        {p.open.map(|o| if o.expired {
            view! {
                <p class="alert" id="attempt-expired">{lang.pick("有一次测验已超过时限，尚未提交：提交后只计算限时内保存的答案。", "An attempt has passed its time limit without being submitted: submitting it scores the answers saved in time.")}
                    " "<a href=o.href>{lang.pick("查看并提交", "Open and submit it")}</a></p>
            }.into_any()
        } else {
            view! {
                <p class="ok" role="status">{lang.pick("您有一次未完成的测验，答案已保存。", "You have an unfinished attempt; your answers are saved.")}
                    {o.deadline.map(|d| format!(" {} {d}", lang.pick("请在此时间前提交：", "Submit before")))}</p>
                <p><a class="button" id="continue-attempt" href=o.href>{lang.pick("继续测验", "Continue the attempt")}</a></p>
            }.into_any()
        })}
        {p.refused.map(|m| view! { <p class="alert" role="alert" id="quiz-refused">{m.get(lang)}</p> })}
        {p.action.map(|action| view! {
            <form method="post" action=action class="form" id="start-form">
                <button type="submit" id="start-quiz">{if p.practice { lang.pick("开始练习", "Start practising") } else { lang.pick("开始测验", "Start the quiz") }}</button>
            </form>
        })}
        <p><a href=p.course_href>{lang.pick("返回课程", "Back to the course")}</a></p>
    }
}

fn certificate(lang: Lang, c: CertificatePrint) -> impl IntoView {
    // A fixed title: the holder's name is user text and <Title> is not escaped.
    let title = lang.pick("结业证书", "Certificate of completion");
    view! {
        <Title text=title/>
        <p class="print-hint no-print">{lang.pick(
            "本页为 A4 打印版式：请使用浏览器的“打印”（Ctrl+P）打印或另存为 PDF。",
            "This page is laid out for A4: use the browser's Print (Ctrl+P) to print it or save it as PDF.",
        )}" "<a href="/training">{lang.pick("返回学习培训", "Back to training")}</a></p>
        <article class="certificate-print" id="certificate-print">
            <p class="cert-issuer">{lang.pick("大足区司法人员与律师交往规范平台", "Dazu judicial–lawyer conduct portal")}</p>
            <h1>{title}</h1>
            <p class="cert-holder" id="print-holder">{c.holder}</p>
            {c.unit.map(|u| view! { <p class="cert-unit">{u.get(lang)}</p> })}
            <p class="cert-text">{lang.pick("已完成以下课程的学习并通过结业测验：", "has completed the following course and passed its final quiz:")}</p>
            <p class="cert-course" id="print-course">{c.course.get(lang)}</p>
            <dl class="cert-facts">
                <dt>{lang.pick("发证日期", "Issued")}</dt><dd id="print-issued">{c.issued}</dd>
                <dt>{lang.pick("有效期至", "Valid until")}</dt><dd id="print-valid-until">{c.valid_until}</dd>
                <dt>{lang.pick("状态", "Status")}</dt>
                <dd id="print-status">{if c.valid { lang.pick("有效", "Valid") } else { lang.pick("已过期", "Expired") }}</dd>
                <dt>{lang.pick("验证码", "Verification code")}</dt><dd class="cert-code" id="print-code">{c.code}</dd>
            </dl>
            <p class="cert-verify">{lang.pick("验证地址：", "Verify at: ")}<span id="print-verify-url">{c.verify_url}</span></p>
            <p class="cert-basis">{lang.pick(
                "依据《建立共同防范监管司法人员与律师不正当接触交往行为机制的暂行规定》（大足司发〔2021〕6号）第十条、第十一条开展的学习培训。",
                "Training under Articles 10 and 11 of the Interim Provisions on Establishing a Mechanism for Jointly Preventing and Supervising Improper Contact and Dealings between Judicial Personnel and Lawyers (Dazu Si Fa [2021] No. 6).",
            )}</p>
        </article>
    }
}

fn quiz(lang: Lang, q: QuizForm) -> impl IntoView {
    view! {
        <Title text=q.course_title.get(lang)/>
        <p><a href=q.course_href.clone()>{q.course_title.get(lang)}</a></p>
        <h1>{if q.practice { lang.pick("错题练习", "Practise my mistakes") } else { lang.pick("结业测验", "Final quiz") }}</h1>
        {q.practice.then(|| view! { <p>{lang.pick("练习不计入测验次数，也不颁发证书。", "Practice does not count as an attempt and earns no certificate.")}</p> })}
        {q.notice.map(|n| view! { <p class="ok" role="status">{n.get(lang)}</p> })}
        <p>{format!("{} {}%", lang.pick("及格线", "Pass mark"), q.pass_mark)}
            {q.deadline.map(|d| format!(" · {} {d}", lang.pick("请在此时间前提交：", "Submit before")))}</p>
        <form method="post" action=q.action class="form quiz" id="quiz-form">
            {q.questions.into_iter().enumerate().map(|(i, qq)| {
                let kind = if qq.multiple { "checkbox" } else { "radio" };
                view! {
                    <fieldset class="question">
                        <legend>{format!("{}. ", i + 1)}{qq.multiple.then(|| lang.pick("（多选）", "(choose all that apply) "))}{qq.prompt.get(lang)}</legend>
                        {qq.scenario.map(|s| view! { <p class="scenario">{s.get(lang)}</p> })}
                        {qq.options.into_iter().map(|(oid, text)| {
                            let input_id = format!("{}-{oid}", qq.id);
                            let checked = qq.chosen.contains(&oid);
                            view! {
                                <p class="option">
                                    <input type=kind id=input_id.clone() name=qq.id.clone() value=oid checked=checked/>
                                    <label for=input_id>{text.get(lang)}</label>
                                </p>
                            }
                        }).collect_view()}
                    </fieldset>
                }
            }).collect_view()}
            <p>
                <button type="submit" name="do" value="save" id="quiz-save">{lang.pick("保存答案", "Save answers")}</button>
                " "
                <button type="submit" name="do" value="submit" id="quiz-submit">{lang.pick("提交", "Submit")}</button>
            </p>
        </form>
    }
}

fn review(lang: Lang, r: ReviewPage) -> impl IntoView {
    view! {
        <Title text=r.course_title.get(lang)/>
        <p><a href=r.course_href.clone()>{r.course_title.get(lang)}</a></p>
        <h1>{lang.pick("测验结果", "Quiz result")}</h1>
        <p id="quiz-score" class=if r.passed { "ok" } else { "alert" }>
            {format!("{} {} · {}", lang.pick("得分", "Score"), r.score, if r.passed { lang.pick("通过", "passed") } else { lang.pick("未通过", "not passed") })}
        </p>
        {r.late.then(|| view! { <p class="alert">{lang.pick("提交时已超过时限，只计算了限时内保存的答案。", "Submitted after the time limit: only the answers saved in time were scored.")}</p> })}
        {r.certificate.map(|c| view! {
            <p class="ok" id="certificate-issued">{lang.pick("已获得结业证书，验证码：", "Certificate issued, verification code: ")}
                <a href=format!("/verify/{c}") id="certificate-code">{c.clone()}</a>" · "
                <a href=format!("/certificates/{c}/print") id="certificate-print-link">{lang.pick("打印证书", "Print the certificate")}</a></p>
        })}
        <ol class="review" id="review">
            {r.items.into_iter().map(|it| view! {
                <li class=if it.correct { "right" } else { "wrong" }>
                    <p class="prompt">{it.prompt.get(lang)}</p>
                    <p>{format!("{} {} · {}", if it.correct { lang.pick("✓ 正确", "✓ Right") } else { lang.pick("✗ 错误", "✗ Wrong") }, it.points, lang.pick("分", "points"))}</p>
                    <p>{lang.pick("您的答案：", "Your answer: ")}{it.chosen.iter().map(|c| c.get(lang)).collect::<Vec<_>>().join("；")}</p>
                    <p>{lang.pick("正确答案：", "Right answer: ")}{it.right.iter().map(|c| c.get(lang)).collect::<Vec<_>>().join("；")}</p>
                    <p class="explanation">{it.explanation.get(lang)}</p>
                    {cites_view(lang, &it.cites)}
                </li>
            }).collect_view()}
        </ol>
    }
}

/// Every training page: renders the [`TrainingView`] the server provided.
#[component]
pub fn TrainingPage() -> impl IntoView {
    let lang = current_lang();
    match use_context::<TrainingView>() {
        Some(TrainingView::Catalogue(cards)) => catalogue(lang, cards).into_any(),
        Some(TrainingView::Course(c)) => course(lang, c).into_any(),
        Some(TrainingView::Lesson(l)) => lesson(lang, l).into_any(),
        Some(TrainingView::Verify(v)) => verify(lang, v).into_any(),
        Some(TrainingView::Certificate(c)) => certificate(lang, c).into_any(),
        Some(TrainingView::Quiz(q)) => quiz(lang, q).into_any(),
        Some(TrainingView::Start(p)) => start(lang, p).into_any(),
        Some(TrainingView::Review(r)) => review(lang, r).into_any(),
        Some(TrainingView::Admin(a)) => super::training_admin::admin(lang, a).into_any(),
        Some(TrainingView::Reports(r)) => {
            crate::pages::training_reports::reports(lang, r).into_any()
        }
        Some(TrainingView::Stats {
            course_href,
            course_title,
            rows,
        }) => view! {
            <Title text=lang.pick("题目统计", "Question statistics")/>
            <p><a href=course_href>{course_title.get(lang)}</a></p>
            <h1>{lang.pick("题目统计", "Question statistics")}</h1>
            <table class="data" id="question-stats">
                <thead><tr>
                    <th>{lang.pick("题目", "Question")}</th>
                    <th>{lang.pick("作答次数", "Answered")}</th>
                    <th>{lang.pick("答对比例", "Share right")}</th>
                    <th>{lang.pick("最常选的错误选项", "Most chosen wrong option")}</th>
                    <th>{lang.pick("难易度指数", "Facility index")}</th>
                    <th>{lang.pick("区分度指数", "Discrimination index")}</th>
                    <th>{lang.pick("需复核", "Review")}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr id=format!("stat-{}", r.id) class=if r.flags.is_empty() { "" } else { "flagged" }>
                            <td>{r.prompt.get(lang)}</td>
                            <td>{r.answered}</td>
                            <td>{r.share}</td>
                            <td>{r.top_wrong.map(|(t, n)| format!("{}（{n}）", t.get(lang)))}</td>
                            <td class="num facility">{r.facility}</td>
                            <td class="num discrimination">{r.discrimination}</td>
                            <td class="flags">{r.flags.iter().map(|f| f.get(lang).to_string()).collect::<Vec<_>>().join(lang.pick("；", "; "))}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <p class="hint">{lang.pick(
                "按 Moodle 测验统计的方法，统计已提交的测验：难易度指数是作答该题所得分数的平均比例；区分度指数是该题得分与其余题目得分的相关系数。作答至少 30 次且难易度高于 0.95（几乎人人答对），或区分度低于 0.1（不能区分掌握程度）的题目标为需复核。",
                "As Moodle's quiz statistics compute them, over submitted attempts: the facility index is the mean share of the question's points earned; the discrimination index is the correlation between the points on the question and on the rest of the attempt. Questions with a facility above 0.95 over at least 30 attempts (nearly everyone right) or a discrimination index below 0.1 (does not tell learners apart) are flagged for review.",
            )}</p>
        }
        .into_any(),
        None => view! { <crate::pages::NotFound/> }.into_any(),
    }
}
