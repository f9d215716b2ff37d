//! Self-check questions in course modules, written as fenced ```` ```vraag ```` blocks:
//!
//! ````markdown
//! ```vraag
//! Welke uitspraak over radicalisering klopt?
//! - [ ] Het is altijd een plotselinge omslag.
//! - [x] Het is een proces dat zich geleidelijk ontwikkelt.
//! > Radicalisering verloopt meestal geleidelijk, in stappen.
//! ```
//! ````
//!
//! Lines before the first option are the question, `- [x]` marks a right option (more than one
//! makes it a "choose all that apply" question), `- [ ]` a wrong one, and `>` lines explain
//! the answer once it is given. The renderer leaves these blocks out of the page HTML; the
//! questions are stored apart and the answers are only ever checked on the server.

use std::collections::BTreeSet;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use crate::knowledge::model::course::{QuestionFeedback, QuizQuestion, QuizResult};

pub const QUIZ_LANGUAGE: &str = "vraag";
pub const MAX_QUESTIONS: usize = 30;
pub const MAX_OPTIONS: usize = 8;
const MAX_TEXT_CHARS: usize = 1_000;

/// A question with its answers, as stored on the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredQuestion {
    pub prompt: String,
    pub options: Vec<String>,
    /// Indexes of the right options.
    pub correct: Vec<usize>,
    pub explanation: Option<String>,
}

/// Whether a fenced block's info string marks a question.
pub fn is_quiz_block(kind: &CodeBlockKind) -> bool {
    matches!(kind, CodeBlockKind::Fenced(info)
        if info.split_whitespace().next() == Some(QUIZ_LANGUAGE))
}

/// The text of every question block, in document order.
fn quiz_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new_ext(markdown, Options::empty()) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) if is_quiz_block(&kind) => {
                current = Some(String::new());
            }
            Event::Text(text) => {
                if let Some(block) = current.as_mut() {
                    block.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(block) = current.take() {
                    blocks.push(block);
                }
            }
            _ => {}
        }
    }
    blocks
}

/// Every question of a module, or a Dutch message naming the first wrong one.
pub fn extract(markdown: &str) -> Result<Vec<StoredQuestion>, String> {
    let blocks = quiz_blocks(markdown);
    if blocks.len() > MAX_QUESTIONS {
        return Err(format!(
            "een module heeft hoogstens {MAX_QUESTIONS} zelftoetsvragen"
        ));
    }
    blocks
        .iter()
        .enumerate()
        .map(|(index, block)| {
            parse_question(block).map_err(|e| format!("zelftoetsvraag {}: {e}", index + 1))
        })
        .collect()
}

/// Whether a document contains question blocks at all (only modules may).
pub fn has_questions(markdown: &str) -> bool {
    !quiz_blocks(markdown).is_empty()
}

fn parse_question(block: &str) -> Result<StoredQuestion, String> {
    let mut prompt = Vec::new();
    let mut options = Vec::new();
    let mut correct = Vec::new();
    let mut explanation = Vec::new();
    for line in block.lines().map(str::trim) {
        if line.is_empty() {
            continue;
        }
        let option = line
            .strip_prefix("- [x]")
            .or_else(|| line.strip_prefix("- [X]"))
            .map(|text| (true, text))
            .or_else(|| line.strip_prefix("- [ ]").map(|text| (false, text)));
        if let Some((right, text)) = option {
            if !explanation.is_empty() {
                return Err("zet de uitleg ('>') na de antwoorden".into());
            }
            let text = text.trim();
            if text.is_empty() {
                return Err(format!("antwoord {} is leeg", options.len() + 1));
            }
            if right {
                correct.push(options.len());
            }
            options.push(limited(text)?);
        } else if let Some(text) = line.strip_prefix('>') {
            explanation.push(text.trim());
        } else if line.starts_with("- ") {
            return Err(format!(
                "'{line}' is geen antwoord; begin met '- [ ]' (fout) of '- [x]' (goed)"
            ));
        } else if options.is_empty() {
            prompt.push(line);
        } else {
            return Err("zet de vraag vóór de antwoorden".into());
        }
    }
    if prompt.is_empty() {
        return Err("de vraag ontbreekt (de regel(s) vóór de antwoorden)".into());
    }
    if options.len() < 2 {
        return Err("geef minstens twee antwoorden ('- [ ]' en '- [x]')".into());
    }
    if options.len() > MAX_OPTIONS {
        return Err(format!("hoogstens {MAX_OPTIONS} antwoorden per vraag"));
    }
    if correct.is_empty() {
        return Err("markeer minstens één goed antwoord met '- [x]'".into());
    }
    let explanation = (!explanation.is_empty())
        .then(|| limited(&explanation.join(" ")))
        .transpose()?;
    Ok(StoredQuestion {
        prompt: limited(&prompt.join(" "))?,
        options,
        correct,
        explanation,
    })
}

