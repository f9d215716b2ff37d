//! Intervision: closed groups of professionals who meet several times and log dilemmas from
//! their casework. Built privacy first; so far its guard against personal data in free text
//! (`rules::pii`), which every save of free text in this domain will pass through.

pub mod rules;
