//! A token filter that remembers what the Dutch word chain (lower case, stop words, folding,
//! stemming) made of each word. Every search runs the whole body of each hit through that chain
//! to find its snippet, and the Dutch stemmer was most of a search's time; the words of a corpus
//! repeat, so each is stemmed once. The output is the chain's output, token for token.

use std::sync::Arc;

use quick_cache::sync::Cache;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer};

/// Longer words (rare, and unbounded in size) go through the chain every time.
const LONGEST_REMEMBERED_WORD: usize = 40;

/// `chain` must turn one word into at most one token, as a `RawTokenizer` followed by
/// per-word filters does.
#[derive(Clone)]
pub struct RememberedWords {
    chain: TextAnalyzer,
    /// Word as written → what the chain made of it (`None`: a stop word).
    made: Arc<Cache<String, Option<Arc<str>>>>,
}

impl RememberedWords {
    pub fn new(chain: TextAnalyzer, capacity: usize) -> Self {
        Self {
            chain,
            made: Arc::new(Cache::new(capacity)),
        }
    }

    fn word_for(&mut self, written: &str) -> Option<Arc<str>> {
        if written.len() > LONGEST_REMEMBERED_WORD {
            return self.through_chain(written);
        }
        if let Some(made) = self.made.get(written) {
            return made;
        }
        let made = self.through_chain(written);
        self.made.insert(written.to_owned(), made.clone());
        made
    }

    fn through_chain(&mut self, written: &str) -> Option<Arc<str>> {
        let mut stream = self.chain.token_stream(written);
        stream.next().map(|token| Arc::from(token.text.as_str()))
    }
}

impl TokenFilter for RememberedWords {
    type Tokenizer<T: Tokenizer> = RememberedWordsFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> RememberedWordsFilter<T> {
        RememberedWordsFilter {
            inner: tokenizer,
            words: self,
        }
    }
}

#[derive(Clone)]
pub struct RememberedWordsFilter<T> {
    inner: T,
    words: RememberedWords,
}

impl<T: Tokenizer> Tokenizer for RememberedWordsFilter<T> {
    type TokenStream<'a> = RememberedWordsStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        RememberedWordsStream {
            tail: self.inner.token_stream(text),
            words: &mut self.words,
        }
    }
}

pub struct RememberedWordsStream<'a, T> {
    tail: T,
    words: &'a mut RememberedWords,
}

impl<T: TokenStream> TokenStream for RememberedWordsStream<'_, T> {
    fn advance(&mut self) -> bool {
        // A dropped word (stop word) leaves a gap in the positions, as the chain's own
        // stop-word filter does.
        while self.tail.advance() {
            let token = self.tail.token_mut();
            if let Some(word) = self.words.word_for(&token.text) {
                token.text.clear();
                token.text.push_str(&word);
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{
        AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, SimpleTokenizer, Stemmer,
        StopWordFilter,
    };

    use super::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut tokens = Vec::new();
        while let Some(token) = stream.next() {
            tokens.push((
                token.text.clone(),
                token.offset_from,
                token.offset_to,
                token.position,
            ));
        }
        tokens
    }

    #[test]
    fn remembered_words_give_the_chains_tokens_the_first_time_and_every_time_after() {
        let stop_words = || StopWordFilter::new(Language::Dutch).expect("Dutch stop words");
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(stop_words())
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(Language::Dutch))
            .build();
        let chain = TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .filter(stop_words())
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(Language::Dutch))
            .build();
        let words = RememberedWords::new(chain, 1_000);
        let mut remembered = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(words.clone())
            .build();
        let long_word = "a".repeat(LONGEST_REMEMBERED_WORD + 1);
        let text = format!(
            "De Jongeren en hun gesprekken over Radicalisering: signalen, één café-gesprek \
             en de weerbaarheid van jongeren. {long_word} Gesprekken 2026"
        );
        let expected = tokens(&mut plain, &text);
        let words_made: Vec<&str> = expected.iter().map(|(word, ..)| word.as_str()).collect();
        assert_eq!(
            words_made.iter().filter(|word| **word == "jonger").count(),
            2,
            "'Jongeren' and 'jongeren' stem alike: {words_made:?}"
        );
        assert!(
            words_made.contains(&"cafe"),
            "accents folded: {words_made:?}"
        );
        assert!(
            expected
                .iter()
                .all(|(word, ..)| word != "de" && word != "en"),
            "stop words leave the stream"
        );
        assert_eq!(tokens(&mut remembered, &text), expected, "first pass");
        let stored = words.made.len();
        assert!(stored > 5, "the words were remembered: {stored}");
        assert_eq!(tokens(&mut remembered, &text), expected, "from memory");
        assert_eq!(words.made.len(), stored, "nothing new the second time");
        assert!(
            words.made.get(long_word.as_str()).is_none(),
            "a word past the limit is not kept"
        );
        // What is remembered is what comes out: a planted answer proves the memory is read.
        words
            .made
            .insert("Gesprekken".to_owned(), Some(Arc::from("geplant")));
        let again = tokens(&mut remembered, "Gesprekken");
        assert_eq!(again, vec![("geplant".to_owned(), 0, 10, 0)]);
    }
}