fn limited(text: &str) -> Result<String, String> {
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(format!("tekst langer dan {MAX_TEXT_CHARS} tekens"));
    }
    Ok(text.to_owned())
}

/// The questions without their answers, for the page.
pub fn public(questions: &[StoredQuestion]) -> Vec<QuizQuestion> {
    questions
        .iter()
        .map(|q| QuizQuestion {
            prompt: q.prompt.clone(),
            options: q.options.clone(),
            multiple: q.correct.len() > 1,
        })
        .collect()
}

/// The chosen answers in their shortest form, `0-1.1-0.1-2`: only well-formed `<question>-
/// <option>` pairs within the quiz limits, each once, in order. What a no-JS round trip carries
/// (in the address for a visitor, in the session for a logged-in reader).
pub fn encode_answers(answers: &[String]) -> String {
    let pairs: BTreeSet<(usize, usize)> = answers.iter().filter_map(|a| answer_pair(a)).collect();
    pairs
        .iter()
        .map(|(question, option)| format!("{question}-{option}"))
        .collect::<Vec<_>>()
        .join(".")
}

/// [`encode_answers`] read back; anything malformed is dropped.
pub fn decode_answers(encoded: &str) -> Vec<String> {
    encoded
        .split('.')
        .take(MAX_QUESTIONS * MAX_OPTIONS)
        .filter(|answer| answer_pair(answer).is_some())
        .map(str::to_owned)
        .collect()
}

fn answer_pair(answer: &str) -> Option<(usize, usize)> {
    let (question, option) = answer.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(question) || !digits(option) {
        return None;
    }
    let pair = (question.parse().ok()?, option.parse().ok()?);
    (pair.0 < MAX_QUESTIONS && pair.1 < MAX_OPTIONS).then_some(pair)
}

