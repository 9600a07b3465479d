//! Interface language: zh-CN by default, English on request, remembered in the `lang` cookie.
//!
//! The strings are a typed table (one struct, one constant per language) rather than a
//! translation-file crate: the UI has a few hundred strings, the compiler checks that every
//! language has every string, and nothing is added to the browser build.

use serde::{Deserialize, Serialize};

/// A UI language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The value of the HTML `lang` attribute.
    pub fn html_code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The cookie value and URL segment.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// Parses a cookie value or URL segment.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// The UI strings of this language.
    pub fn t(self) -> &'static Text {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// Picks the Chinese or English form.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// The language of the request being rendered (server) or Chinese (never used in the browser,
/// where islands receive the language as a prop).
pub fn current_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        crate::request::cookie("lang")
            .and_then(|v| Lang::parse(&v))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        Lang::Zh
    }
}

/// Sections of the portal, for navigation and placeholders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Regulations,
    Training,
    Events,
    Leads,
}

/// Every UI string, per language.
pub struct Text {
    pub site_title: &'static str,
    pub site_subtitle: &'static str,
    /// The title in the phone-sized header: one short line.
    pub site_short: &'static str,
    /// The menu button of the phone-sized header.
    pub menu: &'static str,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub nav_regulations: &'static str,
    pub nav_training: &'static str,
    pub nav_events: &'static str,
    pub nav_leads: &'static str,
    pub switch_to_other: &'static str,
    pub home_intro: &'static str,
    pub home_regulation_link: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_home: &'static str,
    pub toc: &'static str,
    pub toc_show: &'static str,
    pub toc_hide: &'static str,
    pub doc_status: &'static str,
    pub doc_status_value: &'static str,
    pub doc_number: &'static str,
    pub doc_issuers: &'static str,
    pub doc_print_date: &'static str,
    pub notice: &'static str,
    pub cleanup_title: &'static str,
    pub truncated_note: &'static str,
    pub read_translation: &'static str,
    pub read_original: &'static str,
    pub unofficial: &'static str,
    pub footer: &'static str,
}

/// Chinese strings.
pub const ZH: Text = Text {
    site_title: "大足区司法人员与律师交往规范平台",
    site_subtitle: "重庆市大足区人民法院 · 人民检察院 · 公安局 · 司法局",
    site_short: "大足交往规范平台",
    menu: "菜单",
    skip_to_content: "跳到正文",
    nav_label: "主导航",
    nav_regulations: "法规",
    nav_training: "培训",
    nav_events: "交流活动",
    nav_leads: "线索通报",
    switch_to_other: "English",
    home_intro: "本平台服务于大足区人民法院、人民检察院、公安局、司法局共同建立的防范监管司法人员与律师不正当接触交往行为机制（大足司发〔2021〕6号）：查阅规定原文，参加职业道德与纪律培训，组织正当的工作交流，并依规通报、移交和反馈线索。",
    home_regulation_link: "阅读《暂行规定》全文",
    not_found_title: "页面不存在",
    not_found_body: "您访问的页面不存在或已移动。",
    back_home: "返回首页",
    toc: "目录",
    toc_show: "展开目录",
    toc_hide: "收起目录",
    doc_status: "施行",
    doc_status_value: "原件第十五条止于“本规定自印发之日起”，施行条款不完整",
    doc_number: "文号",
    doc_issuers: "发文机关",
    doc_print_date: "印发日期",
    notice: "通知",
    cleanup_title: "文本整理说明",
    truncated_note: "编者注：原件第十五条在“本规定自印发之日起”处中断，其后文字缺失。此处按原件照录，未作补全。",
    read_translation: "英文译本（非官方）",
    read_original: "中文原文",
    unofficial: "非官方译本，仅供参考，以中文原文为准。",
    footer: "大足区司法人员与律师交往规范平台 · 依据大足司发〔2021〕6号建设",
};

/// English strings.
pub const EN: Text = Text {
    site_title: "Dazu Judicial–Lawyer Conduct Portal",
    site_subtitle: "Dazu District People's Court · Procuratorate · Public Security Bureau · Justice Bureau",
    site_short: "Dazu Conduct Portal",
    menu: "Menu",
    skip_to_content: "Skip to content",
    nav_label: "Main navigation",
    nav_regulations: "Regulations",
    nav_training: "Training",
    nav_events: "Exchanges",
    nav_leads: "Leads",
    switch_to_other: "中文",
    home_intro: "This portal serves the joint mechanism of the Dazu District court, procuratorate, public security bureau and justice bureau against improper contact between judicial personnel and lawyers (Da Zu Si Fa [2021] No. 6): read the rules, take ethics and discipline training, organise proper professional exchanges, and notify, transfer and feed back leads as the rules require.",
    home_regulation_link: "Read the Interim Provisions",
    not_found_title: "Page not found",
    not_found_body: "The page you asked for does not exist or has moved.",
    back_home: "Back to the home page",
    toc: "Contents",
    toc_show: "Show contents",
    toc_hide: "Hide contents",
    doc_status: "Commencement",
    doc_status_value: "Article 15 of the original breaks off after “本规定自印发之日起”: the commencement clause is incomplete",
    doc_number: "Document number",
    doc_issuers: "Issued by",
    doc_print_date: "Printed",
    notice: "Notice",
    cleanup_title: "How the text was prepared",
    truncated_note: "Editor's note: in the original, Article 15 breaks off after “本规定自印发之日起” (“These Provisions, from the date of printing and distribution …”); the rest is missing. It is reproduced as it stands, not completed.",
    read_translation: "English translation (unofficial)",
    read_original: "Chinese original",
    unofficial: "Unofficial translation for reference only; the Chinese text is authoritative.",
    footer: "Dazu Judicial–Lawyer Conduct Portal · built under Da Zu Si Fa [2021] No. 6",
};

impl Section {
    /// The label in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        let t = lang.t();
        match self {
            Section::Regulations => t.nav_regulations,
            Section::Training => t.nav_training,
            Section::Events => t.nav_events,
            Section::Leads => t.nav_leads,
        }
    }

    /// What the section offers, for the cards of the public home page.
    pub fn offer(self, lang: Lang) -> &'static str {
        match self {
            Section::Regulations => lang.pick(
                "《暂行规定》原文、非官方英文译本、条文对照、术语表和2015年相关规定摘要。",
                "The Interim Provisions, an unofficial English translation, side-by-side articles, a glossary and a summary of the 2015 provisions.",
            ),
            Section::Training => lang.pick(
                "职业道德与纪律课程、测验和证书（第十条、第十一条）；证书可公开核验。",
                "Ethics and discipline courses, quizzes and certificates (Articles 10–11); certificates can be checked by anyone.",
            ),
            Section::Events => lang.pick(
                "法官、检察官与律师的工作交流活动（第十二条）：日程、报名和已举办交流的公开登记。",
                "Professional exchanges between judges, prosecutors and lawyers (Article 12): calendar, registration and the public register of exchanges held.",
            ),
            Section::Leads => lang.pick(
                "各单位线索专员登记、通报、移交和反馈线索（第六条至第八条）；群众可不登录反映问题。",
                "Units' lead handlers record, notify, transfer and feed back leads (Articles 6–8); anyone may report a concern without an account.",
            ),
        }
    }

    /// The path of the section's landing page.
    pub fn href(self) -> &'static str {
        match self {
            Section::Regulations => "/regulations/dazu-2021-6",
            Section::Training => "/training",
            Section::Events => "/events",
            Section::Leads => "/leads",
        }
    }
}
