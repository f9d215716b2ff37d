//! Calendar files (.ics) of both domains, made one way: the platform's own PRODID, UIDs under
//! the host of `PUBLIC_URL` (RFC 5545 wants them globally unique), and no value that could
//! break out of its line: control characters are dropped from text and a link that is not a
//! plain `https` address is left out, whatever reached the database.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike, Property};

use crate::plain_text::is_https_link;

pub const PRODID: &str = "-//Landelijk Steunpunt Extremisme//Leerplatform//NL";

static UID_HOST: OnceLock<String> = OnceLock::new();

/// Sets the host UIDs carry, from `PUBLIC_URL`, once per process (at start-up).
pub fn set_uid_host(public_url: &str) {
    let host = public_url
        .split_once("://")
        .map_or(public_url, |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .filter(|host| !host.is_empty())
        .unwrap_or("leerplatform.invalid");
    let _ = UID_HOST.set(host.to_owned());
}

/// `local@host`: the same event gets the same UID in every file, so a calendar updates it.
pub fn uid(local: &str) -> String {
    let host = UID_HOST
        .get()
        .map_or("leerplatform.invalid", String::as_str);
    format!("{local}@{host}")
}

/// What a calendar sent by mail asks of the recipient's calendar (RFC 5546): put these
/// events in (or update them, by UID and SEQUENCE), or take them out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Request,
    Cancel,
}

/// An empty calendar named `name` that carries `method`; with `Cancel`, events pushed to it
/// must be marked with [`cancelled`].
pub fn calendar_with_method(name: &str, method: Method) -> Calendar {
    let mut calendar = calendar(name);
    calendar.append_property(Property::new(
        "METHOD",
        match method {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        },
    ));
    calendar
}

/// `event` as a cancellation: `STATUS:CANCELLED` (its UID and SEQUENCE say which and when).
pub fn cancelled(mut event: Event) -> Event {
    event.status(icalendar::EventStatus::Cancelled);
    event.done()
}

/// An empty calendar named `name`.
pub fn calendar(name: &str) -> Calendar {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", PRODID))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .name(&one_line(name));
    calendar
}

fn one_line(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// What an event says; every text is put on one line, the link only if it is a plain `https`
/// address.
pub struct EventText<'a> {
    pub uid_local: String,
    pub summary: &'a str,
    pub location: &'a str,
    pub link: Option<&'a str>,
    /// `SEQUENCE`: raised with every change of time or place, so a calendar takes the newest.
    pub sequence: i32,
}

pub fn event(text: EventText<'_>, starts: DateTime<Utc>, ends: DateTime<Utc>) -> Event {
    let mut event = Event::new();
    event
        .uid(&uid(&text.uid_local))
        .summary(&one_line(text.summary))
        .starts(starts)
        .ends(ends)
        .location(&one_line(text.location))
        .add_property("SEQUENCE", text.sequence.max(0).to_string());
    if let Some(link) = text.link.filter(|link| is_https_link(link)) {
        event
            .url(link)
            .description(&format!("Online bijeenkomst: {link}"));
    }
    event.done()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_a_value_holds_starts_a_new_line_or_event() {
        set_uid_host("http://127.0.0.1:3000");
        let at: DateTime<Utc> = "2027-03-04T08:30:00Z".parse().unwrap();
        let mut file = calendar("Training\r\nX-INJECTED:1");
        file.push(event(
            EventText {
                uid_local: "run-1-session-2".into(),
                summary: "Training: a\r\nBEGIN:VEVENT",
                location: "Utrecht\r\nEND:VEVENT",
                link: Some("https://meet.example.org/x\r\nBEGIN:VEVENT\r\nSUMMARY:nep"),
                sequence: 2,
            },
            at,
            at + chrono::Duration::hours(3),
        ));
        let text = file.done().to_string();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines.iter().filter(|l| **l == "BEGIN:VEVENT").count(),
            1,
            "{text}"
        );
        assert_eq!(
            lines.iter().filter(|l| **l == "END:VEVENT").count(),
            1,
            "{text}"
        );
        assert!(!lines.iter().any(|l| l.starts_with("X-INJECTED")), "{text}");
        assert!(
            !text.contains("URL:"),
            "a link with a line break is left out: {text}"
        );
        assert!(text.contains(&format!("PRODID:{PRODID}")), "{text}");
        assert!(!text.contains("ICALENDAR-RS"), "{text}");
        assert!(text.contains("UID:run-1-session-2@127.0.0.1"), "{text}");
        assert!(text.contains("SEQUENCE:2\r\n"), "{text}");
    }

    #[test]
    fn a_cancellation_says_cancel_and_cancelled() {
        let at: DateTime<Utc> = "2027-03-04T08:30:00Z".parse().unwrap();
        let mut file = calendar_with_method("Training", Method::Cancel);
        file.push(cancelled(event(
            EventText {
                uid_local: "run-1-session-2".into(),
                summary: "Training",
                location: "Utrecht",
                link: None,
                sequence: 3,
            },
            at,
            at + chrono::Duration::hours(3),
        )));
        let text = file.done().to_string();
        for line in ["METHOD:CANCEL", "STATUS:CANCELLED", "SEQUENCE:3"] {
            assert!(text.contains(&format!("{line}\r\n")), "{line} in {text}");
        }
    }
}