/// Checks answers given as `<question>-<option>` values (see `answer_value`). A question is
/// right when exactly its right options were chosen; malformed values count as wrong choices.
pub fn check(questions: &[StoredQuestion], answers: &[String]) -> QuizResult {
    let mut chosen: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); questions.len()];
    let mut stray = vec![false; questions.len()];
    for answer in answers {
        let parsed = answer
            .split_once('-')
            .and_then(|(q, o)| Some((q.parse::<usize>().ok()?, o.parse::<usize>().ok()?)));
        match parsed {
            Some((question, option)) if question < questions.len() => {
                if option < questions[question].options.len() {
                    chosen[question].insert(option);
                } else {
                    stray[question] = true;
                }
            }
            _ => {}
        }
    }
    let feedback: Vec<QuestionFeedback> = questions
        .iter()
        .zip(chosen.iter().zip(&stray))
        .map(|(question, (chosen, stray))| {
            let right: BTreeSet<usize> = question.correct.iter().copied().collect();
            let answered = *stray || !chosen.is_empty();
            QuestionFeedback {
                answered,
                correct: !stray && *chosen == right,
                // The explanation gives the answer away: only after an attempt.
                explanation: answered.then(|| question.explanation.clone()).flatten(),
            }
        })
        .collect();
    QuizResult {
        passed: !feedback.is_empty() && feedback.iter().all(|f| f.correct),
        feedback,
        recorded: false,
        chosen: answers
            .iter()
            .take(MAX_QUESTIONS * MAX_OPTIONS)
            .cloned()
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODULE: &str = "Tekst.\n\n```vraag\nWat klopt?\n- [ ] Fout\n- [x] Goed\n> Omdat.\n```\n\n```vraag\nKies alle juiste.\nTweede regel.\n- [x] A\n- [ ] B\n- [x] C\n```\n";

    #[test]
    fn answers_travel_in_a_short_checked_form() {
        let answers: Vec<String> = ["1-2", "0-1", "0-1", "x-1", "99-0", "0-99", "-1", "3-1<b>"]
            .map(str::to_owned)
            .to_vec();
        assert_eq!(encode_answers(&answers), "0-1.1-2");
        assert_eq!(decode_answers("0-1.1-2"), ["0-1", "1-2"]);
        assert_eq!(decode_answers("0-1.<script>.2-0"), ["0-1", "2-0"]);
        assert!(decode_answers("").is_empty());
        assert!(decode_answers(&"0-0.".repeat(10_000)).len() <= MAX_QUESTIONS * MAX_OPTIONS);
    }

    #[test]
    fn nothing_chosen_is_not_judged_and_gives_nothing_away() {
        let questions = extract(MODULE).unwrap();
        let result = check(&questions, &[]);
        assert!(result.is_empty() && !result.passed);
        assert!(
            result
                .feedback
                .iter()
                .all(|f| !f.answered && f.explanation.is_none())
        );
        // One answered question: the other stays unanswered, not wrong-with-explanation.
        let result = check(&questions, &["0-1".to_owned()]);
        assert!(!result.is_empty());
        assert!(result.feedback[0].answered && result.feedback[0].correct);
        assert!(!result.feedback[1].answered && result.feedback[1].explanation.is_none());
    }

    #[test]
    fn extracts_questions_in_order() {
        let questions = extract(MODULE).unwrap();
        assert_eq!(questions.len(), 2);
        assert_eq!(questions[0].prompt, "Wat klopt?");
        assert_eq!(questions[0].correct, vec![1]);
        assert_eq!(questions[0].explanation.as_deref(), Some("Omdat."));
        assert_eq!(questions[1].prompt, "Kies alle juiste. Tweede regel.");
        assert_eq!(questions[1].correct, vec![0, 2]);
        let public = public(&questions);
        assert!(!public[0].multiple);
        assert!(public[1].multiple);
        assert!(has_questions(MODULE));
        assert!(!has_questions("```rust\nfn main() {}\n```\n"));
    }

    #[test]
    fn rejects_malformed_questions_with_their_number() {
        let cases = [
            ("```vraag\n- [x] A\n- [ ] B\n```", "vraag ontbreekt"),
            ("```vraag\nV?\n- [x] A\n```", "minstens twee"),
            ("```vraag\nV?\n- [ ] A\n- [ ] B\n```", "goed antwoord"),
            ("```vraag\nV?\n- A\n- [x] B\n```", "geen antwoord"),
            (
                "```vraag\nV?\n- [x] A\n> uitleg\n- [ ] B\n```",
                "na de antwoorden",
            ),
        ];
        for (text, expected) in cases {
            let error = extract(&format!("```vraag\nOk?\n- [x] a\n- [ ] b\n```\n\n{text}"))
                .expect_err(text);
            assert!(error.starts_with("zelftoetsvraag 2:"), "{error}");
            assert!(error.contains(expected), "{error}");
        }
    }

    #[test]
    fn checks_exact_choice_sets() {
        let questions = extract(MODULE).unwrap();
        let answers = |values: &[&str]| values.iter().map(|v| v.to_string()).collect::<Vec<_>>();
        let all_right = check(&questions, &answers(&["0-1", "1-0", "1-2"]));
        assert!(all_right.passed);
        assert_eq!(all_right.correct_count(), 2);
        let partial = check(&questions, &answers(&["0-1", "1-0"]));
        assert!(!partial.passed);
        assert!(!partial.feedback[1].correct);
        let too_many = check(&questions, &answers(&["0-0", "0-1", "1-0", "1-2"]));
        assert!(!too_many.feedback[0].correct);
        let garbage = check(&questions, &answers(&["x", "9-9", "0-7", "1-0", "1-2"]));
        assert!(
            !garbage.feedback[0].correct,
            "an out-of-range option is a wrong choice"
        );
        assert!(garbage.feedback[1].correct);
        assert!(!check(&questions, &[]).passed);
    }
}
